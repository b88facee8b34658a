"""The one-tap region question before a hand-over (pure reading of the tracker's events, no rasa_sdk): a complaint,
a request for a person or a repeated misunderstanding from a resident whose region is unknown, in a deployment whose
regions send it to different lines (绥芬河市 12385, 潞城区 12345), is asked where first; the answer (a region button,
or the region typed) hands over to that region's line, with the reason and the line of the message that led to it."""

from __future__ import annotations

from typing import Any

from bot.rules.complaints import asked_line, complaint_matter, wants_person
from bot.rules.routing import RoutingTable

HANDOVER_REGION_QUESTION = "请问您在哪里？点一下您所在的地方，我把您转给当地的热线。"
REASON_OF_INTENT = {"request_human": "request", "complaint": "complaint", "danger": "danger"}


def lines_by_region(routing: RoutingTable, line: str | None, topic: str | None, matter: str | None = None) -> set[str]:
    """The lines a hand-over would go to across the served regions: the asked `line` where it serves the region
    (else the region's own), the line of a complaint's `matter` (general / disability), or the queue for `topic`.
    More than one: the region decides."""
    if line:
        return {routing.line_for(region, line) for region in routing.served}
    if matter:
        return {routing.hotline(region, matter) for region in routing.served}
    return {routing.queue_for(region, topic) for region in routing.served}


def matter_line(routing: RoutingTable, region: str | None, reason: str, text: str | None) -> str | None:
    """The line a complaint's own words give (complaints.complaint_matter) for `region`, else None (the topic
    decides)."""
    matter = complaint_matter(text) if reason == "complaint" else None
    return routing.hotline(region, matter) if matter else None


def asked_region_for_handover(events: list[dict[str, Any]]) -> bool:
    """True when the bot's last message before this one was the hand-over region question."""
    seen_user = False
    for event in reversed(events):
        if event.get("event") == "user":
            if seen_user:
                return False
            seen_user = True
        elif event.get("event") == "bot" and seen_user:
            return event.get("text") == HANDOVER_REGION_QUESTION
    return False


def reason_before_question(events: list[dict[str, Any]]) -> tuple[str, str | None, str]:
    """(reason, asked line, text) of the message that led to the hand-over region question: a complaint, a request
    for a person (and the line it named) or a misunderstanding (fallback)."""
    asked = False
    for event in reversed(events):
        if event.get("event") == "bot" and event.get("text") == HANDOVER_REGION_QUESTION:
            asked = True
        elif asked and event.get("event") == "user":
            text = str(event.get("text") or "")
            intent = ((event.get("parse_data") or {}).get("intent") or {}).get("name")
            reason = REASON_OF_INTENT.get(intent or "") or ("request" if wants_person(text) else "fallback")
            return ("complaint" if reason == "danger" else reason), asked_line(text), text
    return "complaint", None, ""
