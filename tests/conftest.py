"""Shared fixtures: one trained model, one Redis key prefix and one running stack per test run."""

from __future__ import annotations

import os
import random
import socket
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest
import redis

from bot.launcher.model import ensure_model
from bot.launcher.stack import Stack, StackConfig
from tests.residents import Residents

pytest_plugins = ["tests.ci_gate"]  # in CI a skip fails the run

TEST_REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
ALWAYS_OPEN = Path(__file__).parent / "data" / "escalation_always_open.yml"
PG_URL = os.environ.get("TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")


@contextmanager
def private_pg_schema(prefix: str) -> Iterator[str]:
    """A fresh schema on the shared PostgreSQL for one test (its URL), dropped afterwards."""
    from sqlalchemy import text

    from bot.storage.db import make_engine

    schema = prefix + uuid.uuid4().hex[:10]
    admin = make_engine(PG_URL)
    try:
        with admin.begin() as connection:
            connection.execute(text(f"CREATE SCHEMA {schema}"))
    except Exception as exc:  # noqa: BLE001
        pytest.skip(f"PostgreSQL not reachable at {PG_URL}: {type(exc).__name__}")
    try:
        yield f"{PG_URL}?options=-csearch_path%3D{schema}"
    finally:
        with admin.begin() as connection:
            connection.execute(text(f"DROP SCHEMA {schema} CASCADE"))
        admin.dispose()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def free_port_block(count: int) -> int:
    """The first of `count` consecutive free ports (nginx's front, Rasa and action ports), chosen below the kernel's
    ephemeral range so a port the system hands out meanwhile (free_port, outgoing connections) cannot take one."""
    rng = random.Random()
    for _ in range(200):
        first = rng.randrange(20000, 32000 - count)
        sockets: list[socket.socket] = []
        try:
            for port in range(first, first + count):
                s = socket.socket()
                sockets.append(s)
                s.bind(("127.0.0.1", port))
            return first
        except OSError:
            continue
        finally:
            for s in sockets:
                s.close()
    raise RuntimeError(f"no block of {count} free ports")


@pytest.fixture(scope="session")
def trained_model() -> Path:
    """The model for the current training data (trained once, then reused by fingerprint).

    TEST_MODEL=path/to/model.tar.gz runs the suite against a given model instead."""
    override = os.environ.get("TEST_MODEL")
    return Path(override) if override else ensure_model()


def scoped_redis_prefix(url: str, stem: str) -> Iterator[str]:
    """A fresh key prefix on the Redis at `url` (skip when it is not reachable); its keys are deleted afterwards."""
    client = redis.Redis.from_url(url)
    try:
        client.ping()
    except redis.RedisError:
        pytest.skip(f"Redis is not reachable at {url}")
    prefix = stem + uuid.uuid4().hex[:10]
    yield prefix
    for key in client.scan_iter(f"{prefix}:*"):
        client.delete(key)
    client.close()


@pytest.fixture(scope="session")
def redis_prefix() -> Iterator[str]:
    """A key prefix for this test run on the shared Redis; its keys are deleted afterwards."""
    yield from scoped_redis_prefix(TEST_REDIS_URL, "altest")


@pytest.fixture(scope="session")
def stack(trained_model: Path, redis_prefix: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    """Rasa server + action server + gateway, with Redis tracker/lock stores and a fresh SQLite file."""
    workdir = tmp_path_factory.mktemp("stack")
    config = StackConfig(
        model=trained_model,
        port=free_port(),
        rasa_port=free_port(),
        actions_port=free_port(),
        redis_url=TEST_REDIS_URL,
        redis_key_prefix=redis_prefix,
        database_url=f"sqlite:///{workdir / 'accessline.db'}",
        runtime_dir=workdir,
        log_dir=workdir / "logs",
        # The whole suite talks from one address: only the per-conversation limits apply to the shared stack.
        extra_env={"ESCALATION_CONFIG": str(ALWAYS_OPEN), "CHAT_RATE_PER_ADDRESS": "0", "VOICE_RATE_PER_ADDRESS": "0"},
    )
    running = Stack(config)
    try:
        running.start(timeout=300)
    except Exception:
        running.stop()
        for log in sorted((workdir / "logs").glob("*.log")):
            print(f"--- {log.name}\n{log.read_text(errors='replace')[-4000:]}")
        raise
    yield running
    running.stop()


ChatFn = Callable[[str, str], httpx.Response]


@pytest.fixture(scope="session")
def chat(stack: Stack) -> Iterator[ChatFn]:
    """POST one turn to /api/chat and return the raw response (each conversation's key is kept and sent back)."""
    client = httpx.Client(base_url=stack.url, timeout=60)
    residents = Residents(client)
    yield residents.chat
    client.close()


def new_sender() -> str:
    return "t" + uuid.uuid4().hex[:16]


def joined_text(response: httpx.Response) -> str:
    assert response.status_code == 200, response.text
    return "\n".join(m["text"] for m in response.json()["messages"])


def tracker_slots(stack: Stack, sender_id: str) -> dict:
    """The conversation's slots, read from Rasa's tracker API."""
    url = f"http://127.0.0.1:{stack.config.rasa_port}/conversations/{sender_id}/tracker"
    response = httpx.get(url, params={"token": stack.token}, timeout=10)
    response.raise_for_status()
    return response.json()["slots"]
