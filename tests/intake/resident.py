"""The simulated resident: answers whatever the bot asks from a script's facts, the way the script says to.

It knows the bot's question from the tracker's `requested_slot` (the form asks one field at a time) or, outside
the form, from a few words of the question. It checks the read-back text against the facts and corrects what
is wrong, like a resident who listens to the read-back."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from tests.intake.scripts import Event, Script

# The order in which an application usually asks; an event whose question was skipped (the bot already knew
# the answer) fires at the next question after it.
NOMINAL_ORDER = ("benefit", "consent", "for_self", "proxy_name", "proxy_relation", "proxy_phone", "applicant_name",
                 "id_number", "card_number", "phone", "region", "town", "address", "household",
                 "child_birth_date", "device", "extra", "readback")  # fmt: skip
SLOT_TO_ASK = {"pi_consent": "consent", "has_card": "card_number", "confirmed": "readback"}
# How a resident names a field when correcting it at the read-back.
CORRECTION_WORDS = {"applicant_name": "名字", "id_number": "身份证号", "card_number": "残疾证号",
                    "phone": "电话", "region": "地区", "town": "乡镇", "address": "地址", "household": "家庭情况",
                    "proxy_name": "我的名字", "proxy_relation": "关系", "proxy_phone": "我的电话",
                    "child_birth_date": "孩子生日", "device": "要的辅具"}  # fmt: skip
# What the applicant is to the person applying (FORMAT.md) → how that person says it.
RELATION_WORDS = {"父亲": "我爸", "母亲": "我妈", "儿子": "我儿子", "女儿": "我女儿", "丈夫": "我老伴",
                  "妻子": "我老伴", "爷爷": "我爷爷", "奶奶": "我奶奶", "外公": "我姥爷", "外婆": "我姥姥",
                  "孙子": "我孙子", "孙女": "我孙女", "哥哥": "我哥", "姐姐": "我姐", "弟弟": "我弟弟",
                  "妹妹": "我妹妹", "公公": "我公公", "婆婆": "我婆婆", "岳父": "我岳父", "岳母": "我岳母",
                  "其他亲属": "我家亲戚"}  # fmt: skip
HOUSEHOLD_WORDS = {"低保": "低保户", "低保边缘": "低保边缘户", "特困": "特困户", "无": "都不是"}
MAX_READBACK_CORRECTIONS = 3


def spoken_date(iso: str) -> str:
    year, month, day = iso.split("-")
    return f"{int(year)}年{int(month)}月{int(day)}日"


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


@dataclass
class Resident:
    """One script's resident. `extra_for_slot(slot, extra)` names the script's `extra` key a form slot asks for."""

    script: Script
    extra_for_slot: Callable[[str, dict[str, Any]], str | None] = lambda slot, extra: None
    facts: dict[str, Any] = field(init=False)
    fired: list[bool] = field(init=False)
    asked: dict[str, int] = field(default_factory=dict)
    readback_corrections: int = 0
    event_checks: list[tuple[str, bool]] = field(default_factory=list)
    cancelled: bool = False
    last_event: Event | None = None
    pending_check: Event | None = None

    def __post_init__(self) -> None:
        self.facts = {**self.script.facts, "extra": dict(self.script.facts.get("extra") or {})}
        self.fired = [False] * len(self.script.events)

    # -- which question is this ----------------------------------------------------------------------------------
    def ask_name(self, requested_slot: str | None) -> str | None:
        if not requested_slot:
            return None
        ask = SLOT_TO_ASK.get(requested_slot, requested_slot)
        if ask in NOMINAL_ORDER:
            return ask
        key = self.extra_for_slot(requested_slot, self.facts["extra"])
        return f"extra:{key}" if key else f"unknown:{requested_slot}"

    @staticmethod
    def _position(ask: str) -> int:
        base = ask.split(":", 1)[0]
        return NOMINAL_ORDER.index(base) if base in NOMINAL_ORDER else NOMINAL_ORDER.index("extra")

    def _due_event(self, ask: str) -> int | None:
        for index, event in enumerate(self.script.events):
            if self.fired[index]:
                continue
            wanted = event.when_asked
            wanted_ask = wanted if wanted in NOMINAL_ORDER else f"extra:{wanted}"
            if wanted_ask == ask or (wanted == "card_number" and ask == "card_number"):
                return index
            if self._position(wanted_ask) < self._position(ask):
                return index  # its question was never asked: the resident says it now
            return None  # events fire in order
        return None

    # -- answering -----------------------------------------------------------------------------------------------
    def answer(self, ask: str, requested_slot: str | None, readback_text: str = "") -> str:
        """What the resident says to question `ask` (a fact name, consent, readback, extra:<key>)."""
        due = self._due_event(ask)
        if due is not None:
            event = self.script.events[due]
            self.fired[due] = True
            self.last_event = event
            for key, value in event.set.items():
                if key in self.facts and key != "extra":
                    self.facts[key] = value
                else:
                    self.facts["extra"][key] = value
            return event.say
        self.last_event = None
        count = self.asked.get(ask, 0)
        self.asked[ask] = count + 1
        if ask == "readback":
            return self._readback(readback_text)
        return self._phrase(ask, requested_slot, count)

    def _said(self, key: str, count: int) -> str | None:
        value = self.script.say.get(key)
        if isinstance(value, list) and value:
            return str(value[min(count, len(value) - 1)])
        return str(value) if value not in (None, "") else None

    def _phrase(self, ask: str, requested_slot: str | None, count: int) -> str:
        facts = self.facts
        if ask == "consent":
            return "同意"
        if ask == "benefit":
            return f"我想申请{self.script.benefit}"
        if ask.startswith("extra:"):
            key = ask.split(":", 1)[1]
            return self._said(key, count) or str(facts["extra"].get(key))
        if ask.startswith("unknown:"):
            return "不知道"
        said = self._said(ask, count)
        if said is not None and not (ask == "card_number" and requested_slot == "has_card"):
            return said
        if ask == "for_self":
            if facts.get("for_self"):
                return "给我自己办"
            return f"给{RELATION_WORDS.get(facts.get('proxy_relation') or '', '我家里人')}办"
        if ask == "proxy_relation":
            return f"是{RELATION_WORDS.get(facts.get('proxy_relation') or '', '我家亲戚')}"
        if ask == "card_number":
            if requested_slot == "has_card":
                return "有" if facts.get("card_number") else "没有"
            return facts.get("card_number") or "没有残疾证"
        if ask == "household":
            return HOUSEHOLD_WORDS.get(facts.get("household") or "", str(facts.get("household")))
        if ask == "child_birth_date" and facts.get("child_birth_date"):
            return spoken_date(str(facts["child_birth_date"]))
        value = facts.get(ask)
        return "不知道" if value in (None, "") else str(value)

    # -- the read-back -------------------------------------------------------------------------------------------
    def readback_problems(self, text: str) -> list[str]:
        """Facts the read-back text does not show (in any usual rendering)."""
        shown = _squash(text)
        facts = self.facts
        wrong = []
        checks = ["applicant_name", "id_number", "phone", "region", "town", "address", "household"]
        if facts.get("for_self") is False:
            checks += ["proxy_name", "proxy_relation", "proxy_phone"]
        checks += [key for key in ("child_birth_date", "device") if facts.get(key)]
        for key in checks:
            value = facts.get(key)
            if value in (None, ""):
                continue
            renderings = {_squash(str(value))}
            if key == "household":
                renderings.add(_squash(HOUSEHOLD_WORDS.get(str(value), str(value))))
            if key == "child_birth_date":
                renderings.add(spoken_date(str(value)))
            if not any(r in shown for r in renderings):
                wrong.append(key)
        card = facts.get("card_number")
        if card and card[-2:] not in shown and _squash(card) not in shown:
            wrong.append("card_number")
        for key, value in facts["extra"].items():
            if _squash(str(value)) not in shown:
                wrong.append(f"extra:{key}")
        return wrong

    def _readback(self, text: str) -> str:
        wrong = self.readback_problems(text)
        if not wrong or self.readback_corrections >= MAX_READBACK_CORRECTIONS:
            return "对，确认"
        self.readback_corrections += 1
        key = wrong[0]
        if key.startswith("extra:"):
            name = key.split(":", 1)[1]
            return f"{name}不对，是{self.facts['extra'][name]}"
        value = self.facts.get(key)
        if key == "household":
            value = HOUSEHOLD_WORDS.get(str(value), value)
        if key == "child_birth_date":
            value = spoken_date(str(value))
        return f"{CORRECTION_WORDS[key]}错了，是{value}"

    def fired_cancel(self) -> bool:
        """True once an event of a script that must store nothing (a cancellation, a hand-over) was said."""
        return not self.script.expect_stored and any(self.fired)

    def record_reply(self, reply: str, requested: str | None = None) -> None:
        """Check the bot's reply to an event against the event's expectations. When the bot first asks the region
        (the two plans differ, README), the reply after the resident has said it is the answer that counts."""
        event = self.pending_check or self.last_event
        if event is None or not event.expect_reply_all:
            return
        ok = all(any(word in reply for word in group) for group in event.expect_reply_all)
        if not ok and requested == "region" and self.pending_check is None:
            self.pending_check = event
            return
        self.pending_check = None
        self.event_checks.append((event.when_asked, ok))
