"""Tickets: create, find the open one, claim (exactly one operator wins), reply, transfer, resolve.

Summaries, transcripts, outcomes and message texts are personal: they are stored encrypted with the data key
(`seal` / `opened`, Fernet through FieldCipher) and decrypted only when somebody who may read them asks."""

from __future__ import annotations

import json
import secrets
from datetime import datetime, timezone
from typing import Any

from sqlalchemy import func, or_, select, update
from sqlalchemy.orm import Session

from bot.core.security import FieldCipher
from bot.escalation import clock
from bot.rules.routing import RoutingTable
from bot.storage.models import AuditEntry, Ticket, TicketMessage

OPEN_STATUSES = ("waiting", "assigned")
# fallback: the bot missed again and again (issue 12: a repeated misunderstanding is handed over with high priority)
PRIORITY_OF_REASON = {"danger": "emergency", "complaint": "high", "fallback": "high"}
PRIORITY_RANK = {"emergency": 0, "high": 1, "normal": 2}
_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"  # no 0/O, 1/I/L: easy to read aloud


def new_ticket_id() -> str:
    return "T" + "".join(secrets.choice(_ALPHABET) for _ in range(8))


def now() -> datetime:
    """The escalation clock (bot/escalation/clock.py: settable for tests and night-time demos)."""
    return clock.now()


def seal(cipher: FieldCipher, value: Any) -> str:
    """Encrypt a JSON-able value (a summary, a transcript) for storage."""
    return cipher.encrypt(json.dumps(value, ensure_ascii=False))  # type: ignore[return-value]


def opened(cipher: FieldCipher, token: str | None, default: Any) -> Any:
    """Decrypt what `seal` stored (`default` for an empty column)."""
    return json.loads(cipher.decrypt(token)) if token else default


def summary_of(cipher: FieldCipher, ticket: Ticket) -> dict[str, Any]:
    return opened(cipher, ticket.summary_enc, {})


def transcript_of(cipher: FieldCipher, ticket: Ticket) -> list[dict[str, str]]:
    return opened(cipher, ticket.transcript_enc, [])


def outcome_of(cipher: FieldCipher, ticket: Ticket) -> str:
    return cipher.decrypt(ticket.outcome_enc) or ""


def message_text(cipher: FieldCipher, message: TicketMessage) -> str:
    return cipher.decrypt(message.text_enc) or ""


def create_ticket(
    session: Session,
    cipher: FieldCipher,
    routing: RoutingTable,
    *,
    sender_id: str,
    reason: str,
    region: str | None,
    channel: str,
    topic: str | None,
    summary: dict,
    transcript: list[dict],
    contact_phone: str | None = None,
    application_reference: str | None = None,
    callback: bool = False,
    line: str | None = None,
) -> Ticket:
    """Store the ticket (durable before anything else happens to it). `line`: the hotline the resident asked for."""
    danger = reason == "danger"
    queue = routing.line_for(region, line) if line and not danger else routing.queue_for(region, topic, danger=danger)
    created = now()
    ticket = Ticket(
        id=new_ticket_id(),
        queue=queue,
        priority=PRIORITY_OF_REASON.get(reason, "normal"),
        kind="callback" if callback else "chat",
        region=region,
        channel=channel,
        sender_id=sender_id,
        reason=reason,
        contact_phone_enc=cipher.encrypt(contact_phone),
        topic=topic[:64] if topic else None,
        summary_enc=seal(cipher, summary),
        transcript_enc=seal(cipher, transcript),
        application_reference=application_reference,
        status="callback_scheduled" if callback else "waiting",
        created_at=created,
        sla_due_at=routing.sla_due(queue, created),  # counts only the queue's office hours
        outcome_enc=None,
        delivered=False,
    )
    session.add(ticket)
    session.commit()
    return ticket


def open_ticket_for(session: Session, sender_id: str) -> Ticket | None:
    return session.scalar(
        select(Ticket)
        .where(Ticket.sender_id == sender_id, Ticket.status.in_(OPEN_STATUSES))
        .order_by(Ticket.created_at)
    )


