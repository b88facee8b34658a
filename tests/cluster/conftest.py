"""Fixtures of the cluster tests: a PostgreSQL schema and a Redis key prefix shared by several real gateways."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.cli import create_user
from tests.cluster.processes import GatewayProcess
from tests.conftest import ALWAYS_OPEN, TEST_REDIS_URL, private_pg_schema, scoped_redis_prefix

PASSWORD = "correct horse battery"
INTERNAL_TOKEN = "internal-" + secrets.token_hex(8)


@pytest.fixture()
def pg_url() -> Iterator[str]:
    """A fresh schema on the shared PostgreSQL (dropped afterwards)."""
    with private_pg_schema("c_") as url:
        yield url


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
