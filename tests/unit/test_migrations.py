"""Migrations go up and down on SQLite (default) and PostgreSQL (127.0.0.1:5432, database test)."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import pytest
from sqlalchemy import inspect, text

from bot.storage import migrate
from bot.storage.db import make_engine

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
