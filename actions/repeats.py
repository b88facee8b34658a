"""Has the resident asked the same thing again and again? (pure reading of the tracker's events)"""

from __future__ import annotations

import re
from typing import Any

from bot.rules.understanding import judge, selected_answer

RESTATEMENTS_BEFORE_HANDOVER = 2  # the same topic asked, then restated twice without success → a person
_NEUTRAL_INTENTS = frozenset({"inform_region", "affirm", "deny"})  # answers to the bot's questions keep the count
_CLOSE_ANSWERS = 3  # a restatement may be worded so that the chosen answer moves: the top 3 of either turn count
# "That is not what I asked": the previous answer did not help (counts as one more restatement).
_NOT_WHAT_I_ASKED = re.compile(
    r"我(?:问|说)的是|我是(?:问|说)|俺(?:问|说)的是|不是(?:这个|问这个|这意思)|答非所问|没听懂|听不懂|还是不明白|说了半天|再说一遍|"
    r"^\W*(?:不是|不对|错了|说错了|整岔了)|说岔了|整岔了|弄错了|搞错了|答错|"
    # "你不懂俺" (in any order when signed), "俺说的不是那个", "听不明白"
    r"不懂(?:我|俺)|(?:你|您)(?:还是|根本|就|咋|怎么)?(?:不懂|听不明白)|(?:说|问)的不是|听不明白|"
    # "你到底懂不懂", "说了半天", "你咋老问"
    r"懂不懂|说了半天|(?:咋|怎么)(?:老|总)(?:是)?问"
)
TOLD_WRONG_BEFORE_HANDOVER = 2  # two "不对/我问的是…" among the last few messages → a person
_RECENT_TURNS = 4


def _top_keys(parse: dict[str, Any]) -> set[str]:
    selector = ((parse.get("response_selector") or {}).get("faq")) or {}
    ranking = selector.get("ranking") or []
    keys = {str(r.get("intent_response_key")) for r in ranking[:_CLOSE_ANSWERS] if r.get("intent_response_key")}
    chosen = selected_answer(parse)[0]
    return keys | ({chosen} if chosen else set())


def _compact(text: str) -> str:
    return re.sub(r"(?<=[\u4e00-\u9fff])\s+(?=[\u4e00-\u9fff])", "", text)


def says_not_understood(text: str | None) -> bool:
    """The resident says the bot got it wrong ("不对", "不是那个", "你不懂我", "你咋老听不懂呢")."""
    return bool(_NOT_WHAT_I_ASKED.search(_compact(str(text or ""))))


def times_told_wrong(events: list[dict[str, Any]]) -> int:
    """How many of the resident's last few messages (the current one included) said the bot got it wrong ("不对",
    "不是那个", "我问的是…"); button presses and answers to the bot's questions are skipped, a hand-over resets."""
    count, seen = 0, 0
    for event in reversed(events):
        if event.get("event") == "action" and event.get("name") == "action_escalate" and seen:
            break  # told wrong before the last hand-over: that one was dealt with
        if event.get("event") != "user" or str(event.get("text", "")).startswith("/"):
            continue
        seen += 1
        if says_not_understood(event.get("text")):
            count += 1
        if seen >= _RECENT_TURNS:
            break
    return count


def times_asked_in_a_row(events: list[dict[str, Any]], faq_key: str | None) -> int:
    """How many user turns in a row, the current one included, asked for the FAQ `faq_key` (its chosen answer, or
    one of the closest answers either way); a "that is not what I asked" in the current turn counts once more."""
    if times_told_wrong(events) >= TOLD_WRONG_BEFORE_HANDOVER:
        return RESTATEMENTS_BEFORE_HANDOVER + 1  # told twice that the answer was not it: a person
    if not faq_key:
        return 0
    count, current = 0, None
    for event in reversed(events):
        if event.get("event") != "user":
            continue
        parse = event.get("parse_data") or {}
        if ((parse.get("intent") or {}).get("name")) in _NEUTRAL_INTENTS or str(event.get("text", "")).startswith("/"):
            continue
        keys = _top_keys(parse)
        if current is None:
            current = keys | {faq_key}
        elif faq_key not in keys and selected_answer(parse)[0] not in current:
            break
        count += 1
    latest = next((e for e in reversed(events) if e.get("event") == "user"), {})
    return count + (1 if count and _NOT_WHAT_I_ASKED.search(_compact(str(latest.get("text") or ""))) else 0)


def _understood(parse: dict[str, Any]) -> str | None:
    """The FAQ topic of one message when the bot understood it (a 您是想问 button, or an answer it was sure of)."""
    intent = ((parse.get("intent") or {}).get("name")) or ""
    if intent == "choose_faq":
        found = [str(e.get("value")) for e in parse.get("entities") or [] if e.get("entity") == "faq_topic"]
        return found[0] if found else None
    if intent in _NEUTRAL_INTENTS or not (parse.get("response_selector") or {}).get("faq"):
        return None
    verdict = judge({**parse, "intent": {"name": "faq"}})  # a complaint's own words may name its topic too
    return verdict.faq if verdict.kind == "answer" else None


def handover_topic(events: list[dict[str, Any]]) -> str | None:
    """What a hand-over is about, for routing (12385 or 12345) and the operator's summary: the topic of the latest
    message the bot understood — this one, else an earlier one ("俺问的是护理补贴 … 不是那个 … 你咋老整岔了" is about
    护理补贴, not whatever the selector guessed for the angry last message); None when it understood none."""
    for event in reversed(events):
        if event.get("event") == "user" and (topic := _understood(event.get("parse_data") or {})):
            return topic
    return None
