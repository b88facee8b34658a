"""What one Rasa turn returns to the gateway besides its messages (bot/dialogue/turn_channel.py builds it inside
Rasa; bot/insights/recorder.py reads it): the parse's intent and response selector and the active form — no text,
no entities, nothing personal. Kept free of Rasa imports so that both sides (and the tests) share it."""

from __future__ import annotations

from typing import Any


def turn_state(tracker: Any) -> dict[str, Any]:
    """The part of a tracker the gateway records per turn (no text, no entities: nothing personal)."""
    if tracker is None:
        return {}
    parse = tracker.latest_message.parse_data if tracker.latest_message else {}
    selector = {
        name: {"response": {k: v for k, v in ((part or {}).get("response") or {}).items()
                            if k in ("intent_response_key", "confidence")}}
        for name, part in ((parse or {}).get("response_selector") or {}).items()
        if name != "all_retrieval_intents"
    }  # fmt: skip
    intent = (parse or {}).get("intent") or {}
    return {
        "latest_message": {
            "intent": {"name": intent.get("name"), "confidence": intent.get("confidence")},
            "response_selector": selector,
        },
        "active_loop": {"name": tracker.active_loop_name},
    }
