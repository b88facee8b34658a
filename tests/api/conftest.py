"""A gateway app on a throw-away database (SQLite file, or a PostgreSQL schema), without Rasa."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from bot.cli import create_user
from bot.core.config import Settings
from bot.main import create_app
from tests.conftest import ALWAYS_OPEN, private_pg_schema, scoped_redis_prefix

INTERNAL = {"X-Internal-Token": "internal-test-secret"}
METRICS = {"Authorization": "Bearer metrics-test-token"}
PASSWORD = "correct horse battery"


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request, tmp_path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'api.db'}"
        return
    with private_pg_schema("t_") as url:
        yield url


REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


def make_settings(database_url: str, tmp_path, redis_url: str | None = None, prefix: str = "accessline") -> Settings:
    return Settings(
        database_url=database_url,
        data_dir=tmp_path,
        redis_url=redis_url,
        redis_key_prefix=prefix,
        internal_api_token=INTERNAL["X-Internal-Token"],
        metrics_token=METRICS["Authorization"].removeprefix("Bearer "),
        rasa_url="http://127.0.0.1:9",  # nothing listens: these tests never reach Rasa
        action_server_url="http://127.0.0.1:9",
        escalation_config=ALWAYS_OPEN,
    )


def create_users(database_url: str) -> None:
    for name, role in (("staff1", "staff"), ("op1", "operator"), ("admin1", "admin")):
        create_user(name, role, PASSWORD, database_url)


@pytest.fixture()
def client(database_url, tmp_path) -> Iterator[TestClient]:
    create_users(database_url)
    with TestClient(create_app(make_settings(database_url, tmp_path))) as test_client:
        yield test_client


@pytest.fixture()
def redis_prefix() -> Iterator[str]:
    yield from scoped_redis_prefix(REDIS_URL, "alapi")


@pytest.fixture()
def redis_client(database_url, tmp_path, redis_prefix) -> Iterator[TestClient]:
    """A gateway whose tickets are delivered through the shared Redis (under a key prefix of its own)."""
    create_users(database_url)
    settings = make_settings(database_url, tmp_path, REDIS_URL, redis_prefix)
    with TestClient(create_app(settings)) as test_client:
        yield test_client


def login(client: TestClient, username: str) -> dict[str, str]:
    response = client.post("/api/auth/token", data={"username": username, "password": PASSWORD})
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}
