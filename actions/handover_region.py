"""The region question of a hand-over (pure reading of the tracker's events, no rasa_sdk): a complaint, a request for
a person or a repeated misunderstanding from a resident whose region is unknown, in a deployment whose regions send
it to different lines (绥芬河市 12385, 潞城区 12345), is handed over at once and asked in the same reply where the
resident is; the answer moves the waiting ticket to that region's line (the gateway: bot/escalation/region_move.py)."""

from __future__ import annotations

from typing import Any

from bot.rules.complaints import complaint_matter
from bot.rules.routing import RoutingTable

HANDOVER_REGION_QUESTION = "为了转到您当地的热线，请问您在哪里？"
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
    """The line of a complaint for `region`: the one its own words give (complaints.complaint_matter: a general
    government office or service → the general line), else the region's disability line — never the topic the model
    guessed for an angry message. A misunderstanding handed over (`fallback`: the bot could not tell what it was
    about) goes to the region's disability line too. Other reasons: None (the topic decides)."""
    if reason == "complaint":
        return routing.hotline(region, complaint_matter(text) or "disability")
    if reason == "fallback":
        return routing.hotline(region, "disability")
    return None


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
