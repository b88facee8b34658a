"""Does this conversation have a ticket? Its Redis marker when the markers can be trusted
(bot/escalation/ticket_markers.py), else one indexed lookup (tickets.sender_id), off the event loop.

Almost no chat turn has one, so the chat service asks this first and reads the ticket itself (its state, queue
place and unseen operator messages: bot/escalation/service.py) only when there is one. The lookup is a Core
statement on a pooled connection: no ORM session, no objects loaded."""

from __future__ import annotations

import asyncio
import logging

from sqlalchemy import Engine, bindparam, select
from sqlalchemy.exc import OperationalError

from bot.escalation.ticket_markers import TicketMarkers
from bot.storage.models import Ticket

log = logging.getLogger(__name__)
_ANY_TICKET = select(Ticket.id).where(Ticket.sender_id == bindparam("sender")).limit(1)


class TicketChecks:
    def __init__(self, engine: Engine, markers: TicketMarkers | None = None) -> None:
        self._engine = engine
        self.markers = markers

    def has_ticket(self, sender_id: str) -> bool:
        """True when the conversation ever had a ticket (open or not), from the database. With the database down:
        False, and the chat goes on with the bot (as the escalation service's own checks do)."""
        try:
            with self._engine.connect() as connection:
                return connection.execute(_ANY_TICKET, {"sender": sender_id}).first() is not None
        except OperationalError:
            log.warning("database unavailable: cannot check for tickets")
            return False

    def marker(self, sender_id: str) -> str | None:
        """The conversation's marker key, for a round trip that reads it along (None without Redis)."""
        return self.markers.marker(sender_id) if self.markers is not None else None

    async def any_ticket(self, sender_id: str, known: bool | None = None) -> bool:
        """`known` when the caller already read the markers (True / False), else the marker, else the database
        (off the event loop)."""
        if known is None and self.markers is not None:
            known = await self.markers.read(sender_id)
        if known is not None:
            return known
        return await asyncio.to_thread(self.has_ticket, sender_id)
