"""Background loops of each gateway: keep ticket entries moving through the streams, and relay console events.

`delivery_loop` creates the consumer groups, takes over entries a dead gateway left pending, and publishes tickets
stored while Redis was away (the database is the truth: `delivered = False` marks them) — at start, after an outage
and every `republish_seconds`, so no ticket waits for the next outage. Each republished ticket is announced to every
console as `ticket.new`. `fanout_loop` reads the console-event stream and hands other gateways' events to this
gateway's hub.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import timedelta
from typing import Any

from redis.exceptions import RedisError
from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker

from bot.escalation import tickets
from bot.escalation.hub import Hub, MessageLoader
from bot.escalation.service import EscalationService
from bot.storage.models import Ticket, TicketMessage

log = logging.getLogger(__name__)


def take_undelivered(sessions: sessionmaker[Session], settle_seconds: float, limit: int = 100) -> list[str]:
    """Mark waiting tickets that never reached the streams as delivered and return their ids. A conditional UPDATE
    per ticket: when several gateways look at once, each ticket goes to exactly one of them. Only tickets older than
    `settle_seconds` (a ticket being published right now by its own request is left to it)."""
    cutoff = tickets.now() - timedelta(seconds=settle_seconds)
    with sessions() as session:
        candidates = session.scalars(
            select(Ticket.id)
            .where(Ticket.status == "waiting", Ticket.delivered.is_(False), Ticket.created_at < cutoff)
            .order_by(Ticket.created_at)
            .limit(limit)
        ).all()
        taken = []
        for ticket_id in candidates:
            result = session.execute(
                update(Ticket).where(Ticket.id == ticket_id, Ticket.delivered.is_(False)).values(delivered=True)
            )
            if result.rowcount == 1:
                taken.append(ticket_id)
        session.commit()
        return taken


def _undeliver(sessions: sessionmaker[Session], ticket_ids: list[str]) -> None:
    with sessions() as session:
        session.execute(update(Ticket).where(Ticket.id.in_(ticket_ids)).values(delivered=False))
        session.commit()


def _cards(escalation: EscalationService, ticket_ids: list[str]) -> list[dict[str, Any]]:
    with escalation.sessions() as session:
        found = [session.get(Ticket, ticket_id) for ticket_id in ticket_ids]
        return [escalation.ticket_card(session, t) for t in found if t is not None and t.status == "waiting"]


async def republish_undelivered(escalation: EscalationService, settle_seconds: float = 5.0) -> int:
    """Publish tickets stored while Redis was away and announce them to every console; answer how many."""
    taken = await asyncio.to_thread(take_undelivered, escalation.sessions, settle_seconds)
    published: list[str] = []
    for position, ticket_id in enumerate(taken):
        card = await asyncio.to_thread(_cards, escalation, [ticket_id])
        if not card:
            continue
        if not await escalation.streams.publish(ticket_id, card[0]["queue"], card[0]["priority"]):
            await asyncio.to_thread(_undeliver, escalation.sessions, taken[position:])  # Redis went away again
            break
        published.append(ticket_id)
    for card in await asyncio.to_thread(_cards, escalation, published):
        await escalation.hub.broadcast({"type": "ticket.new", "ticket": card, "republished": True})
    return len(published)


async def _pause(stop: asyncio.Event, seconds: float) -> None:
    try:
        await asyncio.wait_for(stop.wait(), seconds)
    except asyncio.TimeoutError:
        pass


async def delivery_loop(
    escalation: EscalationService, stop: asyncio.Event, retry_seconds: float = 2.0, republish_seconds: float = 10.0
) -> None:
    """Keep stream entries moving until `stop` is set; survives Redis outages."""
    streams = escalation.streams
    if not streams.enabled:
        return
    recovered = False
    loop = asyncio.get_running_loop()
    next_republish = 0.0
    while not stop.is_set():
        try:
            if not recovered:
                await streams.ensure_groups()
                taken = await streams.reclaim_pending()
                if taken:
                    log.info("delivery: %d pending entries taken over", len(taken))
                recovered = True
            if loop.time() >= next_republish:
                published = await republish_undelivered(escalation)
                if published:
                    log.info("delivery: %d tickets stored while Redis was away published", published)
                next_republish = loop.time() + republish_seconds
            for _queue, ticket_id in await streams.read_new(block_ms=1000):
                log.debug("ticket %s delivered to this gateway's consoles", ticket_id)
        except (RedisError, OSError) as exc:
            if recovered:
                log.warning("delivery paused, Redis unavailable: %s", exc)
            recovered = False
            next_republish = 0.0  # first thing once Redis is back
            await _pause(stop, retry_seconds)
        except Exception:  # noqa: BLE001 - e.g. the database away for a moment: try again, never stop delivering
            log.exception("delivery loop error")
            await _pause(stop, retry_seconds)


def message_loader(escalation: EscalationService) -> MessageLoader:
    """Read one relayed ticket message from the database (it must belong to the ticket named with it)."""

    def load(ticket_id: str, message_id: int) -> dict[str, Any] | None:
        with escalation.sessions() as session:
            message = session.get(TicketMessage, message_id)
            if message is None or message.ticket_id != ticket_id:
                return None
            return escalation._message_dict(message)  # the same shape the writing gateway sent its own consoles

    async def load_async(ticket_id: str, message_id: int) -> dict[str, Any] | None:
        return await asyncio.to_thread(load, ticket_id, message_id)

    return load_async


async def fanout_loop(hub: Hub, stop: asyncio.Event, retry_seconds: float = 1.0) -> None:
    """Hand console events relayed by other gateways to this gateway's hub until `stop` is set."""
    fanout = hub.fanout
    if fanout is None:
        return
    after: str | None = None
    while not stop.is_set():
        try:
            if after is None:
                after = await fanout.last_id()  # events from before this gateway started are in the database
            for relayed in await fanout.read(after, block_ms=1000):
                after = relayed.entry_id
                try:
                    await hub.apply(relayed)
                except Exception:  # noqa: BLE001 - one bad event must not stop the relay
                    log.exception("relayed console event %s not delivered", relayed.kind)
        except (RedisError, OSError) as exc:
            log.warning("console relay paused, Redis unavailable: %s", type(exc).__name__)
            await _pause(stop, retry_seconds)
