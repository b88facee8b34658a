"""Escalation use cases: hand a conversation to a person, relay messages both ways, hand it back to the bot."""

from __future__ import annotations

import asyncio
import logging
from datetime import timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

from bot.core.security import FieldCipher
from bot.dialogue.client import DialogueUnavailable, RasaClient
from bot.dialogue.tracker_expiry import TrackerExpiry
from bot.escalation import clock, tickets
from bot.escalation.delivery import TicketStreams
from bot.escalation.hub import Hub
from bot.escalation.promises import Handoff, describe, handover_words
from bot.escalation.ticket_markers import TicketMarkers
from bot.escalation.transcript import filled_slots, public_summary, transcript_from_events
from bot.rules.masking import mask_sensitive
from bot.rules.phone import validate_phone
from bot.rules.routing import RoutingTable
from bot.rules.spoken_numbers import extract_digit_run
from bot.services.applications import sender_hash
from bot.storage.models import Application, AuditEntry, Ticket, TicketMessage

log = logging.getLogger(__name__)

RESUMED_MESSAGE = "人工服务结束了，我是智能助手，您可以继续问我。"


class EscalationService:
    def __init__(
        self,
        sessions: sessionmaker[Session],
        cipher: FieldCipher,
        routing: RoutingTable,
        streams: TicketStreams,
        dialogue: RasaClient,
        hub: Hub,
        expiry: TrackerExpiry | None = None,
        markers: TicketMarkers | None = None,
    ) -> None:
        self.sessions = sessions
        self.cipher = cipher
        self.routing = routing
        self.streams = streams
        self.dialogue = dialogue
        self.hub = hub
        self.expiry = expiry  # a hand-over holds personal data: its conversation is kept in Redis for less time
        self.markers = markers  # "this conversation has a ticket", read by every gateway's chat turns

    # -- residents ---------------------------------------------------------------------------------------------

    async def escalate(
        self,
        *,
        sender_id: str,
        reason: str,
        channel: str,
        topic: str | None = None,
        region: str | None = None,
        contact_phone: str | None = None,
        callback: bool = False,
        slots: dict[str, Any] | None = None,
        transcript: list[dict[str, str]] | None = None,
        line: str | None = None,
    ) -> dict[str, Any]:
        """Store a ticket with the conversation so far and say what will happen (queue place, or office hours).

        `slots` and `transcript` come from whoever holds the conversation (the action server's tracker): the gateway
        never reads Rasa here, since Rasa is waiting on the very action that asked. The database is the queue; the
        Redis stream entry only speeds delivery up, so a ticket stored without Redis is handed over all the same."""
        slots = slots or {}
        region = region or (slots.get("region") if isinstance(slots.get("region"), str) else None)
        summary = {"topic": topic, "slots": filled_slots(slots), "reason": reason}
        lines = [{**said, "text": mask_sensitive(said["text"])} for said in (transcript or [])]
        created, ticket_id = await asyncio.to_thread(
            self._store, sender_id, reason, channel, topic, region, contact_phone, callback, summary, lines, line
        )
        if self.markers is not None:  # before the action server hears back: the turn's end reads the ticket
            await self.markers.opened(sender_id)
        if created:
            await self._announce_new(ticket_id)
        return await asyncio.to_thread(self._reply, ticket_id)

    def _store(self, sender_id: str, reason: str, channel: str, topic: str | None, region: str | None,
               contact_phone: str | None, callback: bool, summary: dict, lines: list,
               line: str | None) -> tuple[bool, str]:  # fmt: skip
        with self.sessions() as session:
            existing = tickets.open_ticket_for(session, sender_id)
            if existing is not None:
                return False, existing.id
            latest_application = session.scalar(
                select(Application.reference)
                .where(Application.sender_hash == sender_hash(sender_id))
                .order_by(Application.created_at.desc())
                .limit(1)
            )
            ticket = tickets.create_ticket(
                session, self.cipher, self.routing, sender_id=sender_id, reason=reason, region=region,
                channel=channel, topic=topic, summary=summary, transcript=lines, contact_phone=contact_phone,
                application_reference=latest_application, callback=callback, line=line,
            )  # fmt: skip
            log.info("ticket %s queue=%s priority=%s reason=%s", ticket.id, ticket.queue, ticket.priority, reason)
            return True, ticket.id

    async def _announce_new(self, ticket_id: str) -> None:
        """Publish to the stream (best effort) and tell this gateway's consoles."""
        card = await asyncio.to_thread(self._card_of, ticket_id)
        if await self.streams.publish(ticket_id, card["queue"], card["priority"]):
            await asyncio.to_thread(self._mark_delivered, ticket_id)
        await self.hub.broadcast({"type": "ticket.new", "ticket": card})

    def _card_of(self, ticket_id: str) -> dict[str, Any]:
        with self.sessions() as session:
            return self.ticket_card(session, session.get(Ticket, ticket_id))

    def _mark_delivered(self, ticket_id: str) -> None:
        with self.sessions() as session:
            ticket = session.get(Ticket, ticket_id)
            ticket.delivered = True
            session.commit()

    def _reply(self, ticket_id: str) -> dict[str, Any]:
        with self.sessions() as session:
            ticket = session.get(Ticket, ticket_id)
            handoff = self.describe_ticket(session, ticket)
            return {
                "handoff": handoff.as_dict(),
                "queue_name": handoff.queue_name,
                "wait_minutes": handoff.wait_minutes or 0,
                "open_now": self.routing.is_open(ticket.queue, clock.now()),
                "delivered": True,  # stored = in the queue (the database is the queue)
                "status": ticket.status,
                "words": handover_words(self.routing, handoff),
            }

    async def escalate_danger(
        self, sender_id: str, text: str, channel: str, replies: list[str] | None = None
    ) -> dict[str, Any]:
        """Danger recognised by the gateway itself (before Rasa sees the turn): an emergency ticket at once.

        The transcript so far is read from Rasa here, which is safe (no Rasa turn is running for this conversation),
        and gets this message and the emergency reply. The bot is not paused: it stays with the resident until an
        operator joins. `replies`: what the bot answered (kept in the transcript for the operator)."""
        try:
            tracker = await self.dialogue.tracker(sender_id)
        except DialogueUnavailable:
            tracker = {"events": [], "slots": {}}
        at = clock.now().isoformat()
        transcript = transcript_from_events(tracker.get("events") or [])
        transcript.append({"from": "resident", "text": text, "at": at})
        transcript += [{"from": "bot", "text": t, "at": at} for t in replies or []]
        return await self.escalate(
            sender_id=sender_id, reason="danger", channel=channel, slots=tracker.get("slots") or {},
            transcript=transcript,
        )  # fmt: skip

    def _transferred_from(self, session: Session, ticket: Ticket) -> str | None:
        """The queue the ticket came from when it moved to another hotline (latest move: an operator's transfer, or
        the resident naming their region)."""
        if ticket.status != "waiting":
            return None
        entry = session.scalar(
            select(AuditEntry)
            .where(AuditEntry.action.in_(tickets.MOVES), AuditEntry.target == ticket.id)
            .order_by(AuditEntry.id.desc())
            .limit(1)
        )
        moved = (entry.details or {}).get("from") if entry is not None else None
        return moved if moved and moved != ticket.queue else None

    def describe_ticket(self, session: Session, ticket: Ticket) -> Handoff:
        """The open ticket's hand-over as it stands now (what the chat API reports)."""
        return describe(
            self.routing, ticket_id=ticket.id, queue=ticket.queue, priority=ticket.priority, status=ticket.status,
            region=ticket.region, position=tickets.position_in_queue(session, ticket), now=clock.now(),
            transferred_from=self._transferred_from(session, ticket),
        )  # fmt: skip

    def open_handoff(self, sender_id: str) -> Handoff | None:
        """The open ticket of this conversation, if any. With the database down, chat goes on with the bot.

        Synchronous (it queries the database): from async code use `handoff_for`."""
        try:
            with self.sessions() as session:
                ticket = tickets.open_ticket_for(session, sender_id)
                return None if ticket is None else self.describe_ticket(session, ticket)
        except OperationalError:
            log.warning("database unavailable: cannot check for an open ticket")
            return None

    async def handoff_for(self, sender_id: str) -> Handoff | None:
        """`open_handoff` off the event loop."""
        return await asyncio.to_thread(self.open_handoff, sender_id)

    async def take_unseen(self, sender_id: str) -> list[dict[str, Any]]:
        """`unseen_messages` off the event loop."""
        return await asyncio.to_thread(self.unseen_messages, sender_id)

    async def resident_message(self, sender_id: str, text: str) -> Handoff | None:
        """A message typed while a ticket is open is stored with the ticket for the operator (who holds it, or who
        takes it later). Whether the bot answers too is the chat service's decision."""
        stored = await asyncio.to_thread(self._store_message, sender_id, text)
        if stored is None:
            return None
        handoff, holder, message = stored
        await self.hub.ticket_message(handoff.ticket_id, holder, message)
        return handoff

    def _store_message(self, sender_id: str, text: str) -> tuple[Handoff, str | None, dict[str, Any]] | None:
        with self.sessions() as session:
            ticket = tickets.open_ticket_for(session, sender_id)
            if ticket is None:
                return None
            message = tickets.add_message(session, self.cipher, ticket, "resident", text)
            holder = ticket.operator if ticket.status == "assigned" else None
            return self.describe_ticket(session, ticket), holder, self._message_dict(message)

    async def schedule_callback(self, sender_id: str, text: str) -> str | None:
        """Outside office hours, a phone number from the resident turns the waiting ticket into a call-back.

        Returns the masked number when that happened (the resident gave it for this purpose: the bot asked for a
        number "only used to call you back"); None otherwise."""
        check = validate_phone(extract_digit_run(text, min_length=7) or text)
        if not check.ok:
            return None
        card = await asyncio.to_thread(self._make_callback, sender_id, check.value)
        if card is None:
            return None
        await self.hub.broadcast({"type": "ticket.new", "ticket": card})
        await self._resume_bot(sender_id)
        return mask_sensitive(check.value)

    def _make_callback(self, sender_id: str, phone: str) -> dict[str, Any] | None:
        with self.sessions() as session:
            ticket = tickets.open_ticket_for(session, sender_id)
            if ticket is None or ticket.status != "waiting" or self.routing.is_open(ticket.queue, clock.now()):
                return None
            ticket.contact_phone_enc = self.cipher.encrypt(phone)
            ticket.kind, ticket.status = "callback", "callback_scheduled"
            session.commit()
            return self.ticket_card(session, ticket)

    async def attach_contact_phone(self, sender_id: str, phone: str) -> bool:
        """A phone caller's own number (the line's caller ID) becomes the open ticket's contact phone (encrypted,
        shown only to the operator holding the ticket) unless the resident already gave one."""
        check = validate_phone(phone)
        if not check.ok:
            return False
        return await asyncio.to_thread(self._attach_phone, sender_id, check.value)

    def _attach_phone(self, sender_id: str, phone: str) -> bool:
        with self.sessions() as session:
            ticket = tickets.open_ticket_for(session, sender_id)
            if ticket is None or ticket.contact_phone_enc:
                return False
            ticket.contact_phone_enc = self.cipher.encrypt(phone)
            session.commit()
            return True

    async def transfer_failed(self, sender_id: str, phone: str | None) -> bool:
        """A phone transfer to the hotline failed: the waiting ticket becomes a call-back when the caller's number
        is known (True), else it is cancelled; either way the bot takes the conversation back."""
        check = validate_phone(phone) if phone else None
        number = check.value if check is not None and check.ok else None
        outcome = await asyncio.to_thread(self._after_failed_transfer, sender_id, number)
        if outcome is None:
            return False
        ticket_id, card = outcome
        if card is None:
            await self.streams.acknowledge(ticket_id)
            await self.hub.broadcast({"type": "ticket.closed", "ticket_id": ticket_id, "status": "cancelled"})
        else:
            await self.hub.broadcast({"type": "ticket.new", "ticket": card})
        await self._resume_bot(sender_id)
        return number is not None

    def _after_failed_transfer(self, sender_id: str, phone: str | None) -> tuple[str, dict[str, Any] | None] | None:
        """Cancel the open ticket (no number: card None) or make it a call-back (its card); None without one."""
        with self.sessions() as session:
            ticket = tickets.open_ticket_for(session, sender_id)
            if ticket is None:
                return None
            if phone is None:
                tickets.cancel_by_resident(session, self.cipher, ticket)
                return ticket.id, None
            ticket.contact_phone_enc = ticket.contact_phone_enc or self.cipher.encrypt(phone)
            ticket.kind, ticket.status = "callback", "callback_scheduled"
            session.commit()
            return ticket.id, self.ticket_card(session, ticket)

    async def cancel(self, sender_id: str) -> bool:
        ticket_id = await asyncio.to_thread(self._cancel_stored, sender_id)
        if ticket_id is None:
            return False
        await self.streams.acknowledge(ticket_id)
        await self.hub.broadcast({"type": "ticket.closed", "ticket_id": ticket_id, "status": "cancelled"})
        await self._resume_bot(sender_id)
        return True

    def _cancel_stored(self, sender_id: str) -> str | None:
        with self.sessions() as session:
            ticket = tickets.open_ticket_for(session, sender_id)
            if ticket is None:
                return None
            tickets.cancel_by_resident(session, self.cipher, ticket)
            return ticket.id

    async def after_turn(self, sender_id: str) -> tuple[Handoff | None, list[dict[str, Any]]]:
        """`after_bot_turn` off the event loop."""
        return await asyncio.to_thread(self.after_bot_turn, sender_id)

    def after_bot_turn(self, sender_id: str) -> tuple[Handoff | None, list[dict[str, Any]]]:
        """The open ticket (if this turn escalated) and unseen operator messages, in one query when the resident
        never had a ticket (the common case)."""
        try:
            with self.sessions() as session:
                latest = session.scalar(select(Ticket.id).where(Ticket.sender_id == sender_id).limit(1))
                if latest is None:
                    return None, []
        except OperationalError:
            log.warning("database unavailable: cannot check for tickets")
            return None, []
        return self.open_handoff(sender_id), self.unseen_messages(sender_id)

    def unseen_messages(self, sender_id: str) -> list[dict[str, Any]]:
        """Operator and hand-back messages the resident has not received yet; they are marked as received."""
        try:
            return self._take_unseen(sender_id)
        except OperationalError:
            log.warning("database unavailable: operator messages wait until it is back")
            return []

    def _take_unseen(self, sender_id: str) -> list[dict[str, Any]]:
        with self.sessions() as session:
            rows = list(
                session.scalars(
                    select(TicketMessage)
                    .join(Ticket, Ticket.id == TicketMessage.ticket_id)
                    .where(
                        Ticket.sender_id == sender_id,
                        TicketMessage.author != "resident",
                        TicketMessage.seen_by_resident.is_(False),
                    )
                    .order_by(TicketMessage.id)
                )
            )
            for row in rows:
                row.seen_by_resident = True
            session.commit()
            return [self._message_dict(m) for m in rows]

    # -- operators ---------------------------------------------------------------------------------------------

    async def claim(self, ticket_id: str, operator: str) -> bool:
        """Atomically assign a waiting ticket (the database work in a worker thread), then tell everybody."""
        claimed = await asyncio.to_thread(self._claim_stored, ticket_id, operator)
        if claimed is None:
            return False
        card, sender_id = claimed
        await self.streams.acknowledge(ticket_id)  # only now, after the claim is stored
        await self.hub.broadcast({"type": "ticket.claimed", "ticket_id": ticket_id, "operator": operator,
                                  "ticket": card})  # fmt: skip
        self.hub.notify_resident(sender_id)  # the banner says a person joined, at once
        return True

    def _claim_stored(self, ticket_id: str, operator: str) -> tuple[dict[str, Any], str] | None:
        with self.sessions() as session:
            if not tickets.claim(session, ticket_id, operator):
                return None
            ticket = session.get(Ticket, ticket_id)
            return self.ticket_card(session, ticket), ticket.sender_id

    async def operator_reply(self, ticket: Ticket, session: Session, operator: str, text: str) -> dict[str, Any]:
        shown = await asyncio.to_thread(self._store_reply, ticket, session, operator, text)
        self.hub.notify_resident(ticket.sender_id)
        await self.hub.ticket_message(ticket.id, operator, shown)
        return shown

    def _store_reply(self, ticket: Ticket, session: Session, operator: str, text: str) -> dict[str, Any]:
        message = tickets.add_message(session, self.cipher, ticket, "operator", text, operator=operator)
        return self._message_dict(message)

    async def transfer(self, ticket: Ticket, session: Session, to_queue: str, operator: str) -> None:
        await self.streams.acknowledge(ticket.id)
        await asyncio.to_thread(tickets.transfer, session, ticket, to_queue, operator)
        self.hub.notify_resident(ticket.sender_id)  # the resident's banner shows the new line and place
        delivered = await self.streams.publish(ticket.id, ticket.queue, ticket.priority)
        card = await asyncio.to_thread(self._card_after_transfer, session, ticket, delivered)
        await self.hub.broadcast({"type": "ticket.new", "ticket": card})

    def _card_after_transfer(self, session: Session, ticket: Ticket, delivered: bool) -> dict[str, Any]:
        if delivered:
            ticket.delivered = True
            session.commit()
        return self.ticket_card(session, ticket)

    async def resolve(self, ticket: Ticket, session: Session, operator: str, outcome: str) -> None:
        await asyncio.to_thread(self._store_resolution, ticket, session, operator, outcome)
        self.hub.notify_resident(ticket.sender_id)
        await self.hub.broadcast({"type": "ticket.closed", "ticket_id": ticket.id, "status": "resolved"})
        await self._resume_bot(ticket.sender_id)

    def _store_resolution(self, ticket: Ticket, session: Session, operator: str, outcome: str) -> None:
        tickets.resolve(session, self.cipher, ticket, operator, outcome)
        tickets.add_message(session, self.cipher, ticket, "bot", RESUMED_MESSAGE)

    async def redeliver(self, settle_seconds: float = 10.0) -> int:
        """Publish tickets stored while Redis was down (older than `settle_seconds`, so that a ticket being
        published right now by its own request is not published twice)."""
        if not self.streams.enabled:
            return 0
        waiting = await asyncio.to_thread(self._undelivered, settle_seconds)
        published = [ticket_id for ticket_id, queue, priority in waiting
                     if await self.streams.publish(ticket_id, queue, priority)]  # fmt: skip
        if published:
            await asyncio.to_thread(self._mark_all_delivered, published)
        return len(published)

    def _undelivered(self, settle_seconds: float) -> list[tuple[str, str, str]]:
        cutoff = tickets.now() - timedelta(seconds=settle_seconds)
        with self.sessions() as session:
            rows = session.execute(
                select(Ticket.id, Ticket.queue, Ticket.priority).where(
                    Ticket.status == "waiting", Ticket.delivered.is_(False), Ticket.created_at < cutoff
                )
            )
            return [(row.id, row.queue, row.priority) for row in rows]

    def _mark_all_delivered(self, ticket_ids: list[str]) -> None:
        with self.sessions() as session:
            for ticket_id in ticket_ids:
                session.get(Ticket, ticket_id).delivered = True
            session.commit()

    async def _resume_bot(self, sender_id: str) -> None:
        """ConversationResumed, then the action_listen that pausing skipped, so rules match the next message.

        The hand-over is over: the conversation held personal data, so its tracker expires sooner from now on."""
        try:
            await self.dialogue.append_event(sender_id, {"event": "resume"})
            await self.dialogue.append_event(sender_id, {"event": "action", "name": "action_listen"})
        except DialogueUnavailable:
            log.warning("could not resume the bot for a conversation (Rasa down); it resumes on the next turn")
        if self.expiry is not None:
            await self.expiry.mark(sender_id)

    def ticket_card(self, session: Session, ticket: Ticket) -> dict[str, Any]:
        """What a queue list shows: no personal data."""
        return {
            "id": ticket.id,
            "queue": ticket.queue,
            "priority": ticket.priority,
            "kind": ticket.kind,
            "status": ticket.status,
            "region": ticket.region,
            "reason": ticket.reason,
            "channel": ticket.channel,
            "topic": ticket.topic,
            "operator": ticket.operator,
            "created_at": ticket.created_at.isoformat(),
            "sla_due_at": ticket.sla_due_at.isoformat(),
            "position": tickets.position_in_queue(session, ticket),
        }

    def _message_dict(self, message: TicketMessage) -> dict[str, Any]:
        return {
            "id": message.id,
            "author": message.author,
            "operator": message.operator,
            "text": tickets.message_text(self.cipher, message),
            "at": message.at.isoformat(),
        }

    def ticket_detail(self, session: Session, ticket: Ticket, *, holder: bool) -> dict[str, Any]:
        """What an operator sees of a ticket. The holder reads the summary, the (masked) transcript and the
        messages; anybody else only what the queue needs to decide who takes it (no slot a person could be
        recognised by, no text the resident typed)."""
        summary = tickets.summary_of(self.cipher, ticket)
        detail: dict[str, Any] = {**self.ticket_card(session, ticket), "holder": holder}
        if not holder:
            return detail | {"summary": public_summary(summary), "transcript": [], "messages": [], "outcome": "",
                             "withheld": True}  # fmt: skip
        messages = session.scalars(
            select(TicketMessage).where(TicketMessage.ticket_id == ticket.id).order_by(TicketMessage.id)
        )
        return detail | {
            "summary": summary,
            "transcript": tickets.transcript_of(self.cipher, ticket),
            "messages": [self._message_dict(m) for m in messages],
            "outcome": tickets.outcome_of(self.cipher, ticket),
            "withheld": False,
        }