def position_in_queue(session: Session, ticket: Ticket) -> int:
    """1 = next. Emergency first, then high, then normal; oldest first within a priority."""
    if ticket.status != "waiting":
        return 0
    rank = PRIORITY_RANK[ticket.priority]
    ahead_priorities = [p for p, r in PRIORITY_RANK.items() if r < rank]
    same = [p for p, r in PRIORITY_RANK.items() if r == rank]
    ahead = session.scalar(
        select(func.count())
        .select_from(Ticket)
        .where(
            Ticket.queue == ticket.queue,
            Ticket.status == "waiting",
            or_(
                Ticket.priority.in_(ahead_priorities),
                Ticket.priority.in_(same) & (Ticket.created_at < ticket.created_at),
            ),
        )
    )
    return int(ahead or 0) + 1


def claim(session: Session, ticket_id: str, operator: str) -> bool:
    """Atomically assign a waiting ticket. Exactly one of several concurrent claims returns True."""
    result = session.execute(
        update(Ticket)
        .where(Ticket.id == ticket_id, Ticket.status == "waiting")
        .values(status="assigned", operator=operator, claimed_at=now())
    )
    if result.rowcount != 1:
        session.rollback()
        return False
    session.add(AuditEntry(actor=operator, action="ticket.claim", target=ticket_id, details={}))
    session.commit()
    return True


def add_message(
    session: Session, cipher: FieldCipher, ticket: Ticket, author: str, text: str, operator: str | None = None
) -> TicketMessage:
    """Store one message (encrypted); the resident's own messages count as seen by the resident."""
    message = TicketMessage(
        ticket_id=ticket.id,
        author=author,
        operator=operator,
        text_enc=cipher.encrypt(text),
        at=now(),
        seen_by_resident=author == "resident",
    )
    session.add(message)
    if author == "operator" and ticket.first_response_at is None:
        ticket.first_response_at = message.at
    session.commit()
    return message


def transfer(session: Session, ticket: Ticket, to_queue: str, operator: str) -> None:
    """Send the ticket to the other hotline's queue; it waits there for a new claim."""
    session.add(AuditEntry(actor=operator, action="ticket.transfer", target=ticket.id,
                           details={"from": ticket.queue, "to": to_queue}))  # fmt: skip
    ticket.queue, ticket.status, ticket.operator, ticket.delivered = to_queue, "waiting", None, False
    session.commit()


REGION_MOVE = "ticket.region"  # audit action: the resident named their region and the ticket moved to its line
MOVES = (REGION_MOVE, "ticket.transfer")  # the audit actions that change a ticket's queue


def move_to_region(session: Session, routing: RoutingTable, ticket: Ticket, region: str) -> str | None:
    """A waiting ticket routed without a region goes to `region`'s line for the same matter (it keeps its priority
    and its place by age; the SLA is counted on the new line's hours). Answers the queue it left, or None when it
    stays: claimed meanwhile (a conditional UPDATE, so a claim and a move never both win), region already known,
    an emergency, or a phone call already put through to a line."""
    old = ticket.queue
    new = routing.queue_in_region(old, region)
    if new is None or ticket.region is not None or ticket.channel in ("voice", "phone"):
        return None
    created = ticket.created_at if ticket.created_at.tzinfo else ticket.created_at.replace(tzinfo=timezone.utc)
    result = session.execute(  # SQLite hands datetimes back without their zone (stored as UTC)
        update(Ticket)
        .where(Ticket.id == ticket.id, Ticket.status == "waiting", Ticket.region.is_(None), Ticket.queue == old)
        .values(queue=new, region=region, sla_due_at=routing.sla_due(new, created),
                delivered=ticket.delivered and new == old)
    )  # fmt: skip
    if result.rowcount != 1:
        session.rollback()
        return None
    session.add(AuditEntry(actor="resident", action=REGION_MOVE, target=ticket.id,
                           details={"from": old, "to": new, "region": region}))  # fmt: skip
    session.commit()  # expires `ticket`: read again, it has the new queue and region
    return old


def resolve(session: Session, cipher: FieldCipher, ticket: Ticket, operator: str, outcome: str) -> None:
    ticket.status, ticket.resolved_at, ticket.outcome_enc = "resolved", now(), cipher.encrypt(outcome)
    session.add(AuditEntry(actor=operator, action="ticket.resolve", target=ticket.id, details={}))
    session.commit()


def cancel_by_resident(session: Session, cipher: FieldCipher, ticket: Ticket) -> None:
    ticket.status, ticket.resolved_at, ticket.outcome_enc = "cancelled", now(), cipher.encrypt("居民取消了转人工")
    session.commit()
