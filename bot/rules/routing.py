"""Which queue a matter goes to, per region, which hotline a resident is told to call, and whether people are on
duty. The one owner of these facts is config/escalation.yml; the gateway and the action server both read it here."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta, timezone
from functools import lru_cache
from pathlib import Path

import yaml

CHINA = timezone(timedelta(hours=8))
DAY = timedelta(days=1)
DEFAULT_CONFIG = Path(__file__).resolve().parents[2] / "config" / "escalation.yml"
HOTLINE_QUEUES = ("12385", "12345")  # queues residents can dial themselves (emergency is 110/120/119)


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

    def _spans(self, moment: datetime, days: int = 8) -> list[tuple[datetime, datetime]]:
        """The open periods (UTC) of the next `days` local days, starting with the day of `moment`."""
        local = moment.astimezone(CHINA)
        spans: list[tuple[datetime, datetime]] = []
        for offset in range(days):
            day = (local + timedelta(days=offset)).date()
            if day.isoweekday() not in self.days:
                continue
            start = datetime.combine(day, self.start, CHINA)
            end = datetime.combine(day, self.end, CHINA) if self.end else datetime.combine(day, time(0), CHINA) + DAY
            if end > start:
                spans.append((start.astimezone(timezone.utc), end.astimezone(timezone.utc)))
        merged: list[tuple[datetime, datetime]] = []
        for start, end in spans:  # 00:00–24:00 on consecutive days is one period
            if merged and merged[-1][1] >= start:
                merged[-1] = (merged[-1][0], max(merged[-1][1], end))
            else:
                merged.append((start, end))
        return merged

    def next_open(self, moment: datetime) -> datetime | None:
        """When people are next on duty: `moment` itself when open now; None when never within a week."""
        for start, end in self._spans(moment):
            if end > moment:
                return max(start, moment).astimezone(timezone.utc)
        return None

    def add_open_time(self, moment: datetime, seconds: float) -> datetime | None:
        """The instant when `seconds` of open time have passed after `moment` (closed hours do not count)."""
        left = timedelta(seconds=seconds)
        cursor = moment
        for _ in range(60):  # at most ~60 weeks of spans: ample for any SLA
            spans = [(max(s, cursor), e) for s, e in self._spans(cursor) if e > cursor]
            if not spans:
                return None
            for start, end in spans:
                if end - start >= left:
                    return (start + left).astimezone(timezone.utc)
                left -= end - start
                cursor = end
        return None


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
    served: tuple[str, ...] = ()  # the regions this deployment serves (all configured regions when not set)
    channel_regions: dict[str, str] = field(default_factory=dict)  # a channel that belongs to one region (WeChat)

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
            served=tuple(raw.get("serves") or (k for k in raw["regions"] if k != "default")),
            channel_regions={str(k): str(v) for k, v in (raw.get("channel_regions") or {}).items()},
        )

    @property
    def only_region(self) -> str | None:
        """The region of a single-region deployment (the bot never asks where the resident lives), else None."""
        return self.served[0] if len(self.served) == 1 else None

    def line_for(self, region: str | None, asked: str | None, kind: str = "disability") -> str:
        """The hotline queue for a resident who asked for `asked` (12385/12345): that line when it serves their
        region, else their region's line for the matter."""
        table = self.regions.get(region or self.only_region or "", self.regions["default"])
        return asked if asked in table.values() else table[kind]

    def queue_in_region(self, queue: str, region: str) -> str | None:
        """Where a ticket routed without a region (to `queue`, the default table's disability or general line)
        belongs once the resident names `region`: that region's line for the same kind of matter (12385 → 潞城区's
        12345). None for a queue the default table does not route (emergency) or a region this table does not know."""
        if region not in self.regions or region == "default":
            return None
        default = self.regions["default"]
        kind = next((kind for kind in ("disability", "general") if default.get(kind) == queue), None)
        return self.regions[region][kind] if kind else None

    def queue_for(self, region: str | None, topic: str | None, danger: bool = False) -> str:
        """emergency for danger; else the region's disability or general queue."""
        if danger:
            return "emergency"
        kind = "general" if topic and topic.removeprefix("faq/") in self.general_topics else "disability"
        table = self.regions.get(region or self.only_region or "", self.regions["default"])
        return table[kind]

    def is_open(self, queue: str, moment: datetime | None = None) -> bool:
        hours = self.hours.get(queue)
        return hours is None or hours.open_at(moment or datetime.now(timezone.utc))

    def next_open(self, queue: str, moment: datetime) -> datetime | None:
        """When `queue` is next staffed (`moment` when open now; None = not within a week)."""
        hours = self.hours.get(queue)
        return moment if hours is None else hours.next_open(moment)

    def sla_due(self, queue: str, created: datetime) -> datetime:
        """The first-response deadline: sla_seconds of the queue's open hours after `created`."""
        hours = self.hours.get(queue)
        due = None if hours is None else hours.add_open_time(created, self.sla_seconds)
        return due or created + timedelta(seconds=self.sla_seconds)

    def open_lines(self, region: str | None, moment: datetime, besides: str | None = None) -> list[str]:
        """The region's hotlines (disability, then general) a resident can call at `moment`, other than `besides`."""
        lines: list[str] = []
        for kind in ("disability", "general"):
            number = self.hotline(region, kind)
            if number != besides and number not in lines and number in HOTLINE_QUEUES and self.is_open(number, moment):
                lines.append(number)
        return lines

    def hotline(self, region: str | None, kind: str = "disability") -> str:
        """The hotline number a resident of `region` calls for a disability (or general) matter."""
        table = self.regions.get(region or self.only_region or "", self.regions["default"])
        return table[kind]

    def hotline_label(self, number: str) -> str:
        """The label "12385残疾人服务热线" from the queue's configured name "12385 残疾人服务热线"."""
        return self.queue_names.get(number, number).replace(" ", "")

    def hotline_phrase(self, region: str | None, kind: str = "disability") -> str:
        """What to tell a resident to call: their region's hotline, or, region unknown, each region's where they differ.

        E.g. 潞城区 → "12345政务服务便民热线"; unknown → "12385…（绥芬河市）或12345…（潞城区）"."""
        region = region or self.only_region
        if region in self.regions:
            return self.hotline_label(self.hotline(region, kind))
        by_number: dict[str, list[str]] = {}
        for name in self.served:
            by_number.setdefault(self.hotline(name, kind), []).append(name)
        if len(by_number) <= 1:
            return self.hotline_label(self.hotline(None, kind))
        return "或".join(f"{self.hotline_label(number)}（{'、'.join(names)}）" for number, names in by_number.items())

    def common_line(self, kind: str = "disability") -> str | None:
        """A hotline every served region has (12345: 潞城区's line for everything, 绥芬河市's for general matters), for
        a resident whose region is not known: one number that is right wherever they live."""
        if len(self.served) <= 1:
            return None
        lines = [set(self.regions[name].values()) for name in self.served if name in self.regions]
        common = set.intersection(*lines) if lines else set()
        default = self.regions["default"].get(kind)
        return default if default in common else min(common, default=None)

    def fill_hotlines(self, text: str, region: str | None, *, one_line: bool = False) -> str:
        """Replace {hotline} and {general_hotline} in a resident text with the region's (see hotline_phrase); with
        `one_line`, an unknown region gets the line every region has (common_line) instead of each region's."""

        def phrase(kind: str) -> str:
            common = self.common_line(kind) if one_line and not (region or self.only_region) else None
            return self.hotline_label(common) if common else self.hotline_phrase(region, kind)

        return text.replace("{hotline}", phrase("disability")).replace("{general_hotline}", phrase("general"))


@lru_cache(maxsize=4)
def load_routing(path: str | None = None) -> RoutingTable:
    """The routing table of this process: `ESCALATION_CONFIG` (set by the launcher for every process) or the default."""
    return RoutingTable.load(Path(path or os.environ.get("ESCALATION_CONFIG") or DEFAULT_CONFIG))
