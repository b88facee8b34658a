"""Which queue a matter goes to, per region, and whether people are on duty (from config/escalation.yml)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, time, timedelta, timezone
from pathlib import Path

import yaml

CHINA = timezone(timedelta(hours=8))
DEFAULT_CONFIG = Path(__file__).resolve().parents[2] / "config" / "escalation.yml"


@dataclass(frozen=True)
class Hours:
    days: frozenset[int]  # ISO weekdays, 1 = Monday
    start: time
    end: time | None  # None = until midnight

    def open_at(self, moment: datetime) -> bool:
        local = moment.astimezone(CHINA)
        if local.isoweekday() not in self.days:
            return False
        now = local.time()
        return self.start <= now and (self.end is None or now < self.end)


def _clock(text: str) -> time | None:
    if text in ("24:00", "24:00:00"):
        return None
    hours, minutes = text.split(":")[:2]
    return time(int(hours), int(minutes))


@dataclass(frozen=True)
class RoutingTable:
    sla_seconds: int
    handling_seconds: int
    queue_names: dict[str, str]
    hours: dict[str, Hours]
    regions: dict[str, dict[str, str]]
    general_topics: frozenset[str] = field(default_factory=frozenset)

    @classmethod
    def load(cls, path: Path = DEFAULT_CONFIG) -> RoutingTable:
        raw = yaml.safe_load(path.read_text())
        hours = {
            queue: Hours(frozenset(spec["days"]), _clock(spec["start"]) or time(0), _clock(spec["end"]))
            for queue, spec in (raw.get("office_hours") or {}).items()
        }
        return cls(
            sla_seconds=int(raw.get("sla_first_response_seconds", 180)),
            handling_seconds=int(raw.get("average_handling_seconds", 240)),
            queue_names={str(k): v for k, v in raw["queues"].items()},
            hours=hours,
            regions={k: {kind: str(q) for kind, q in v.items()} for k, v in raw["regions"].items()},
            general_topics=frozenset(raw.get("general_topics") or []),
        )

    def queue_for(self, region: str | None, topic: str | None, danger: bool = False) -> str:
        """emergency for danger; else the region's disability or general queue."""
        if danger:
            return "emergency"
        kind = "general" if topic and topic.removeprefix("faq/") in self.general_topics else "disability"
        table = self.regions.get(region or "", self.regions["default"])
        return table[kind]

    def is_open(self, queue: str, moment: datetime | None = None) -> bool:
        hours = self.hours.get(queue)
        return hours is None or hours.open_at(moment or datetime.now(timezone.utc))
