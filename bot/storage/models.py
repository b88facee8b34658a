"""Tables of the gateway's database. Change them only together with an Alembic migration."""

from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy import JSON, Boolean, DateTime, Float, ForeignKey, Integer, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


class Base(DeclarativeBase):
    pass


class AuditEntry(Base):
    """Who did what, when: every staff action and every read of personal data."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)
    actor: Mapped[str] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(64), index=True)
    target: Mapped[str] = mapped_column(String(128), default="")
    details: Mapped[dict] = mapped_column(JSON, default=dict)


class User(Base):
    """A staff member, hotline operator or administrator."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(16))  # staff | operator | admin
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    # Part of every access token; raising it (logout, password reset) revokes all the user's tokens at once.
    token_version: Mapped[int] = mapped_column(Integer, default=0)


class Application(Base):
    """A benefit application. Its fields are those of config/benefits.yml: personal ones in one encrypted JSON
    document (`personal_enc`, Fernet), the others in `details` (plain JSON); benefit, region and status are columns
    to filter by, and keyed hashes of the ID number and the phone allow lookups without decrypting."""

    __tablename__ = "applications"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    reference: Mapped[str] = mapped_column(String(16), unique=True)
    idempotency_key: Mapped[str] = mapped_column(String(128), unique=True)
    benefit: Mapped[str] = mapped_column(String(32), index=True)
    region: Mapped[str] = mapped_column(String(16), index=True)
    status: Mapped[str] = mapped_column(String(20), index=True, default="submitted")
    channel: Mapped[str] = mapped_column(String(16), default="web")
    sender_hash: Mapped[str] = mapped_column(String(64), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    personal_enc: Mapped[str] = mapped_column(Text)
    id_number_hash: Mapped[str] = mapped_column(String(64), index=True)
    phone_hash: Mapped[str] = mapped_column(String(64), index=True)
    details: Mapped[dict] = mapped_column(JSON, default=dict)
    precheck_notes: Mapped[list] = mapped_column(JSON, default=list)

    changes: Mapped[list[StatusChange]] = relationship(
        back_populates="application", order_by="StatusChange.id", cascade="all, delete-orphan"
    )


class StatusChange(Base):
    """One step of an application's status lifecycle (the first is creation: from_status is None)."""

    __tablename__ = "application_status_changes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id", ondelete="CASCADE"), index=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    actor: Mapped[str] = mapped_column(String(64))
    from_status: Mapped[str | None] = mapped_column(String(20), nullable=True)
    to_status: Mapped[str] = mapped_column(String(20))
    note: Mapped[str] = mapped_column(Text, default="")

    application: Mapped[Application] = relationship(back_populates="changes")


class Ticket(Base):
    """A conversation handed to a hotline operator. Stored first, then delivered through Redis Streams.

    What the resident said and the filled slots are personal: summary, transcript and outcome are encrypted
    (`*_enc`, Fernet JSON/text, see bot/escalation/tickets.py); `topic` (an FAQ topic name) is not."""

    __tablename__ = "tickets"

    id: Mapped[str] = mapped_column(String(16), primary_key=True)
    queue: Mapped[str] = mapped_column(String(16), index=True)  # 12385 | 12345 | emergency
    priority: Mapped[str] = mapped_column(String(16), index=True)  # normal | high | emergency
    kind: Mapped[str] = mapped_column(String(16), default="chat")  # chat | callback
    region: Mapped[str | None] = mapped_column(String(16), nullable=True)
    channel: Mapped[str] = mapped_column(String(16), default="web")
    sender_id: Mapped[str] = mapped_column(String(64), index=True)
    reason: Mapped[str] = mapped_column(String(32))  # request | fallback | complaint | danger
    contact_phone_enc: Mapped[str | None] = mapped_column(Text, nullable=True)
    topic: Mapped[str | None] = mapped_column(String(64), nullable=True)
    summary_enc: Mapped[str] = mapped_column(Text, nullable=True)
    transcript_enc: Mapped[str] = mapped_column(Text, nullable=True)
    application_reference: Mapped[str | None] = mapped_column(String(16), nullable=True)
    status: Mapped[str] = mapped_column(String(20), index=True, default="waiting")
    operator: Mapped[str | None] = mapped_column(String(64), nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)
    sla_due_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    claimed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    first_response_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    resolved_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    outcome_enc: Mapped[str | None] = mapped_column(Text, nullable=True)
    delivered: Mapped[bool] = mapped_column(Boolean, default=False)  # published to its Redis stream


