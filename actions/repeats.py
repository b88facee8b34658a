"""Has the resident asked the same thing again and again? (pure reading of the tracker's events)"""

from __future__ import annotations

from typing import Any

from bot.rules.understanding import selected_answer

RESTATEMENTS_BEFORE_HANDOVER = 2  # the same topic asked, then restated twice without success → a person
_NEUTRAL_INTENTS = frozenset({"inform_region", "affirm", "deny"})  # answers to the bot's questions keep the count


def times_asked_in_a_row(events: list[dict[str, Any]], faq_key: str | None) -> int:
    """How many user turns in a row, the current one included, asked for the FAQ `faq_key`."""
    if not faq_key:
        return 0
    count = 0
    for event in reversed(events):
        if event.get("event") != "user":
            continue
        parse = event.get("parse_data") or {}
        if ((parse.get("intent") or {}).get("name")) in _NEUTRAL_INTENTS or str(event.get("text", "")).startswith("/"):
            continue
        if selected_answer(parse)[0] != faq_key:
            break
        count += 1
    return count
