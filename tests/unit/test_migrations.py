"""Migrations go up and down on SQLite (default) and PostgreSQL (127.0.0.1:5432, database test)."""

from __future__ import annotations

import json
import os
import uuid
from collections.abc import Iterator
from datetime import datetime, timezone

import pytest
import sqlalchemy as sa
from cryptography.fernet import Fernet
from sqlalchemy import inspect, select, text
from sqlalchemy.orm import Session

from bot.core.security import FieldCipher
from bot.rules.id_card import id_check_digit
from bot.storage import migrate
from bot.storage.db import make_engine
from bot.storage.models import Application

OLD_ID = "14040619620915415" + id_check_digit("14040619620915415")
SOME_DAY = datetime(2026, 11, 20, tzinfo=timezone.utc)

PG_URL = os.environ.get("TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request, tmp_path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'm.db'}"
        return
    schema = "t_" + uuid.uuid4().hex[:10]
    admin = make_engine(PG_URL)
    try:
        with admin.begin() as connection:
            connection.execute(text(f"CREATE SCHEMA {schema}"))
    except Exception as exc:  # noqa: BLE001
        pytest.skip(f"PostgreSQL not reachable at {PG_URL}: {type(exc).__name__}")
    yield f"{PG_URL}?options=-csearch_path%3D{schema}"
    with admin.begin() as connection:
        connection.execute(text(f"DROP SCHEMA {schema} CASCADE"))
    admin.dispose()


def test_upgrade_then_downgrade(database_url: str) -> None:
    migrate.upgrade(database_url)
    engine = make_engine(database_url)
    tables = {"audit_log", "users", "applications", "application_status_changes"}
    assert tables <= set(inspect(engine).get_table_names())
    engine.dispose()
    migrate.downgrade(database_url, "0001")
    engine = make_engine(database_url)
    assert set(inspect(engine).get_table_names()) & tables == {"audit_log"}
    engine.dispose()
    migrate.downgrade(database_url, "base")
    engine = make_engine(database_url)
    assert not set(inspect(engine).get_table_names()) & tables
    engine.dispose()


def test_sqlite_runs_in_wal_mode(tmp_path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'wal.db'}")
    with engine.connect() as connection:
        assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
    engine.dispose()


def _old_application(cipher: FieldCipher) -> dict:
    """A row as revision 0002 stored it (one encrypted column per personal field)."""
    return {
        "reference": "12345678", "idempotency_key": "old-form-token", "benefit": "care_subsidy", "region": "潞城区",
        "status": "submitted", "channel": "web", "sender_hash": "0" * 64,
        "created_at": SOME_DAY, "updated_at": SOME_DAY,
        "applicant_name_enc": cipher.encrypt("王秀英"), "id_number_enc": cipher.encrypt(OLD_ID),
        "id_number_hash": cipher.lookup_hash(OLD_ID), "card_number_enc": cipher.encrypt(OLD_ID + "42"),
        "disability_category": "肢体", "disability_level": 2, "phone_enc": cipher.encrypt("13800138000"),
        "phone_hash": cipher.lookup_hash("13800138000"), "town": "潞华街道", "address_enc": cipher.encrypt("东街12号"),
        "household": "低保", "for_self": False, "proxy_name_enc": cipher.encrypt("李明"), "proxy_relation": "妈妈",
        "proxy_phone_enc": cipher.encrypt("13912345678"), "child_birth_date_enc": None, "precheck_notes": ["x。"],
    }  # fmt: skip


def test_old_applications_are_converted_to_one_encrypted_document_and_back(database_url: str) -> None:
    key = Fernet.generate_key().decode()
    cipher = FieldCipher(key)
    migrate.upgrade(database_url, "0005")
    engine = make_engine(database_url)
    columns = [c["name"] for c in inspect(engine).get_columns("applications")]
    old = _old_application(cipher)
    with engine.begin() as connection:
        table = sa.table("applications", *(sa.column(c, sa.JSON() if c == "precheck_notes" else None) for c in columns))
        connection.execute(table.insert().values(**old))
    engine.dispose()
    with pytest.raises(RuntimeError, match="data key"):
        migrate.upgrade(database_url)  # no key: the stored applications are not touched
    migrate.upgrade(database_url, data_key=key)
    engine = make_engine(database_url)
    with Session(engine) as session:
        stored = session.scalar(select(Application))
        personal = json.loads(cipher.decrypt(stored.personal_enc))
        assert personal["applicant_name"] == "王秀英" and personal["id_number"] == OLD_ID
        assert personal["card_number"] == OLD_ID + "42" and personal["disability_level"] == 2
        assert personal["proxy_relation"] == "母亲" and personal["proxy_phone"] == "13912345678"
        assert stored.details == {"town": "潞华街道", "for_self": False}
        assert stored.id_number_hash == cipher.lookup_hash(OLD_ID) and "王秀英" not in stored.personal_enc
    columns = {c["name"] for c in inspect(engine).get_columns("applications")}
    assert "applicant_name_enc" not in columns and {"personal_enc", "details"} <= columns
    engine.dispose()
    migrate.downgrade(database_url, "0005", data_key=key)
    engine = make_engine(database_url)
    with engine.connect() as connection:
        row = connection.execute(text("SELECT applicant_name_enc, town, proxy_relation FROM applications")).one()
    engine.dispose()
    assert cipher.decrypt(row[0]) == "王秀英" and row[1] == "潞华街道" and row[2] == "母亲"
