"""escalation tickets and their messages

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22
"""

from datetime import datetime, timezone

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "tickets",
        sa.Column("id", sa.String(16), primary_key=True),
        sa.Column("queue", sa.String(16), nullable=False, index=True),
        sa.Column("priority", sa.String(16), nullable=False, index=True),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("region", sa.String(16), nullable=True),
        sa.Column("channel", sa.String(16), nullable=False),
        sa.Column("sender_id", sa.String(64), nullable=False, index=True),
        sa.Column("reason", sa.String(32), nullable=False),
        sa.Column("contact_phone_enc", sa.Text(), nullable=True),
        sa.Column("summary", sa.JSON(), nullable=False),
        sa.Column("transcript", sa.JSON(), nullable=False),
        sa.Column("application_reference", sa.String(16), nullable=True),
        sa.Column("status", sa.String(20), nullable=False, index=True),
        sa.Column("operator", sa.String(64), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, index=True),
        sa.Column("sla_due_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("claimed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("first_response_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("resolved_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("outcome", sa.Text(), nullable=False),
        sa.Column("delivered", sa.Boolean(), nullable=False),
    )
    op.create_table(
        "ticket_messages",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column(
            "ticket_id", sa.String(16), sa.ForeignKey("tickets.id", ondelete="CASCADE"), nullable=False, index=True
        ),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("author", sa.String(16), nullable=False),
        sa.Column("operator", sa.String(64), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("seen_by_resident", sa.Boolean(), nullable=False),
    )
    canned = op.create_table(
        "canned_responses",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("title", sa.String(64), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("updated_by", sa.String(64), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )
    stamp = datetime(2026, 11, 22, tzinfo=timezone.utc)
    op.bulk_insert(
        canned,
        [
            {"title": title, "text": text, "updated_by": "system", "updated_at": stamp}
            for title, text in (
                ("问候", "您好，我是人工客服，已经看到您前面说的内容了。请问还有什么需要帮忙？"),
                ("稍等", "请稍等，我帮您查一下。"),
                ("转办", "这件事需要相关部门办理，我已经帮您登记，工作人员会尽快联系您。"),
                ("结束", "还有别的问题吗？没有的话，本次服务就结束了。祝您生活顺利。"),
            )
        ],
    )


def downgrade() -> None:
    op.drop_table("canned_responses")
    op.drop_table("ticket_messages")
    op.drop_table("tickets")
