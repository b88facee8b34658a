"""The migration that encrypts tickets (sec_ticket_encryption) on a database that already holds tickets in clear,
on SQLite and PostgreSQL: rows are encrypted in place and decrypt to what they were; the downgrade restores them."""

from __future__ import annotations

import json
from datetime import datetime, timezone

import pytest
from cryptography.fernet import Fernet
from sqlalchemy import inspect, text

from bot.storage import migrate
from bot.storage.db import make_engine
from tests.unit.test_migrations import database_url  # noqa: F401 - the SQLite / PostgreSQL fixture

ID_NUMBER = "140426197503150021"
SUMMARY = {"topic": "care_subsidy", "slots": {"applicant_name": "王秀英", "region": "潞城区"}, "reason": "request"}
TRANSCRIPT = [{"from": "resident", "text": f"我的身份证是{ID_NUMBER}", "at": "2026-11-20T08:00:00+00:00"}]


def _insert_clear_tickets(url: str) -> None:
    engine = make_engine(url)
    now = datetime(2026, 11, 20, tzinfo=timezone.utc)
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO tickets (id, queue, priority, kind, region, channel, sender_id, reason, summary, "
                "transcript, status, created_at, sla_due_at, outcome, delivered) VALUES ('T1', '12385', 'normal', "
                "'chat', '潞城区', 'web', 's1', 'request', :summary, :transcript, 'resolved', :now, :now, "
                ":outcome, false)"
            ),
            {"summary": json.dumps(SUMMARY), "transcript": json.dumps(TRANSCRIPT), "now": now,
             "outcome": "已回电13800138000"},
        )  # fmt: skip
        connection.execute(
            text(
                "INSERT INTO ticket_messages (ticket_id, at, author, operator, text, seen_by_resident) "
                "VALUES ('T1', :now, 'resident', NULL, :text, true)"
            ),
            {"now": now, "text": f"我叫王秀英，身份证{ID_NUMBER}"},
        )
    engine.dispose()


def _rows(url: str) -> tuple[dict, dict]:
    engine = make_engine(url)
    with engine.connect() as connection:
        ticket = dict(connection.execute(text("SELECT * FROM tickets")).mappings().one())
        message = dict(connection.execute(text("SELECT * FROM ticket_messages")).mappings().one())
    engine.dispose()
    return ticket, message


def test_existing_tickets_are_encrypted_and_restored(database_url: str) -> None:  # noqa: F811
    migrate.upgrade(database_url, "0005")
    _insert_clear_tickets(database_url)
    key = Fernet.generate_key().decode()
    migrate.upgrade(database_url, data_key=key)

    ticket, message = _rows(database_url)
    assert "summary" not in ticket and "transcript" not in ticket and "outcome" not in ticket and "text" not in message
    stored = json.dumps([ticket, message], default=str, ensure_ascii=False)
    for secret in ("王秀英", ID_NUMBER, "13800138000"):
        assert secret not in stored, f"{secret} still in clear"
    fernet = Fernet(key.encode())
    assert json.loads(fernet.decrypt(ticket["summary_enc"].encode())) == SUMMARY
    assert json.loads(fernet.decrypt(ticket["transcript_enc"].encode())) == TRANSCRIPT
    assert fernet.decrypt(ticket["outcome_enc"].encode()).decode() == "已回电13800138000"
    assert fernet.decrypt(message["text_enc"].encode()).decode() == f"我叫王秀英，身份证{ID_NUMBER}"
    assert ticket["topic"] == "care_subsidy", "the topic (not personal) moved to a column of its own"

    migrate.downgrade(database_url, "0005", data_key=key)
    ticket, message = _rows(database_url)
    summary = ticket["summary"]
    assert (json.loads(summary) if isinstance(summary, str) else summary) == SUMMARY
    assert message["text"] == f"我叫王秀英，身份证{ID_NUMBER}"
    assert "summary_enc" not in ticket


def test_the_upgrade_refuses_to_run_without_the_data_key_when_tickets_exist(database_url: str) -> None:  # noqa: F811
    migrate.upgrade(database_url, "0005")
    _insert_clear_tickets(database_url)
    with pytest.raises(RuntimeError, match="data key"):
        migrate.upgrade(database_url)
    engine = make_engine(database_url)
    columns = {c["name"] for c in inspect(engine).get_columns("tickets")}
    engine.dispose()
    assert "summary" in columns and "summary_enc" not in columns, "nothing half-done"
    migrate.upgrade(database_url, data_key=Fernet.generate_key().decode())  # with the key it goes through
