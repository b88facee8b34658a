"""Fixtures of the cluster tests: a PostgreSQL schema and a Redis key prefix shared by several real gateways."""

from __future__ import annotations

import os
import secrets
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text

from bot.cli import create_user
from bot.storage.db import make_engine
from tests.cluster.processes import GatewayProcess
from tests.conftest import ALWAYS_OPEN, TEST_REDIS_URL, scoped_redis_prefix

PG_URL = os.environ.get("TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")
PASSWORD = "correct horse battery"
INTERNAL_TOKEN = "internal-" + secrets.token_hex(8)


@pytest.fixture()
def pg_url() -> Iterator[str]:
    """A fresh schema on the shared PostgreSQL (dropped afterwards)."""
    schema = "c_" + uuid.uuid4().hex[:10]
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


@pytest.fixture()
def cluster_prefix() -> Iterator[str]:
    yield from scoped_redis_prefix(TEST_REDIS_URL, "alcl")


def gateway_env(database_url: str, redis_url: str | None, prefix: str, data_dir: Path) -> dict[str, str]:
    """What every gateway of one test cluster shares: database, Redis, secrets; no Rasa (these tests need none)."""
    env = {
        "DATABASE_URL": database_url,
        "REDIS_KEY_PREFIX": prefix,
        "DATA_DIR": str(data_dir),
        "ACCESSLINE_MASTER_SECRET": "cluster-test-master-" + prefix,
        "INTERNAL_API_TOKEN": INTERNAL_TOKEN,
        "RASA_URL": "http://127.0.0.1:9",
        "ACTION_SERVER_URL": "http://127.0.0.1:9",
        "ESCALATION_CONFIG": str(ALWAYS_OPEN),
        "TRAINING_RUNNER": "false",
        "CHAT_RATE_PER_ADDRESS": "0",
        "LOG_LEVEL": "INFO",
    }
    if redis_url:
        env["REDIS_URL"] = redis_url
    return env


def create_operators(database_url: str, *names: str) -> None:
    for name in names:
        create_user(name, "operator", PASSWORD, database_url)


@pytest.fixture()
def gateways(pg_url: str, cluster_prefix: str, tmp_path: Path) -> Iterator[tuple[GatewayProcess, GatewayProcess]]:
    create_operators(pg_url, "op_a", "op_b")  # also migrates the schema once, before either gateway starts
    env = gateway_env(pg_url, TEST_REDIS_URL, cluster_prefix, tmp_path)
    pair = (GatewayProcess("gateway-a", env, tmp_path), GatewayProcess("gateway-b", env, tmp_path))
    try:
        for gateway in pair:
            gateway.start()
        for gateway in pair:
            gateway.wait_alive()
        yield pair
    finally:
        for gateway in pair:
            gateway.stop()
