"""Record pushes WeChat refused (45015: the 48-hour window is over, or the resident unfollowed) where staff see
them: a masked log line, an audit entry, a per-code counter, and, for an operator's reply, a note in the
ticket's conversation so the operator knows the resident did not get it and can call back."""

from __future__ import annotations

import logging
from collections import Counter

from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from bot.core.security import FieldCipher
from bot.escalation import tickets
from bot.storage.models import AuditEntry, Ticket, TicketMessage

log = logging.getLogger(__name__)

NOT_DELIVERED = "【系统】这条回复没有送到居民的微信（{reason}）。请改用电话联系。"
REASONS = {45015: "超过48小时回复期限，或居民已取消关注", 45047: "超过客服消息条数上限"}


class FailureLog:
    """Counts failures by error code and writes them down."""

    def __init__(self, sessions: sessionmaker[Session], cipher: FieldCipher) -> None:
        self._sessions = sessions
        self._cipher = cipher
        self.counts: Counter[int] = Counter()

    def record(self, sender_id: str, errcode: int, errmsg: str, kind: str) -> None:
        """`kind` is "bot" (a bot reply pushed late) or "operator" (an operator's reply)."""
        self.counts[errcode] += 1
        log.warning("wechat push failed: kind=%s sender=%s errcode=%s %s", kind, sender_id, errcode, errmsg[:120])
        try:
            with self._sessions() as session:
                details = {"errcode": errcode, "errmsg": errmsg[:200], "kind": kind}
                session.add(AuditEntry(actor="wechat", action="wechat.push_failed", target=sender_id, details=details))
                if kind == "operator":
                    self._note_on_ticket(session, self._cipher, sender_id, errcode, errmsg)
                session.commit()
        except SQLAlchemyError:
            log.warning("wechat push failure could not be stored (database unavailable)")

    @staticmethod
    def _note_on_ticket(session: Session, cipher: FieldCipher, sender_id: str, errcode: int, errmsg: str) -> None:
        ticket = session.scalar(
            select(Ticket).where(Ticket.sender_id == sender_id).order_by(Ticket.created_at.desc()).limit(1)
        )
        if ticket is None:
            return
        reason = REASONS.get(errcode, f"微信返回错误{errcode}")
        session.add(
            TicketMessage(
                ticket_id=ticket.id, author="bot", text_enc=cipher.encrypt(NOT_DELIVERED.format(reason=reason)),
                at=tickets.now(),
                seen_by_resident=True,  # a note for the operator, never sent to the resident
            )
        )  # fmt: skip
