"""Has the resident asked the same thing again and again? (pure reading of the tracker's events)"""

from __future__ import annotations

import re
from typing import Any

from bot.rules.understanding import selected_answer

RESTATEMENTS_BEFORE_HANDOVER = 2  # the same topic asked, then restated twice without success → a person
_NEUTRAL_INTENTS = frozenset({"inform_region", "affirm", "deny"})  # answers to the bot's questions keep the count
_CLOSE_ANSWERS = 3  # a restatement may be worded so that the chosen answer moves: the top 3 of either turn count
# "That is not what I asked": the previous answer did not help (counts as one more restatement).
_NOT_WHAT_I_ASKED = re.compile(
    r"我(?:问|说)的是|我是(?:问|说)|俺(?:问|说)的是|不是(?:这个|问这个|这意思)|答非所问|没听懂|听不懂|还是不明白|说了半天|再说一遍"
)


def _top_keys(parse: dict[str, Any]) -> set[str]:
    selector = ((parse.get("response_selector") or {}).get("faq")) or {}
    ranking = selector.get("ranking") or []
    keys = {str(r.get("intent_response_key")) for r in ranking[:_CLOSE_ANSWERS] if r.get("intent_response_key")}
    chosen = selected_answer(parse)[0]
    return keys | ({chosen} if chosen else set())


def times_asked_in_a_row(events: list[dict[str, Any]], faq_key: str | None) -> int:
    """How many user turns in a row, the current one included, asked for the FAQ `faq_key` (its chosen answer, or
    one of the closest answers either way); a "that is not what I asked" in the current turn counts once more."""
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
    return count + (1 if count and _NOT_WHAT_I_ASKED.search(str(latest.get("text") or "")) else 0)
