"""A model put live reaches every Rasa replica; a replica (re)started on another model catches up by itself.

Two real Rasa servers share Redis (prefix of this test) and the registry (a PostgreSQL schema). The gateway's own
activation path (TrainingRunner.activate: load on one replica, mark live in the registry, announce) puts a second
model file live through replica 1; replica 2 must then serve it without being asked. Replica 2 is killed (-9) and
started again on the old file: its watcher must move it to the registry's live model. The second model is a copy of
the trained model under another name: what is checked is which file each replica serves, not what it answers.
"""

from __future__ import annotations

import asyncio
import shutil
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from redis import asyncio as redis_asyncio

from bot.core.config import Settings
from bot.launcher.registry import startup_model
from bot.launcher.stack import Stack, StackConfig
from bot.storage import migrate
from bot.storage.db import make_engine, make_session_factory
from bot.training import store
from bot.training.broadcast import ModelBroadcast
from bot.training.rasa_admin import RasaAdmin
from bot.training.runner import TrainingRunner
from tests.conftest import TEST_REDIS_URL, free_port

pytestmark = pytest.mark.timeout(600)


def replica(model: Path, prefix: str, workdir: Path, name: str) -> Stack:
    config = StackConfig(model=model, rasa_port=free_port(), actions_port=free_port(), redis_url=TEST_REDIS_URL,
                         redis_key_prefix=prefix, runtime_dir=workdir / name, log_dir=workdir / name,
                         extra_env={"ACCESSLINE_MODEL_WATCH_SECONDS": "5"})  # fmt: skip
    return Stack(config)


def served(stack: Stack) -> str | None:
    try:
        response = httpx.get(f"http://127.0.0.1:{stack.config.rasa_port}/status", params={"token": stack.token},
                             timeout=5)  # fmt: skip
    except httpx.HTTPError:
        return None
    return Path(response.json().get("model_file") or "").name if response.status_code == 200 else None


def wait_serving(stack: Stack, name: str, timeout: float) -> float:
    """Seconds until the replica serves `name`; fails after `timeout`."""
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        if stack.processes["rasa"].poll() is not None:
            raise AssertionError("Rasa exited:\n" + (stack.config.log_dir / "rasa.log").read_text()[-3000:])
        if served(stack) == name:
            return time.monotonic() - started
        time.sleep(1)
    raise AssertionError(f"replica on port {stack.config.rasa_port} serves {served(stack)!r}, not {name!r}")


@pytest.fixture()
def replicas(trained_model: Path, cluster_prefix: str, tmp_path: Path) -> Iterator[tuple[Stack, Stack]]:
    pair = (replica(trained_model, cluster_prefix, tmp_path, "r1"), replica(trained_model, cluster_prefix, tmp_path,
                                                                              "r2"))  # fmt: skip
    try:
        for stack in pair:
            stack.start_rasa()
        for stack in pair:
            wait_serving(stack, trained_model.name, 300)
        yield pair
    finally:
        for stack in pair:
            stack.stop_one("rasa")


def test_live_model_reaches_every_replica(replicas, trained_model: Path, pg_url: str, cluster_prefix: str,
                                          tmp_path: Path) -> None:  # fmt: skip
    first, second = replicas
    candidate = tmp_path / "models" / f"{trained_model.name.removesuffix('.tar.gz')}-live2.tar.gz"
    candidate.parent.mkdir()
    shutil.copy2(trained_model, candidate)
    migrate.upgrade(pg_url)
    engine = make_engine(pg_url)
    sessions = make_session_factory(engine)
    store.register(sessions, trained_model, "", "active")
    entry = store.register(sessions, candidate, "", "candidate")

    async def activate() -> None:
        redis = redis_asyncio.from_url(TEST_REDIS_URL)
        settings = Settings(database_url=pg_url, data_dir=tmp_path, models_dir=candidate.parent)
        admin = RasaAdmin(f"http://127.0.0.1:{first.config.rasa_port}", first.token)
        runner = TrainingRunner(settings, sessions, admin, broadcast=ModelBroadcast(redis, cluster_prefix))
        await runner.activate(entry.id, "tester")
        await redis.aclose()

    asyncio.run(activate())
    assert served(first) == candidate.name  # the replica the gateway talked to
    seconds = wait_serving(second, candidate.name, 120)  # the other one, told only through Redis
    print(f"replica 2 followed in {seconds:.1f}s")
    assert store.active_model(sessions).path == str(candidate)

    # A restart starts from the registry; a replica started on an older file catches up by itself.
    assert startup_model(pg_url) == candidate
    second.processes["rasa"].kill()
    second.processes["rasa"].wait(10)
    second.config.model = trained_model
    second.start_rasa()
    wait_serving(second, candidate.name, 300)
    engine.dispose()
