"""Freshness and replay checks of signed WeChat requests (issue 11 item 7).

WeChat's plaintext signature covers only token, timestamp and nonce, not the body: a captured query string could be
sent again with any body. So a request is accepted only when its timestamp is within the window of our clock, and
each (timestamp, nonce) is remembered for the window together with a hash of the body it came with. The same pair
with the same body again is WeChat retrying one delivery (the channel's MsgId dedupe answers it); the same pair with
another body is a replay and is refused."""

from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Callable

from bot.channels.wechat.store import TTLStore

log = logging.getLogger(__name__)


class Refused(Exception):
    """The request is stale, malformed or replayed; the message says which (for the 403 body and the log)."""


class ReplayGuard:
    """Checks timestamps against `window` seconds and remembers nonces in the channel's TTL store."""

    def __init__(self, store: TTLStore, window: float, clock: Callable[[], float] = time.time) -> None:
        self._store = store
        self._window = window
        self._clock = clock

    def check_fresh(self, timestamp: str) -> None:
        """Raises Refused unless `timestamp` (Unix seconds) is within the window of now, either way."""
        if not (timestamp.isascii() and timestamp.isdigit() and len(timestamp) <= 12):
            raise Refused("timestamp missing or not a number")
        if abs(self._clock() - int(timestamp)) > self._window:
            raise Refused("stale timestamp")

    async def check(self, timestamp: str, nonce: str, body: bytes) -> None:
        """Freshness, then the nonce: raises Refused for a stale request or a replayed nonce."""
        self.check_fresh(timestamp)
        if not nonce or len(nonce) > 64:
            raise Refused("nonce missing or too long")
        key = "wechat:nonce:" + hashlib.sha256(f"{timestamp}:{nonce}".encode()).hexdigest()[:32]
        digest = hashlib.sha256(body).hexdigest()
        try:
            if await self._store.add(key, digest, 2 * self._window):
                return
            seen = await self._store.get(key)
        except Exception:  # noqa: BLE001 - Redis down: the timestamp check still holds (docs/security.md)
            log.warning("wechat: nonce store unavailable, request checked for freshness only")
            return
        if seen != digest:
            raise Refused("replayed nonce")
