"""The Rasa-side model watcher follows announcements, and never loads the old model back over a hot swap in flight.

Rasa's /status and PUT /model are played by a small HTTP server on 127.0.0.1 (the watcher's only outside edge)."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from bot.launcher.model_watch import ModelWatcher


class FakeRasa:
    def __init__(self) -> None:
        self.model_file: str | None = None
        self.puts: list[str] = []
        rasa = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 - http.server's naming
                body = json.dumps({"model_file": rasa.model_file}).encode()
                self.send_response(200)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def do_PUT(self) -> None:  # noqa: N802
                data = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                rasa.puts.append(Path(data["model_file"]).name)
                rasa.model_file = data["model_file"]
                self.send_response(204)
                self.end_headers()

            def log_message(self, *args) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


@pytest.fixture()
def rasa() -> Iterator[FakeRasa]:
    fake = FakeRasa()
    yield fake
    fake.server.shutdown()


@pytest.fixture()
def models(tmp_path: Path) -> tuple[str, str]:
    old, new = tmp_path / "old.tar.gz", tmp_path / "new.tar.gz"
    old.write_bytes(b"old")
    new.write_bytes(b"new")
    return str(old), str(new)


def watcher(rasa: FakeRasa) -> ModelWatcher:
    return ModelWatcher("redis://unused", "t", rasa.port, token=None)


def test_a_hot_swap_in_flight_is_not_undone(rasa: FakeRasa, models: tuple[str, str]) -> None:
    old, new = models
    rasa.model_file = old
    watch = watcher(rasa)
    assert watch.follow(old) is False and watch.settled == old  # serves the announced model: nothing to do
    rasa.model_file = new  # the gateway's PUT /model on this replica; its announcement comes a moment later
    assert watch.follow(old) is False, "the key still names the old model: not a new announcement"
    assert rasa.puts == [] and rasa.model_file == new
    assert watch.follow(new) is False and watch.settled == new  # the announcement: already served


def test_an_announcement_is_loaded_and_a_restarted_replica_catches_up(rasa: FakeRasa, models: tuple[str, str]) -> None:
    old, new = models
    rasa.model_file = old
    watch = watcher(rasa)
    watch.follow(old)
    assert watch.follow(new) is True and rasa.puts == ["new.tar.gz"]
    rasa.model_file = old  # the replica restarted on its start model; a new watcher reads the key
    assert watcher(rasa).follow(new) is True and rasa.model_file == new


def test_a_replica_still_starting_is_retried(rasa: FakeRasa, models: tuple[str, str]) -> None:
    _old, new = models
    watch = watcher(rasa)  # /status names no model yet
    assert watch.follow(new) is False and watch.settled is None
    rasa.model_file = _old
    assert watch.follow(new) is True and rasa.model_file == new


def test_a_model_missing_on_this_machine_is_not_settled(rasa: FakeRasa, models: tuple[str, str], tmp_path) -> None:
    old, _new = models
    rasa.model_file = old
    watch = watcher(rasa)
    missing = str(tmp_path / "elsewhere.tar.gz")
    assert watch.follow(missing) is False and watch.settled is None and rasa.puts == []
