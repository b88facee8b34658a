"""Tell every Rasa replica which model is live: the registry (database) is the truth, Redis carries the news.

When a model goes live the gateway writes its path under `<prefix>:model:live` and publishes it on the channel of
the same name. Each Rasa replica runs a watcher (bot/launcher/model_watch.py) that loads the announced model when it
serves another one, on the message or, if it missed it (Redis away, replica restarting), on its next look at the key.
Every gateway re-announces the registry's live model periodically, so the key never drifts from the registry.
"""

from __future__ import annotations

import asyncio
import logging

from redis import asyncio as redis_asyncio
from redis.exceptions import RedisError

from bot.training.store import Sessions, active_model

log = logging.getLogger(__name__)


def live_key(prefix: str) -> str:
    """The Redis key (and pub/sub channel) naming the live model's path."""
    return f"{prefix}:model:live"


def registry_live_path(sessions: Sessions) -> str | None:
    """The path of the model the registry says is live (None before any model was registered)."""
    active = active_model(sessions)
    return active.path if active is not None else None


class ModelBroadcast:
    """Announce the live model to every Rasa replica."""

    def __init__(self, redis: redis_asyncio.Redis, prefix: str) -> None:
        self._redis = redis
        self.key = live_key(prefix)

    async def announce(self, path: str) -> bool:
        """SET the key and PUBLISH the path; False (nothing raised) when Redis is away (replicas catch up later)."""
        try:
            await self._redis.set(self.key, path)
            receivers = await self._redis.publish(self.key, path)
        except (RedisError, OSError) as exc:
            log.warning("live model not announced (Redis: %s); replicas pick it up when Redis is back", exc)
            return False
        log.info("live model announced to %d listening Rasa replicas: %s", receivers, path.rsplit("/", 1)[-1])
        return True

    async def reassert(self, sessions: Sessions) -> bool:
        """Announce the registry's live model again when the key says something else; True when it did."""
        path = await asyncio.to_thread(registry_live_path, sessions)
        if path is None:
            return False
        current = await self._redis.get(self.key)
        if current is not None and current.decode(errors="replace") == path:
            return False
        return await self.announce(path)


async def keep_announced(broadcast: ModelBroadcast, sessions: Sessions, stop: asyncio.Event, every: float = 30.0):
    """Re-assert the registry's live model on Redis until `stop` is set (after a Redis restart, for instance)."""
    while not stop.is_set():
        try:
            await broadcast.reassert(sessions)
        except Exception as exc:  # noqa: BLE001 - database or Redis away for a moment: next round
            log.warning("live model not re-asserted: %s", type(exc).__name__)
        try:
            await asyncio.wait_for(stop.wait(), every)
        except asyncio.TimeoutError:
            pass
