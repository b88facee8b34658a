"""Inside each Rasa replica: load the model the registry put live (announced on Redis by the gateway).

Runs in the Rasa environment as a daemon thread of `bot.launcher.rasa_main` (standard library and redis-py only).
It listens on `<prefix>:model:live` and, every `poll_seconds` and after every reconnect, reads the key of that name,
so a replica that was down or cut off from Redis when a model went live catches up by itself. Loading goes through
the replica's own `PUT /model` on 127.0.0.1 (conversations stay in the tracker store and carry on).

The watcher acts on an announcement it has not yet settled, never on a mere difference between the key and what the
replica serves: while the gateway hot-swaps one replica (PUT /model, then the announcement), the key still names the
old model for a moment, and a watcher comparing the two would load the old model back over the new one.
"""

from __future__ import annotations

import json
import logging
import os
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

log = logging.getLogger("accessline.model_watch")
REDIS_VARIABLE = "ACCESSLINE_MODEL_WATCH_REDIS"  # Redis URL; unset = no watcher (a single stack without Redis)
PREFIX_VARIABLE = "REDIS_KEY_PREFIX"


class ModelWatcher:
    """Keep one Rasa server on the announced live model."""

    def __init__(self, redis_url: str, prefix: str, rasa_port: int, token: str | None, poll_seconds: float = 15.0):
        self.redis_url = redis_url
        self.key = f"{prefix}:model:live"
        self.base = f"http://127.0.0.1:{rasa_port}"
        self.token = token
        self.poll_seconds = poll_seconds
        self.loaded = 0  # models this watcher loaded
        self.settled: str | None = None  # the last announcement this replica is known to serve

    def _url(self, path: str) -> str:
        query = f"?{urllib.parse.urlencode({'token': self.token})}" if self.token else ""
        return f"{self.base}{path}{query}"

    def served(self) -> str | None:
        """The file name of the model this replica serves; None while it is starting or has none."""
        try:
            with urllib.request.urlopen(self._url("/status"), timeout=5) as response:
                model_file = json.loads(response.read()).get("model_file")
        except (OSError, ValueError):
            return None
        return Path(model_file).name if model_file else None

    def follow(self, announced: str | None) -> bool:
        """Converge on `announced` unless it is the announcement already settled; True when a model was loaded."""
        if not announced or announced == self.settled:
            return False
        loaded = self.converge(announced)
        if loaded or self.served() == Path(announced).name:
            self.settled = announced
        return loaded

    def converge(self, announced: str | None) -> bool:
        """Load `announced` if this replica serves something else (and the file is there); True when loaded."""
        if not announced:
            return False
        served = self.served()
        if served is None or served == Path(announced).name:
            return False
        if not Path(announced).is_file():
            log.warning("announced live model %s is not on this machine; keeping %s", announced, served)
            return False
        body = json.dumps({"model_file": announced}).encode()
        request = urllib.request.Request(self._url("/model"), data=body, method="PUT",
                                         headers={"Content-Type": "application/json"})  # fmt: skip
        try:
            with urllib.request.urlopen(request, timeout=300):
                pass
        except (OSError, urllib.error.HTTPError) as exc:
            log.warning("could not load the live model %s: %s", Path(announced).name, exc)
            return False
        self.loaded += 1
        log.warning("now serving the live model %s (was %s)", Path(announced).name, served)
        return True

    def run(self, stop: threading.Event) -> None:
        """Listen and poll until `stop` is set; survives Redis and Rasa restarts."""
        import redis

        while not stop.is_set():
            try:
                client = redis.Redis.from_url(self.redis_url, socket_timeout=self.poll_seconds + 5)
                pubsub = client.pubsub(ignore_subscribe_messages=True)
                pubsub.subscribe(self.key)
                next_poll = 0.0
                while not stop.is_set():
                    if time.monotonic() >= next_poll:
                        value = client.get(self.key)
                        self.follow(value.decode() if value else None)
                        next_poll = time.monotonic() + self.poll_seconds
                    message = pubsub.get_message(timeout=1.0)
                    if message and message.get("type") == "message":
                        data = message["data"]
                        self.follow(data.decode() if isinstance(data, bytes) else str(data))
            except redis.RedisError as exc:
                log.warning("model watcher: Redis unavailable (%s); retrying", type(exc).__name__)
                stop.wait(2.0)


def rasa_port(argv: list[str]) -> int:
    """The -p/--port value of Rasa's command line (Rasa's default 5005)."""
    for index, arg in enumerate(argv):
        if arg in ("-p", "--port") and index + 1 < len(argv):
            return int(argv[index + 1])
        if arg.startswith("--port="):
            return int(arg.split("=", 1)[1])
    return 5005


def start_from_environment(argv: list[str], token: str | None) -> threading.Thread | None:
    """Start the watcher thread when the launcher named a Redis for it (else None)."""
    redis_url = os.environ.get(REDIS_VARIABLE)
    if not redis_url or "run" not in argv or "actions" in argv:
        return None
    watcher = ModelWatcher(redis_url, os.environ.get(PREFIX_VARIABLE) or "accessline", rasa_port(argv), token,
                           float(os.environ.get("ACCESSLINE_MODEL_WATCH_SECONDS") or 15))  # fmt: skip
    thread = threading.Thread(target=watcher.run, args=(threading.Event(),), name="model-watch", daemon=True)
    thread.start()
    return thread