class TicketMessage(Base):
    """One message of a handed-over conversation (resident ↔ operator), in order; the text is encrypted."""

    __tablename__ = "ticket_messages"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    ticket_id: Mapped[str] = mapped_column(ForeignKey("tickets.id", ondelete="CASCADE"), index=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    author: Mapped[str] = mapped_column(String(16))  # resident | operator | bot
    operator: Mapped[str | None] = mapped_column(String(64), nullable=True)
    text_enc: Mapped[str] = mapped_column(Text, nullable=True)
    seen_by_resident: Mapped[bool] = mapped_column(Boolean, default=False)


class CannedResponse(Base):
    """A ready-made reply operators can send with one click; staff edit them."""

    __tablename__ = "canned_responses"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    title: Mapped[str] = mapped_column(String(64))
    text: Mapped[str] = mapped_column(Text)
    updated_by: Mapped[str] = mapped_column(String(64), default="")
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class ModelVersion(Base):
    """A trained Rasa model kept for activation and rollback (registry)."""

    __tablename__ = "model_versions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    path: Mapped[str] = mapped_column(String(500), unique=True)
    name: Mapped[str] = mapped_column(String(200), index=True)
    data_fingerprint: Mapped[str] = mapped_column(String(64), default="")
    job_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    scores: Mapped[dict] = mapped_column(JSON, default=dict)
    status: Mapped[str] = mapped_column(String(16), index=True)  # candidate | active | retired | rejected
    activated_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    activated_by: Mapped[str | None] = mapped_column(String(64), nullable=True)


class TrainingJob(Base):
    """One retraining request: queued → running → activated / rejected / failed / cancelled."""

    __tablename__ = "training_jobs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    status: Mapped[str] = mapped_column(String(16), index=True, default="queued")
    requested_by: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)
    started_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    stage: Mapped[str] = mapped_column(String(16), default="queued")
    progress: Mapped[int] = mapped_column(Integer, default=0)
    message: Mapped[str] = mapped_column(Text, default="")
    pid: Mapped[int | None] = mapped_column(Integer, nullable=True)
    mode: Mapped[str] = mapped_column(String(16), default="")  # finetune | full
    data_fingerprint: Mapped[str | None] = mapped_column(String(64), nullable=True)
    work_dir: Mapped[str | None] = mapped_column(String(500), nullable=True)
    model_id: Mapped[int | None] = mapped_column(ForeignKey("model_versions.id", ondelete="SET NULL"), nullable=True)
    scores: Mapped[dict] = mapped_column(JSON, default=dict)
    log: Mapped[str] = mapped_column(Text, default="")


class TurnOutcome(Base):
    """How one chat turn went, for the insights dashboard. Holds no personal data: the conversation is a keyed
    hash, and only unanswered questions keep their text, masked with anything like an ID, phone or address removed."""

    __tablename__ = "turn_outcomes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)
    conversation: Mapped[str] = mapped_column(String(64), index=True)
    channel: Mapped[str] = mapped_column(String(16), default="web")
    intent: Mapped[str] = mapped_column(String(100))
    confidence: Mapped[float] = mapped_column(Float, default=0.0)
    answer_key: Mapped[str | None] = mapped_column(String(100), nullable=True)
    topic: Mapped[str] = mapped_column(String(32), index=True)
    outcome: Mapped[str] = mapped_column(String(16), index=True)  # answered | fallback | out_of_scope
    handoff: Mapped[bool] = mapped_column(Boolean, default=False)
    question: Mapped[str | None] = mapped_column(Text, nullable=True)
    keywords: Mapped[list] = mapped_column(JSON, default=list)
    rating: Mapped[int | None] = mapped_column(Integer, nullable=True)
    resolved_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    resolved_by: Mapped[str | None] = mapped_column(String(64), nullable=True)


class FaqRevision(Base):
    """One saved change of the FAQ editor: the before/after text of every nlu_data file it touched."""

    __tablename__ = "faq_revisions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)
    actor: Mapped[str] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(32))  # create | edit | delete | examples | rollback
    target: Mapped[str] = mapped_column(String(128), index=True)  # faq/<name> or the intent name
    summary: Mapped[str] = mapped_column(Text, default="")
    files: Mapped[list] = mapped_column(JSON, default=list)  # [{"path", "before", "after"}], None = no file
    rollback_of: Mapped[int | None] = mapped_column(Integer, nullable=True)


class FailureEvent(Base):
    """One failed attempt (login, status query) under a keyed hash of what it was about: the rate limits' store
    when Redis is not configured. Old rows are pruned (bot/services/rate_limit.py)."""

    __tablename__ = "failure_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    key: Mapped[str] = mapped_column(String(96), index=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)


class ConversationKey(Base):
    """Who may speak in (and read) a conversation: the hash of the secret issued to the web client that started
    it, or no key for a conversation a channel owns (WeChat, the telephone gateway). bot/services/conversations.py"""

    __tablename__ = "conversation_keys"

    sender_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    key_hash: Mapped[str | None] = mapped_column(String(64), nullable=True)
    channel: Mapped[str] = mapped_column(String(16), default="web")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)
