"""The resident names their region while their ticket waits: the ticket moves to that region's line.

A hand-over from a resident whose region is unknown is made at once, to the default line (12385), and the same reply
asks where they are (actions/escalation.py). Their next messages come here, to the gateway, not to Rasa: while a
ticket waits they are the operator's (bot/services/chat.py). So the gateway reads the region from them — with the one
parser of region mentions, bot/rules/region_mentions.py (a region button's payload, a place or town name, an ID
number, a phone area code) — and moves the waiting ticket: stored first (a conditional UPDATE: a ticket an operator
claimed is never moved), then its stream entry, then every console of every gateway is told (`ticket.moved`), and
Rasa's tracker learns the region for when the bot takes the conversation back (no Rasa turn is running: Rasa is not
called mid-turn)."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from typing import Any

from bot.dialogue.client import DialogueUnavailable
from bot.escalation import tickets
from bot.escalation.promises import Handoff, region_move_words
from bot.escalation.service import EscalationService
from bot.rules.region_mentions import region_mentioned
from bot.storage.models import Ticket

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class RegionMove:
    """What the move changed: the hand-over as it now stands, the words for the resident, the line it left."""

    handoff: Handoff
    words: list[str]
    left: str


def named_region(text: str, served: tuple[str, ...]) -> str | None:
    """The served region this message names, if it names exactly one."""
    region = region_mentioned(text)
    return region if region in served else None


async def move_to_named_region(escalation: EscalationService, sender_id: str, text: str) -> RegionMove | None:
    """Move the conversation's waiting ticket to the line of the region `text` names; None when nothing moved (no
    region named, or the ticket is claimed, an emergency, or its region already known)."""
    routing = escalation.routing
    if len(routing.served) < 2:
        return None  # a single-region deployment knows the region of every ticket
    region = named_region(text, routing.served)
    if region is None:
        return None
    moved = await asyncio.to_thread(_move_stored, escalation, sender_id, region)
    if moved is None:
        return None
    left, handoff, card = moved
    if card["queue"] != left:
        streams = escalation.streams
        await streams.acknowledge(handoff.ticket_id)  # the old line's entry: nobody there should take it
        if await streams.publish(handoff.ticket_id, card["queue"], card["priority"]):
            await asyncio.to_thread(_mark_delivered, escalation, handoff.ticket_id)
    await escalation.hub.broadcast({"type": "ticket.moved", "ticket_id": handoff.ticket_id, "from": left,
                                    "ticket": card})  # fmt: skip
    escalation.hub.notify_resident(sender_id)  # the resident's other pages (long poll) see the new line too
    await _tell_the_bot(escalation, sender_id, region)
    return RegionMove(handoff, region_move_words(routing, handoff, region, card["queue"] != left), left)


def _move_stored(
    escalation: EscalationService, sender_id: str, region: str
) -> tuple[str, Handoff, dict[str, Any]] | None:
    with escalation.sessions() as session:
        ticket = tickets.open_ticket_for(session, sender_id)
        if ticket is None:
            return None
        left = tickets.move_to_region(session, escalation.routing, ticket, region)
        if left is None:
            return None
        log.info("ticket %s moved %s -> %s (region named by the resident)", ticket.id, left, ticket.queue)
        return left, escalation.describe_ticket(session, ticket), escalation.ticket_card(session, ticket)


def _mark_delivered(escalation: EscalationService, ticket_id: str) -> None:
    with escalation.sessions() as session:
        ticket = session.get(Ticket, ticket_id)
        ticket.delivered = True
        session.commit()


async def _tell_the_bot(escalation: EscalationService, sender_id: str, region: str) -> None:
    """Set the region slot in Rasa's tracker (best effort), so the bot knows it when it answers again."""
    try:
        await escalation.dialogue.append_event(sender_id, {"event": "slot", "name": "region", "value": region})
    except DialogueUnavailable:
        log.warning("could not tell Rasa the region of a conversation (Rasa down); the ticket moved all the same")
