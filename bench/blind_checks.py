"""Checks of one blind understanding item (tests/blind/FORMAT.md) against what the live bot replied.

Pure functions over a transcript, so the runner (bench/blind_eval.py) and the unit tests share them."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

REGIONS = ("绥芬河市", "潞城区")
DEFAULT_REGION = "绥芬河市"  # the answer to the region question when an item's region is null
_REGION_QUESTION = re.compile(r"请问您在哪|您在哪个(地方|区|市)|您是哪里")
_CLARIFY = re.compile(r"您是想问|您想问的是|是想了解哪")
_NOT_UNDERSTOOD = re.compile(r"没听懂|没看懂|没明白|换个说法")
_DECLINE = re.compile(r"回答不了|不在我的|我只(懂|能|帮|回答)")
_QUEUE_POSITION = re.compile(r"前面还有|排在第|第\s*\d+\s*位")


@dataclass
class Turn:
    """One resident message and the bot's reply to it."""

    said: str
    text: str
    buttons: list[dict[str, str]] = field(default_factory=list)
    handoff: dict[str, Any] | None = None
    region_answer: bool = False  # the runner's answer to the region question, not an item turn


def load_items(batch_dir: Path) -> list[dict[str, Any]]:
    """Every item of every *.yml in a batch directory, in file order, with the file name kept."""
    items: list[dict[str, Any]] = []
    for path in sorted(batch_dir.glob("*.y*ml")):
        for item in (yaml.safe_load(path.read_text()) or {}).get("items") or []:
            items.append({**item, "file": path.name})
    return items


def item_turns(item: dict[str, Any]) -> list[str]:
    return [str(t) for t in item["turns"]] if item.get("turns") else [str(item.get("text") or "")]


def is_region_question(text: str, buttons: list[dict[str, str]]) -> bool:
    titles = {b.get("title") for b in buttons}
    return bool(_REGION_QUESTION.search(text)) or all(r in titles for r in REGIONS)


def reply_kind(turn: Turn) -> str:
    """What kind of reply a turn got: handover | region_question | clarify | not_understood | decline | answer."""
    if turn.handoff:
        return "handover"
    if is_region_question(turn.text, turn.buttons):
        return "region_question"
    if _CLARIFY.search(turn.text):
        return "clarify"
    if _NOT_UNDERSTOOD.search(turn.text):
        return "not_understood"
    if _DECLINE.search(turn.text):
        return "decline"
    return "answer"


def _common_run(a: str, b: str) -> int:
    """Length of the longest run of characters `a` and `b` share."""
    best = 0
    for i in range(len(a)):
        for j in range(i + best + 1, len(a) + 1):
            if a[i:j] in b:
                best = j - i
            else:
                break
    return best


MIN_TOPIC_OVERLAP = 2  # characters a button title must share with the item's topic to be pressed


def topic_button(kind: str, buttons: list[dict[str, str]]) -> dict[str, str] | None:
    """The "您是想问…" topic button a resident asking about `kind` (the item's measure, in plain words) would press:
    the one whose title shares the longest run of characters with it (at least MIN_TOPIC_OVERLAP; the first of equals,
    as shown). None when no title names the topic — the resident would not know which to press."""
    topics = [b for b in buttons if str(b.get("payload") or "").startswith("/choose_faq")]
    scored = [(_common_run(kind, str(b.get("title") or "")), -i, b) for i, b in enumerate(topics)]
    best = max(scored, default=None, key=lambda s: (s[0], s[1]))
    return best[2] if best and best[0] >= MIN_TOPIC_OVERLAP else None


def _matches(text: str, word: str) -> bool:
    return word.casefold() in text.casefold()


def groups_ok(text: str, groups: list[list[str]] | None) -> list[list[str]]:
    """The groups none of whose words appear in `text` (empty = all matched)."""
    return [group for group in groups or [] if not any(_matches(text, str(w)) for w in group)]


def forbidden_found(text: str, words: list[str] | None) -> list[str]:
    return [str(w) for w in words or [] if _matches(text, str(w))]


@dataclass
class Outcome:
    """The verdict on one item."""

    ok: bool
    reasons: list[str]
    single_turn_ok: bool  # policy: the fact was in the reply to the resident's own (last) message, no region answer
    region_questions: int
    first_kind: str  # kind of the reply to the resident's last message (before any region answer)
    final_kind: str  # kind of the last reply
    handed_over: bool
    handoff: dict[str, Any] | None


def evaluate(item: dict[str, Any], turns: list[Turn]) -> Outcome:
    """Check a transcript against the item's `expect` (FORMAT.md)."""
    expect = item.get("expect") or {}
    everything = "\n".join(t.text for t in turns)
    reasons: list[str] = []
    missing = groups_ok(everything, expect.get("all"))
    if missing:
        reasons.append("missing " + " / ".join("|".join(map(str, g)) for g in missing))
    found = forbidden_found(everything, expect.get("none"))
    if found:
        reasons.append("forbidden " + ", ".join(found))
    handoffs = [t.handoff for t in turns if t.handoff]
    handoff = handoffs[-1] if handoffs else None
    if "handover" in expect:
        if expect["handover"] and not handoff:
            reasons.append("no hand-over")
        if not expect["handover"] and handoff:
            reasons.append(f"unwanted hand-over ({handoff.get('queue')})")
    if expect.get("handover") and handoff:
        if expect.get("priority") == "high" and handoff.get("priority") not in ("high", "emergency"):
            reasons.append(f"priority {handoff.get('priority')}, wanted high")
        if expect.get("queue") and str(handoff.get("queue")) != str(expect["queue"]):
            reasons.append(f"queue {handoff.get('queue')}, wanted {expect['queue']}")
    own = [t for t in turns if not t.region_answer]
    first = own[0] if own else Turn("", "")
    first_missing = groups_ok(first.text, expect.get("first_reply_all"))
    if first_missing:
        reasons.append("first reply lacks " + " / ".join("|".join(map(str, g)) for g in first_missing))
    if expect.get("no_queue_position") and _QUEUE_POSITION.search(everything):
        reasons.append("told a queue position")
    last_own = own[-1] if own else first
    single_ok = (
        not groups_ok(last_own.text, expect.get("all"))
        and not forbidden_found(last_own.text, expect.get("none"))
        and not any(t.region_answer for t in turns)
    )
    return Outcome(
        ok=not reasons,
        reasons=reasons,
        single_turn_ok=single_ok,
        region_questions=sum(1 for t in turns if t.region_answer),
        first_kind=reply_kind(last_own),
        final_kind=reply_kind(turns[-1]) if turns else "answer",
        handed_over=bool(handoff),
        handoff=handoff,
    )
