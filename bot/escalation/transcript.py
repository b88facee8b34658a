"""Turn Rasa tracker events into the transcript an operator reads (personal numbers masked)."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from bot.rules.masking import mask_sensitive

MAX_LINES = 200


def transcript_from_events(events: list[dict[str, Any]]) -> list[dict[str, str]]:
    """Resident and bot lines in order, newest last, at most MAX_LINES."""
    lines: list[dict[str, str]] = []
    for event in events:
        kind = event.get("event")
        text = event.get("text")
        if kind not in ("user", "bot") or not text:
            continue
        at = datetime.fromtimestamp(float(event.get("timestamp") or 0), timezone.utc).isoformat()
        lines.append({"from": "resident" if kind == "user" else "bot", "text": mask_sensitive(text), "at": at})
    return lines[-MAX_LINES:]


def filled_slots(slots: dict[str, Any]) -> dict[str, Any]:
    """Slots worth showing in a ticket summary (personal numbers masked, empty ones dropped)."""
    shown: dict[str, Any] = {}
    for name, value in slots.items():
        if value in (None, "", []) or name in HIDDEN_SLOTS or isinstance(value, dict):
            continue
        if isinstance(value, list):
            value = [mask_sensitive(v) if isinstance(v, str) else v for v in value if not isinstance(v, (dict, list))]
        shown[name] = mask_sensitive(value) if isinstance(value, str) else value
    return shown


HIDDEN_SLOTS = frozenset({"requested_slot", "application_token", "pending_faq", "session_started_metadata"})


# Slots that say nothing about who the resident is: an operator who does not hold the ticket may see these.
PUBLIC_SLOTS = frozenset({"region", "benefit", "has_card", "for_self", "pi_consent", "confirmed"})


def public_summary(summary: dict[str, Any]) -> dict[str, Any]:
    """A ticket summary for operators who do not hold it: topic and reason, and only the slots in PUBLIC_SLOTS."""
    slots = summary.get("slots") or {}
    return {
        "topic": summary.get("topic"),
        "reason": summary.get("reason"),
        "slots": {name: value for name, value in slots.items() if name in PUBLIC_SLOTS},
    }
