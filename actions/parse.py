"""What the NLU made of the latest message (small readers over the tracker, shared by the actions)."""

from __future__ import annotations

from rasa_sdk import Tracker

from bot.rules.understanding import selected_answer, understood_faq


def selected_faq(tracker: Tracker) -> str | None:
    """The FAQ answer the ResponseSelector chose for the latest message."""
    return selected_answer(tracker.latest_message or {})[0]


def faq_understood(tracker: Tracker) -> bool:
    """False when the latest message looked like a policy question but no answer fits it well enough."""
    return understood_faq(tracker.latest_message or {})
