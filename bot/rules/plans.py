"""The documents FAQ answers rest on (config/plans.yml): the two local plans, their sections, and the national
documents an answer may name. Shared by the fact tests, the staff editor (checks sources on save) and the action
server (tells a resident where an answer comes from).

A source of an answer is `{file: <seed file>, quote: <verbatim text of the plan>, section: <where it is>}`; quotes
are compared with the plan ignoring only spaces and line breaks (the seeds carry PDF line breaks)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

DEFAULT_PLANS = Path(__file__).resolve().parents[2] / "config" / "plans.yml"

# Words that make a measure a direction of the plan, not something a resident can get now.
MODALITY_WORDS: tuple[str, ...] = ("逐步", "条件允许", "有条件", "鼓励", "探索", "推动", "适时", "根据需要")

_SPACE = re.compile(r"\s+")


def squash(text: str) -> str:
    """`text` without spaces and line breaks (the only difference allowed between a quote and the plan)."""
    return _SPACE.sub("", text)


@dataclass(frozen=True)
class Section:
    find: str
    name: str


@dataclass(frozen=True)
class Plan:
    file: str
    region: str
    title: str
    note: str
    sections: tuple[Section, ...]


@dataclass(frozen=True)
class NationalDocument:
    key: str
    title: str
    facts: tuple[str, ...]


@dataclass(frozen=True)
class Plans:
    plans: dict[str, Plan]
    national: dict[str, NationalDocument] = field(default_factory=dict)

    @classmethod
    def load(cls, path: Path = DEFAULT_PLANS) -> Plans:
        raw = yaml.safe_load(path.read_text("utf-8"))
        plans = {
            file: Plan(
                file,
                spec["region"],
                spec["title"],
                spec.get("note") or "",
                tuple(Section(str(s["find"]), str(s["name"])) for s in spec.get("sections") or []),
            )
            for file, spec in (raw.get("plans") or {}).items()
        }
        national = {
            str(key): NationalDocument(str(key), spec["title"], tuple(str(f) for f in spec.get("facts") or []))
            for key, spec in (raw.get("national") or {}).items()
        }
        return cls(plans, national)

    def plan_for_region(self, region: str) -> Plan | None:
        return next((p for p in self.plans.values() if p.region == region), None)


@lru_cache(maxsize=2)
def load_plans(path: str | None = None) -> Plans:
    return Plans.load(Path(path) if path else DEFAULT_PLANS)


class SeedIndex:
    """The plans' texts (SEEDS_DIR), for checking quotes and finding the section a quote belongs to."""

    def __init__(self, seeds_dir: Path, plans: Plans | None = None) -> None:
        self.plans = plans or load_plans()
        self.texts: dict[str, str] = {}
        for file in self.plans.plans:
            path = seeds_dir / file
            if path.is_file():
                self.texts[file] = squash(path.read_text("utf-8", errors="replace"))
        self._starts: dict[str, list[tuple[int, Section]]] = {f: self._locate(f) for f in self.texts}

    @property
    def available(self) -> bool:
        return bool(self.texts)

    def _locate(self, file: str) -> list[tuple[int, Section]]:
        """Where each section of `file` starts (searched in order, each after the one before)."""
        text, starts, position = self.texts[file], [], 0
        for section in self.plans.plans[file].sections:
            found = text.find(squash(section.find), position)
            if found < 0:
                raise ValueError(f"{file}: section heading {section.find!r} not found after position {position}")
            starts.append((found, section))
            position = found + 1
        return starts

    def position(self, file: str, quote: str) -> int | None:
        """Where `quote` starts in plan `file`, or None when the plan does not contain it verbatim."""
        text = self.texts.get(file)
        if text is None or not squash(quote):
            return None
        found = text.find(squash(quote))
        return None if found < 0 else found

    def section_of(self, file: str, quote: str) -> str | None:
        """The name of the section `quote` is in (the last heading before it)."""
        where = self.position(file, quote)
        if where is None:
            return None
        name = None
        for start, section in self._starts.get(file, []):
            if start > where:
                break
            name = section.name
        return name

    def source_errors(self, source: dict[str, Any]) -> list[str]:
        """Plain-Chinese problems with one source {file, quote[, section]}."""
        file, quote = str(source.get("file") or ""), str(source.get("quote") or "")
        if file not in self.plans.plans:
            return [f"依据的文件“{file}”不是两份规划之一（{'、'.join(self.plans.plans)}）。"]
        if not quote.strip():
            return [f"依据“{file}”缺少原文摘录。"]
        if file not in self.texts:
            return [f"找不到规划原文“{file}”，无法核对依据。请联系技术人员设置 SEEDS_DIR。"]
        if self.position(file, quote) is None:
            return [f"依据的原文“{quote[:30]}”在{self.plans.plans[file].title}里找不到，请逐字摘录原文。"]
        section = source.get("section")
        if section and section != self.section_of(file, quote):
            return [f"依据“{quote[:20]}”的章节应为“{self.section_of(file, quote)}”，不是“{section}”。"]
        return []
