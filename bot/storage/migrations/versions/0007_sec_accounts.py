"""Accounts and abuse limits: revocable tokens (users.token_version), failed attempts for the rate limits without
Redis (failure_events), and conversation keys that bind a web conversation to the client that started it

Revision ID: sec_accounts
Revises: 0005
Create Date: 2026-11-25
"""

import sqlalchemy as sa
from alembic import op

revision = "sec_accounts"
down_revision = "intake_benefit_table"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("users", sa.Column("token_version", sa.Integer(), nullable=False, server_default="0"))
    op.create_table(
        "failure_events",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("key", sa.String(96), nullable=False, index=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False, index=True),
    )
    op.create_table(
        "conversation_keys",
        sa.Column("sender_hash", sa.String(64), primary_key=True),
        sa.Column("key_hash", sa.String(64), nullable=True),
        sa.Column("channel", sa.String(16), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, index=True),
    )


def downgrade() -> None:
    op.drop_table("conversation_keys")
    op.drop_table("failure_events")
    op.drop_column("users", "token_version")
