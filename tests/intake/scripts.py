"""Application scripts in the blind-set format (FORMAT.md section 2): load and check them.

A script holds a resident's facts (the truth a correct stored record holds), the opening message, optional
phrasings (`say`) and events (questions, corrections, cancellations at a given question)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

BENEFIT_NAMES = ("困难残疾人生活补贴", "重度残疾人护理补贴", "家庭无障碍改造", "辅助器具适配", "残疾儿童康复救助",
                 "机动轮椅车燃油补贴", "托养服务")  # fmt: skip
FACT_KEYS = ("for_self", "applicant_name", "id_number", "card_number", "phone", "region", "town", "address",
             "household", "proxy_name", "proxy_relation", "proxy_phone", "child_birth_date", "device",
             "extra")  # fmt: skip
PROXY_FACTS = ("proxy_name", "proxy_relation", "proxy_phone")
MAX_SCRIPTS = 2000
MAX_TEXT = 2000


class ScriptError(ValueError):
    """A script does not follow the format."""


@dataclass
class Event:
    when_asked: str
    say: str
    set: dict[str, Any] = field(default_factory=dict)
    expect_reply_all: list[list[str]] = field(default_factory=list)


@dataclass
class Script:
    id: str
    title: str
    styles: list[str]
    benefit: str
    opening: str
    facts: dict[str, Any]
    say: dict[str, Any] = field(default_factory=dict)
    events: list[Event] = field(default_factory=list)
    expect_stored: bool = True
    expect_handover: bool | None = None

    def expected_record(self) -> dict[str, Any]:
        """The facts after every `set` of the events (what the stored record must hold)."""
        record = {key: value for key, value in self.facts.items() if key != "extra"}
        record["extra"] = dict(self.facts.get("extra") or {})
        for event in self.events:
            for key, value in event.set.items():
                if key in FACT_KEYS and key != "extra":
                    record[key] = value
                else:
                    record["extra"][key] = value
        return record

    def fact_count(self) -> int:
        """How many facts the resident has to give: every field that applies, a missing card counts as one."""
        record = self.expected_record()
        keys = ["for_self", "applicant_name", "id_number", "card_number", "phone", "region", "town", "address",
                "household"]  # fmt: skip
        if record.get("for_self") is False:
            keys += list(PROXY_FACTS)
        keys += [key for key in ("child_birth_date", "device") if record.get(key) not in (None, "")]
        return len(keys) + len(record["extra"])


def _text(value: Any, where: str) -> str:
    if not isinstance(value, str) or not value.strip() or len(value) > MAX_TEXT:
        raise ScriptError(f"{where}: expected a non-empty text of at most {MAX_TEXT} characters")
    return value


def _event(raw: Any, where: str) -> Event:
    if not isinstance(raw, dict) or "when_asked" not in raw or "say" not in raw:
        raise ScriptError(f"{where}: an event needs when_asked and say")
    groups = raw.get("expect_reply_all") or []
    if not all(isinstance(g, list) and all(isinstance(w, str) for w in g) for g in groups):
        raise ScriptError(f"{where}: expect_reply_all is a list of lists of words")
    return Event(str(raw["when_asked"]), _text(raw["say"], where), dict(raw.get("set") or {}), groups)


def parse_script(raw: Any, where: str) -> Script:
    if not isinstance(raw, dict):
        raise ScriptError(f"{where}: a script is a mapping")
    sid = _text(str(raw.get("id", "")), f"{where}.id")
    if raw.get("benefit") not in BENEFIT_NAMES:
        raise ScriptError(f"{sid}: unknown benefit {raw.get('benefit')!r}")
    facts = raw.get("facts")
    if not isinstance(facts, dict) or "for_self" not in facts:
        raise ScriptError(f"{sid}: facts with for_self are required")
    unknown = set(facts) - set(FACT_KEYS)
    if unknown:
        raise ScriptError(f"{sid}: unknown facts {sorted(unknown)}")
    facts = {key: (str(value) if isinstance(value, int) and not isinstance(value, bool) else value)
             for key, value in facts.items()}  # fmt: skip
    expect = raw.get("expect") or {}
    return Script(
        id=sid,
        title=str(raw.get("title", "")),
        styles=[str(s) for s in raw.get("styles") or []],
        benefit=raw["benefit"],
        opening=_text(raw.get("opening"), f"{sid}.opening"),
        facts=facts,
        say=dict(raw.get("say") or {}),
        events=[_event(e, f"{sid}.events[{i}]") for i, e in enumerate(raw.get("events") or [])],
        expect_stored=bool(expect.get("stored", True)),
        expect_handover=expect.get("handover"),
    )


def load_scripts(path: Path) -> list[Script]:
    """All scripts of one scripts.yml file (ids must be unique)."""
    raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    items = raw.get("scripts") if isinstance(raw, dict) else None
    if not isinstance(items, list) or len(items) > MAX_SCRIPTS:
        raise ScriptError(f"{path}: expected `scripts:` with at most {MAX_SCRIPTS} items")
    scripts = [parse_script(item, f"{path.name}[{i}]") for i, item in enumerate(items)]
    ids = [s.id for s in scripts]
    if len(set(ids)) != len(ids):
        raise ScriptError(f"{path}: duplicate script ids")
    return scripts
