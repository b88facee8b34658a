"""Call-back tickets from the console's side: an operator claims one (exactly one wins), sees the phone number,
calls, and records how it went — reached (the ticket ends), no answer, or retry at a given time (the ticket goes
back to the pool with that time shown). Every attempt is an audit entry (`callback.attempt`), never personal data."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from typing import Literal

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from bot.core.security import FieldCipher
from bot.storage.models import AuditEntry, Ticket, utcnow

CALLBACK = "callback_scheduled"
Result = Literal["reached", "no_answer", "retry"]
RESULT_LABEL = {"reached": "已联系上", "no_answer": "没人接", "retry": "约好再打"}


def claim_callback(session: Session, ticket_id: str, operator: str) -> bool:
    """Take a call-back nobody holds. Exactly one of several concurrent claims returns True."""
    result = session.execute(
        update(Ticket)
        .where(Ticket.id == ticket_id, Ticket.status == CALLBACK, Ticket.operator.is_(None))
        .values(operator=operator, claimed_at=utcnow())
    )
    if result.rowcount != 1:
        session.rollback()
        return False
    session.add(AuditEntry(actor=operator, action="ticket.claim", target=ticket_id, details={"kind": "callback"}))
    session.commit()
    return True


def holds_callback(ticket: Ticket, operator: str) -> bool:
    return ticket.status == CALLBACK and ticket.operator == operator


def record_attempt(
    session: Session,
    cipher: FieldCipher,
    ticket: Ticket,
    operator: str,
    result: Result,
    retry_at: datetime | None = None,
    note: str = "",
) -> None:
    """Store how the call went. Reached: the ticket is resolved with the note as its (encrypted) outcome.
    No answer / retry: the ticket goes back to the pool (nobody holds it) for the next try."""
    at = utcnow()
    details = {"result": result, "retry_at": retry_at.isoformat() if retry_at else None}
    session.add(AuditEntry(actor=operator, action="callback.attempt", target=ticket.id, details=details))
    if result == "reached":
        ticket.status, ticket.resolved_at = "resolved", at
        ticket.outcome_enc = cipher.encrypt(f"回电已联系上。{note}".strip())
        ticket.first_response_at = ticket.first_response_at or at
    else:
        ticket.operator = None
    session.commit()


def attempts(session: Session, ticket_ids: list[str]) -> dict[str, list[dict]]:
    """The call attempts of these tickets, oldest first: {ticket id: [{result, label, at, retry_at, operator}]}."""
    found: dict[str, list[dict]] = defaultdict(list)
    if not ticket_ids:
        return found
    rows = session.scalars(
        select(AuditEntry)
        .where(AuditEntry.action == "callback.attempt", AuditEntry.target.in_(ticket_ids))
        .order_by(AuditEntry.id)
    )
    for row in rows:
        result = (row.details or {}).get("result", "")
        found[row.target].append(
            {
                "result": result,
                "label": RESULT_LABEL.get(result, result),
                "at": row.at.isoformat(),
                "retry_at": (row.details or {}).get("retry_at"),
                "operator": row.actor,
            }
        )
    return found
