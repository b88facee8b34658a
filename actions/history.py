"""Read the conversation history the action server receives (pure functions, no rasa_sdk)."""

from __future__ import annotations

from typing import Any

from bot.rules.understanding import understood_faq

FALLBACK_ACTIONS = frozenset({"action_fallback", "action_default_fallback", "action_unsure"})
MISSES_BEFORE_OFFERING_HUMAN = 2
ANSWERED_SLOT = "pending_faq"  # set only by an FAQ answer (None) or its region question (the topic): not a miss


def consecutive_misses(events: list[dict[str, Any]]) -> int:
    """How many user messages in a row the bot did not understand, the current one included.

    A message counts as a miss when a fallback action answered it (the NLU fallback, or the core fallback when no
    rule fitted) or when it looked like a policy question that no answer fitted (bot/rules/understanding.py); the
    current message counts because this is called when it was not understood."""
    turns: list[tuple[set[str], bool, bool]] = []  # (actions run, model understood it, an FAQ answer was given)
    for event in events:
        if event.get("event") == "user":
            turns.append((set(), understood_faq(event.get("parse_data") or {}), False))
        elif event.get("event") == "action" and turns:
            turns[-1][0].add(event.get("name") or "")
        elif event.get("event") == "slot" and event.get("name") == ANSWERED_SLOT and turns:
            turns[-1] = (turns[-1][0], turns[-1][1], True)  # the model alone was unsure, the plan settled it
    misses = 0
    for index, (actions, understood, answered) in enumerate(reversed(turns)):
        if index == 0 or not answered and (actions & FALLBACK_ACTIONS or not understood):
            misses += 1
        else:
            break
    return misses
