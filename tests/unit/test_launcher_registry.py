"""The launcher starts Rasa from the registry's live model (a restart must not undo what staff put live)."""

from __future__ import annotations

from pathlib import Path

from bot.launcher.model_watch import rasa_port
from bot.launcher.registry import registry_model
from bot.storage import migrate
from bot.storage.db import make_engine, make_session_factory
from bot.training import store


def test_registry_live_model_is_the_start_model(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'reg.db'}"
    assert registry_model(url) is None  # no tables yet: nothing was ever put live
    migrate.upgrade(url)
    assert registry_model(url) is None  # empty registry
    engine = make_engine(url)
    sessions = make_session_factory(engine)
    old, new = tmp_path / "accessline-aaa.tar.gz", tmp_path / "accessline-bbb-job3.tar.gz"
    old.write_bytes(b"old")
    new.write_bytes(b"new")
    store.register(sessions, old, "aaa", "active")
    assert registry_model(url) == old
    entry = store.register(sessions, new, "bbb", "candidate")
    store.mark_active(sessions, entry.id, "staff1")
    assert registry_model(url) == new
    new.unlink()  # the live file is missing on this machine: say so, and fall back to training (None here)
    assert registry_model(url) is None
    engine.dispose()


def test_watcher_finds_rasas_port() -> None:
    assert rasa_port(["rasa", "run", "--enable-api", "-p", "5123"]) == 5123
    assert rasa_port(["rasa", "run", "--port=5124"]) == 5124
    assert rasa_port(["rasa", "run"]) == 5005
