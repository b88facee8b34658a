"""Escalation use cases: hand a conversation to a person, relay messages both ways, hand it back to the bot."""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

from bot.core.security import FieldCipher
from bot.dialogue.client import DialogueUnavailable, RasaClient
from bot.dialogue.tracker_expiry import TrackerExpiry
from bot.escalation import tickets
from bot.escalation.delivery import TicketStreams
from bot.escalation.hub import Hub
from bot.escalation.transcript import filled_slots, public_summary, transcript_from_events
from bot.rules.masking import mask_sensitive
from bot.rules.phone import validate_phone
from bot.rules.routing import RoutingTable
from bot.rules.spoken_numbers import extract_digit_run
from bot.services.applications import sender_hash
from bot.storage.models import Application, Ticket, TicketMessage

log = logging.getLogger(__name__)

RESUMED_MESSAGE = "人工服务结束了，我是智能助手，您可以继续问我。"


@dataclass
class Handoff:
    """What the chat API reports while a ticket is open."""

    ticket_id: str
    queue: str
    priority: str
    position: int

    def as_dict(self) -> dict[str, Any]:
        return {"ticket_id": self.ticket_id, "queue": self.queue, "priority": self.priority, "position": self.position}


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
    ) -> None:
        self.sessions = sessions
        self.cipher = cipher
        self.routing = routing
        self.streams = streams
        self.dialogue = dialogue
        self.hub = hub
        self.expiry = expiry  # a hand-over holds personal data: its conversation is kept in Redis for less time

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
        last_user_text: str | None = None,
        line: str | None = None,
    ) -> dict[str, Any]:
        """Store a ticket with the conversation so far, deliver it, and say where the resident is in the queue."""
        with self.sessions() as session:
            existing = tickets.open_ticket_for(session, sender_id)
            if existing is not None:
                return self._handoff_reply(session, existing, delivered=existing.delivered)
        try:
            tracker = await self.dialogue.tracker(sender_id)
        except DialogueUnavailable:
            tracker = {"events": [], "slots": {}}
        slots = tracker.get("slots") or {}
        region = region or slots.get("region")
        summary = {"topic": topic, "slots": filled_slots(slots), "reason": reason}
        transcript = transcript_from_events(tracker.get("events") or [])
        if last_user_text and (not transcript or transcript[-1]["text"] != mask_sensitive(last_user_text)):
            transcript.append(
                {"from": "resident", "text": mask_sensitive(last_user_text), "at": tickets.now().isoformat()}
            )
        with self.sessions() as session:
            latest_application = session.scalar(
                select(Application.reference)
                .where(Application.sender_hash == sender_hash(sender_id))
                .order_by(Application.created_at.desc())
                .limit(1)
            )
            ticket = tickets.create_ticket(
                session, self.cipher, self.routing, sender_id=sender_id, reason=reason, region=region,
                channel=channel, topic=topic, summary=summary,
                transcript=transcript, contact_phone=contact_phone,
                application_reference=latest_application, callback=callback, line=line,
            )  # fmt: skip
            delivered = await self.streams.publish(ticket.id, ticket.queue, ticket.priority)
            if delivered:
                ticket.delivered = True
                session.commit()
            await self.hub.broadcast({"type": "ticket.new", "ticket": self.ticket_card(session, ticket)})
            log.info("ticket %s queue=%s priority=%s reason=%s", ticket.id, ticket.queue, ticket.priority, reason)
            return self._handoff_reply(session, ticket, delivered=delivered)

    async def escalate_danger(self, sender_id: str, text: str, channel: str) -> dict[str, Any]:
        """Danger recognised by the gateway itself: emergency ticket at once, and the bot steps aside."""
        result = await self.escalate(sender_id=sender_id, reason="danger", channel=channel, last_user_text=text)
        try:
            await self.dialogue.append_event(sender_id, {"event": "pause"})
        except DialogueUnavailable:
            log.warning("could not pause the bot for an emergency conversation (Rasa down)")
        return result

    def add_bot_lines(self, sender_id: str, texts: list[str]) -> None:
        """What the bot said in the turn that opened the ticket (e.g. the emergency reply) joins its transcript, so
        the operator reads what the resident was already told."""
        with self.sessions() as session:
            ticket = tickets.open_ticket_for(session, sender_id)
            if ticket is None:
                return
            at = tickets.now().isoformat()
            lines = tickets.transcript_of(self.cipher, ticket)
            lines += [{"from": "bot", "text": mask_sensitive(text), "at": at} for text in texts]
            ticket.transcript_enc = tickets.seal(self.cipher, lines)
            session.commit()

    def _handoff_reply(self, session: Session, ticket: Ticket, *, delivered: bool) -> dict[str, Any]:
        position = tickets.position_in_queue(session, ticket)
        wait_minutes = max(1, math.ceil(position * self.routing.handling_seconds / 60)) if position else 0
        return {
            "handoff": Handoff(ticket.id, ticket.queue, ticket.priority, position).as_dict(),
            "queue_name": self.routing.queue_names.get(ticket.queue, ticket.queue),
            "wait_minutes": wait_minutes,
            "open_now": self.routing.is_open(ticket.queue),
            "delivered": delivered,
            "status": ticket.status,
        }

    def open_handoff(self, sender_id: str) -> Handoff | None:
        """The open ticket of this conversation, if any. With the database down, chat goes on with the bot."""
        try:
            with self.sessions() as session:
                ticket = tickets.open_ticket_for(session, sender_id)
                if ticket is None:
                    return None
                return Handoff(ticket.id, ticket.queue, ticket.priority, tickets.position_in_queue(session, ticket))
        except OperationalError:
            log.warning("database unavailable: cannot check for an open ticket")
            return None

    async def resident_message(self, sender_id: str, text: str) -> Handoff | None:
        """While a ticket is open the bot stays silent: the message goes to the operator."""
        with self.sessions() as session:
            ticket = tickets.open_ticket_for(session, sender_id)
            if ticket is None:
                return None
            message = tickets.add_message(session, self.cipher, ticket, "resident", text)
            holder = ticket.operator if ticket.status == "assigned" else None
            await self.hub.ticket_message(ticket.id, holder, self._message_dict(message))
            return Handoff(ticket.id, ticket.queue, ticket.priority, tickets.position_in_queue(session, ticket))

    async def schedule_callback(self, sender_id: str, text: str) -> str | None:
        """Outside office hours, a phone number from the resident turns the waiting ticket into a call-back.

        Returns the masked number when that happened (the resident gave it for this purpose: the bot asked for a
        number "only used to call you back"); None otherwise."""
        with self.sessions() as session:
            ticket = tickets.open_ticket_for(session, sender_id)
            if ticket is None or ticket.status != "waiting" or self.routing.is_open(ticket.queue):
                return None
            check = validate_phone(extract_digit_run(text, min_length=7) or text)
            if not check.ok:
                return None
            ticket.contact_phone_enc = self.cipher.encrypt(check.value)
            ticket.kind, ticket.status = "callback", "callback_scheduled"
            session.commit()
            await self.hub.broadcast({"type": "ticket.new", "ticket": self.ticket_card(session, ticket)})
        await self._resume_bot(sender_id)
        return mask_sensitive(check.value)

    async def attach_contact_phone(self, sender_id: str, phone: str) -> bool:
        """A phone caller's own number (the line's caller ID) becomes the open ticket's contact phone (encrypted,
        shown only to the operator holding the ticket) unless the resident already gave one."""
        check = validate_phone(phone)
        if not check.ok:
            return False
        with self.sessions() as session:
            ticket = tickets.open_ticket_for(session, sender_id)
            if ticket is None or ticket.contact_phone_enc:
                return False
            ticket.contact_phone_enc = self.cipher.encrypt(check.value)
            session.commit()
            return True

    async def transfer_failed(self, sender_id: str, phone: str | None) -> bool:
        """A phone transfer to the hotline failed: the waiting ticket becomes a call-back when the caller's number
        is known (True), else it is cancelled; either way the bot takes the conversation back."""
        check = validate_phone(phone) if phone else None
        with self.sessions() as session:
            ticket = tickets.open_ticket_for(session, sender_id)
            if ticket is None:
                return False
            if check is None or not check.ok:
                tickets.cancel_by_resident(session, ticket)
                await self.streams.acknowledge(ticket.id)
                await self.hub.broadcast({"type": "ticket.closed", "ticket_id": ticket.id, "status": "cancelled"})
            else:
                ticket.contact_phone_enc = ticket.contact_phone_enc or self.cipher.encrypt(check.value)
                ticket.kind, ticket.status = "callback", "callback_scheduled"
                session.commit()
                await self.hub.broadcast({"type": "ticket.new", "ticket": self.ticket_card(session, ticket)})
        await self._resume_bot(sender_id)
        return bool(check and check.ok)

    async def cancel(self, sender_id: str) -> bool:
        with self.sessions() as session:
            ticket = tickets.open_ticket_for(session, sender_id)
            if ticket is None:
                return False
            tickets.cancel_by_resident(session, self.cipher, ticket)
            await self.streams.acknowledge(ticket.id)
            await self.hub.broadcast({"type": "ticket.closed", "ticket_id": ticket.id, "status": "cancelled"})
        await self._resume_bot(sender_id)
        return True

    def after_turn(self, sender_id: str) -> tuple[Handoff | None, list[dict[str, Any]]]:
        """The open ticket (if this turn escalated) and unseen operator messages, in one query when the resident
        never had a ticket (the common case)."""
        try:
            with self.sessions() as session:
                latest = session.scalar(
                    select(Ticket).where(Ticket.sender_id == sender_id).order_by(Ticket.created_at.desc()).limit(1)
                )
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
        with self.sessions() as session:
            won = tickets.claim(session, ticket_id, operator)
            if won:
                await self.streams.acknowledge(ticket_id)  # only now, after the claim is stored
                ticket = session.get(Ticket, ticket_id)
                await self.hub.broadcast({"type": "ticket.claimed", "ticket_id": ticket_id, "operator": operator,
                                          "ticket": self.ticket_card(session, ticket)})  # fmt: skip
            return won

    async def operator_reply(self, ticket: Ticket, session: Session, operator: str, text: str) -> dict[str, Any]:
        message = tickets.add_message(session, self.cipher, ticket, "operator", text, operator=operator)
        self.hub.notify_resident(ticket.sender_id)
        shown = self._message_dict(message)
        await self.hub.ticket_message(ticket.id, operator, shown)
        return shown

    async def transfer(self, ticket: Ticket, session: Session, to_queue: str, operator: str) -> None:
        await self.streams.acknowledge(ticket.id)
        tickets.transfer(session, ticket, to_queue, operator)
        if await self.streams.publish(ticket.id, ticket.queue, ticket.priority):
            ticket.delivered = True
            session.commit()
        await self.hub.broadcast({"type": "ticket.new", "ticket": self.ticket_card(session, ticket)})

    async def resolve(self, ticket: Ticket, session: Session, operator: str, outcome: str) -> None:
        tickets.resolve(session, self.cipher, ticket, operator, outcome)
        tickets.add_message(session, self.cipher, ticket, "bot", RESUMED_MESSAGE)
        self.hub.notify_resident(ticket.sender_id)
        await self.hub.broadcast({"type": "ticket.closed", "ticket_id": ticket.id, "status": "resolved"})
        await self._resume_bot(ticket.sender_id)

    async def redeliver(self, settle_seconds: float = 10.0) -> int:
        """Publish tickets stored while Redis was down (older than `settle_seconds`, so that a ticket being
        published right now by its own request is not published twice)."""
        if not self.streams.enabled:
            return 0
        count = 0
        cutoff = tickets.now() - timedelta(seconds=settle_seconds)
        with self.sessions() as session:
            waiting = session.scalars(
                select(Ticket).where(
                    Ticket.status == "waiting", Ticket.delivered.is_(False), Ticket.created_at < cutoff
                )
            )
            for ticket in waiting:
                if await self.streams.publish(ticket.id, ticket.queue, ticket.priority):
                    ticket.delivered = True
                    count += 1
            session.commit()
        return count

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
