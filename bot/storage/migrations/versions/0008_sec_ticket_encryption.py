"""Ticket summaries, transcripts, outcomes and messages encrypted at rest (Fernet, the applications' data key);
the topic gets a column of its own (it is not personal and the queue shows it)

Existing rows are encrypted in place, so the upgrade needs the data key (bot.storage.migrate passes it); without
one it refuses to touch a database that holds tickets. The downgrade decrypts them again.

Revision ID: sec_ticket_encryption
Revises: sec_accounts
Create Date: 2026-11-25
"""

import json

import sqlalchemy as sa
from alembic import context, op
from cryptography.fernet import Fernet

revision = "sec_ticket_encryption"
down_revision = "sec_accounts"
branch_labels = None
depends_on = None

tickets_old = sa.table(
    "tickets",
    sa.column("id", sa.String),
    sa.column("summary", sa.JSON),
    sa.column("transcript", sa.JSON),
    sa.column("outcome", sa.Text),
    sa.column("topic", sa.String),
    sa.column("summary_enc", sa.Text),
    sa.column("transcript_enc", sa.Text),
    sa.column("outcome_enc", sa.Text),
)
messages_old = sa.table(
    "ticket_messages", sa.column("id", sa.Integer), sa.column("text", sa.Text), sa.column("text_enc", sa.Text)
)


def _fernet(connection: sa.Connection) -> Fernet | None:
    key = context.config.attributes.get("data_key")
    if key:
        return Fernet(key.encode())
    has_rows = connection.execute(sa.select(sa.func.count()).select_from(tickets_old)).scalar()
    if has_rows:
        raise RuntimeError(
            "tickets must be (de)crypted by this migration: run it with the data key "
            "(start the gateway, which passes ACCESSLINE_DATA_KEY or data/secrets.json)"
        )
    return None


def upgrade() -> None:
    connection = op.get_bind()
    fernet = _fernet(connection)  # before any change: SQLite cannot roll DDL back
    op.add_column("tickets", sa.Column("topic", sa.String(64), nullable=True))
    op.add_column("tickets", sa.Column("summary_enc", sa.Text(), nullable=True))
    op.add_column("tickets", sa.Column("transcript_enc", sa.Text(), nullable=True))
    op.add_column("tickets", sa.Column("outcome_enc", sa.Text(), nullable=True))
    op.add_column("ticket_messages", sa.Column("text_enc", sa.Text(), nullable=True))
    if fernet is not None:

        def seal(value: object) -> str:
            return fernet.encrypt(json.dumps(value, ensure_ascii=False).encode()).decode()

        rows = connection.execute(sa.select(tickets_old.c.id, tickets_old.c.summary, tickets_old.c.transcript,
                                            tickets_old.c.outcome)).all()  # fmt: skip
        for ticket_id, summary, transcript, outcome in rows:
            connection.execute(
                tickets_old.update()
                .where(tickets_old.c.id == ticket_id)
                .values(
                    topic=((summary or {}).get("topic") or None),
                    summary_enc=seal(summary or {}),
                    transcript_enc=seal(transcript or []),
                    outcome_enc=fernet.encrypt((outcome or "").encode()).decode(),
                )
            )
        for message_id, text in connection.execute(sa.select(messages_old.c.id, messages_old.c.text)).all():
            connection.execute(
                messages_old.update()
                .where(messages_old.c.id == message_id)
                .values(text_enc=fernet.encrypt((text or "").encode()).decode())
            )
    for table, column in (("tickets", "summary"), ("tickets", "transcript"), ("tickets", "outcome"),
                          ("ticket_messages", "text")):  # fmt: skip
        op.drop_column(table, column)


def downgrade() -> None:
    connection = op.get_bind()
    fernet = _fernet(connection)
    op.add_column("tickets", sa.Column("summary", sa.JSON(), nullable=True))
    op.add_column("tickets", sa.Column("transcript", sa.JSON(), nullable=True))
    op.add_column("tickets", sa.Column("outcome", sa.Text(), nullable=True))
    op.add_column("ticket_messages", sa.Column("text", sa.Text(), nullable=True))
    if fernet is not None:

        def opened(token: str | None, default: object) -> object:
            return json.loads(fernet.decrypt(token.encode())) if token else default

        rows = connection.execute(sa.select(tickets_old.c.id, tickets_old.c.summary_enc,
                                            tickets_old.c.transcript_enc, tickets_old.c.outcome_enc)).all()  # fmt: skip
        for ticket_id, summary, transcript, outcome in rows:
            connection.execute(
                tickets_old.update()
                .where(tickets_old.c.id == ticket_id)
                .values(
                    summary=opened(summary, {}),
                    transcript=opened(transcript, []),
                    outcome=fernet.decrypt(outcome.encode()).decode() if outcome else "",
                )
            )
        for message_id, token in connection.execute(sa.select(messages_old.c.id, messages_old.c.text_enc)).all():
            text = fernet.decrypt(token.encode()).decode() if token else ""
            connection.execute(messages_old.update().where(messages_old.c.id == message_id).values(text=text))
    for table, column in (("tickets", "topic"), ("tickets", "summary_enc"), ("tickets", "transcript_enc"),
                          ("tickets", "outcome_enc"), ("ticket_messages", "text_enc")):  # fmt: skip
        op.drop_column(table, column)
