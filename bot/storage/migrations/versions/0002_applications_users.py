"""users, applications and their status changes

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "users",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("username", sa.String(64), nullable=False, unique=True),
        sa.Column("password_hash", sa.String(255), nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "applications",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("reference", sa.String(16), nullable=False, unique=True),
        sa.Column("idempotency_key", sa.String(128), nullable=False, unique=True),
        sa.Column("benefit", sa.String(32), nullable=False, index=True),
        sa.Column("region", sa.String(16), nullable=False, index=True),
        sa.Column("status", sa.String(20), nullable=False, index=True),
        sa.Column("channel", sa.String(16), nullable=False),
        sa.Column("sender_hash", sa.String(64), nullable=False, index=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, index=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("applicant_name_enc", sa.Text(), nullable=False),
        sa.Column("id_number_enc", sa.Text(), nullable=False),
        sa.Column("id_number_hash", sa.String(64), nullable=False, index=True),
        sa.Column("card_number_enc", sa.Text(), nullable=True),
        sa.Column("disability_category", sa.String(8), nullable=True),
        sa.Column("disability_level", sa.Integer(), nullable=True),
        sa.Column("phone_enc", sa.Text(), nullable=False),
        sa.Column("phone_hash", sa.String(64), nullable=False, index=True),
        sa.Column("town", sa.String(64), nullable=False),
        sa.Column("address_enc", sa.Text(), nullable=False),
        sa.Column("household", sa.String(16), nullable=False),
        sa.Column("for_self", sa.Boolean(), nullable=False),
        sa.Column("proxy_name_enc", sa.Text(), nullable=True),
        sa.Column("proxy_relation", sa.String(16), nullable=True),
        sa.Column("proxy_phone_enc", sa.Text(), nullable=True),
        sa.Column("child_birth_date_enc", sa.Text(), nullable=True),
        sa.Column("precheck_notes", sa.JSON(), nullable=False),
    )
    op.create_table(
        "application_status_changes",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column(
            "application_id",
            sa.Integer(),
            sa.ForeignKey("applications.id", ondelete="CASCADE"),
            nullable=False,
            index=True,
        ),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(64), nullable=False),
        sa.Column("from_status", sa.String(20), nullable=True),
        sa.Column("to_status", sa.String(20), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("application_status_changes")
    op.drop_table("applications")
    op.drop_table("users")
