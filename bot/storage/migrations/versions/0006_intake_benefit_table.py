"""applications follow the benefit table: personal fields in one encrypted JSON column, the rest in plain JSON

Existing rows are converted: their encrypted columns are decrypted with the data key and written again as one
encrypted JSON document (`personal_enc`); town and for_self go to `details`. The lookup hashes, benefit, region and
status columns stay. The data key comes from bot.storage.migrate.upgrade(..., data_key=...) (the gateway passes
ACCESSLINE_DATA_KEY); without it a database that holds applications is not touched and the migration fails.

Revision ID: intake_benefit_table
Revises: 0005
Create Date: 2026-11-30
"""

import json

import sqlalchemy as sa
from alembic import context, op

from bot.core.security import FieldCipher

revision = "intake_benefit_table"
down_revision = "0005"
branch_labels = None
depends_on = None

# The old columns, as revision 0002 made them: encrypted (name → new key) and plain ones.
ENCRYPTED = {"applicant_name_enc": "applicant_name", "id_number_enc": "id_number", "card_number_enc": "card_number",
             "phone_enc": "phone", "address_enc": "address", "proxy_name_enc": "proxy_name",
             "proxy_phone_enc": "proxy_phone", "child_birth_date_enc": "child_birth_date"}  # fmt: skip
PLAIN_PERSONAL = ("disability_category", "disability_level", "household", "proxy_relation")
PLAIN_DETAILS = ("town", "for_self")
# The old form stored the family word as said; the benefit table uses what the applicant is to the person applying.
OLD_RELATIONS = {"妈妈": "母亲", "爸爸": "父亲", "姥姥": "外婆", "姥爷": "外公"}
OLD_COLUMNS = (*ENCRYPTED, *PLAIN_PERSONAL, *PLAIN_DETAILS)


def _cipher(count: int) -> FieldCipher | None:
    key = context.config.attributes.get("data_key")
    if count and not key:
        raise RuntimeError(
            f"{count} stored applications must be re-encrypted: run the migration with the data key "
            "(start the gateway, which passes ACCESSLINE_DATA_KEY, or call migrate.upgrade(url, data_key=...))"
        )
    return FieldCipher(key) if key else None


def _applications(connection: sa.Connection, columns: tuple[str, ...]) -> list[sa.Row]:
    table = sa.table("applications", sa.column("id"), *(sa.column(c) for c in columns))
    return list(connection.execute(sa.select(table)))


def upgrade() -> None:
    connection = op.get_bind()
    rows = _applications(connection, OLD_COLUMNS)
    cipher = _cipher(len(rows))  # before any change: SQLite cannot roll a schema change back
    with op.batch_alter_table("applications") as batch:
        batch.add_column(sa.Column("personal_enc", sa.Text(), nullable=True))
        batch.add_column(sa.Column("details", sa.JSON(), nullable=True))
    table = sa.table("applications", sa.column("id"), sa.column("personal_enc"), sa.column("details", sa.JSON()))
    for row in rows:
        values = row._mapping
        personal = {new: cipher.decrypt(values[old]) for old, new in ENCRYPTED.items()}
        personal.update({key: values[key] for key in PLAIN_PERSONAL})
        personal["proxy_relation"] = OLD_RELATIONS.get(personal["proxy_relation"], personal["proxy_relation"])
        details = {"town": values["town"], "for_self": bool(values["for_self"])}
        encrypted = cipher.encrypt(json.dumps(personal, ensure_ascii=False))
        connection.execute(table.update().where(table.c.id == row.id).values(personal_enc=encrypted, details=details))
    with op.batch_alter_table("applications") as batch:
        batch.alter_column("personal_enc", existing_type=sa.Text(), nullable=False)
        batch.alter_column("details", existing_type=sa.JSON(), nullable=False)
        for column in OLD_COLUMNS:
            batch.drop_column(column)


def downgrade() -> None:
    rows = _applications(op.get_bind(), ("personal_enc", "details"))
    cipher = _cipher(len(rows))
    with op.batch_alter_table("applications") as batch:
        for old in ENCRYPTED:
            batch.add_column(sa.Column(old, sa.Text(), nullable=True))
        batch.add_column(sa.Column("disability_category", sa.String(8), nullable=True))
        batch.add_column(sa.Column("disability_level", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("household", sa.String(16), nullable=True))
        batch.add_column(sa.Column("proxy_relation", sa.String(16), nullable=True))
        batch.add_column(sa.Column("town", sa.String(64), nullable=True))
        batch.add_column(sa.Column("for_self", sa.Boolean(), nullable=True))
    connection = op.get_bind()
    columns = [sa.column(c) for c in OLD_COLUMNS]
    table = sa.table("applications", sa.column("id"), *columns)
    for row in rows:
        personal = json.loads(cipher.decrypt(row.personal_enc))
        details = row.details if isinstance(row.details, dict) else json.loads(row.details or "{}")
        values = {old: cipher.encrypt(personal.get(new)) for old, new in ENCRYPTED.items()}
        values.update({key: personal.get(key) for key in PLAIN_PERSONAL})
        values["household"] = values["household"] or "无"
        values.update(town=details.get("town") or "", for_self=bool(details.get("for_self", True)))
        values["applicant_name_enc"] = values["applicant_name_enc"] or cipher.encrypt("")
        values["id_number_enc"] = values["id_number_enc"] or cipher.encrypt("")
        values["phone_enc"] = values["phone_enc"] or cipher.encrypt("")
        values["address_enc"] = values["address_enc"] or cipher.encrypt("")
        connection.execute(table.update().where(table.c.id == row.id).values(**values))
    with op.batch_alter_table("applications") as batch:
        for column in ("applicant_name_enc", "id_number_enc", "phone_enc", "address_enc"):
            batch.alter_column(column, existing_type=sa.Text(), nullable=False)
        for column, kind in (("household", sa.String(16)), ("town", sa.String(64)), ("for_self", sa.Boolean())):
            batch.alter_column(column, existing_type=kind, nullable=False)
        batch.drop_column("personal_enc")
        batch.drop_column("details")
