"""Does this conversation have a ticket? One indexed lookup (tickets.sender_id), off the event loop.

Almost no chat turn has one, so the chat service asks this first and reads the ticket itself (its state, queue
place and unseen operator messages: bot/escalation/service.py) only when there is one. A Core statement on a
pooled connection: no ORM session, no objects loaded."""

from __future__ import annotations

import asyncio
import logging

from sqlalchemy import Engine, bindparam, select
from sqlalchemy.exc import OperationalError

from bot.storage.models import Ticket

log = logging.getLogger(__name__)
_ANY_TICKET = select(Ticket.id).where(Ticket.sender_id == bindparam("sender")).limit(1)


class TicketChecks:
    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def has_ticket(self, sender_id: str) -> bool:
        """True when the conversation ever had a ticket (open or not). With the database down: False, and the
        chat goes on with the bot (as the escalation service's own checks do)."""
        try:
            with self._engine.connect() as connection:
                return connection.execute(_ANY_TICKET, {"sender": sender_id}).first() is not None
        except OperationalError:
            log.warning("database unavailable: cannot check for tickets")
            return False

    async def any_ticket(self, sender_id: str) -> bool:
        """`has_ticket` off the event loop."""
        return await asyncio.to_thread(self.has_ticket, sender_id)
