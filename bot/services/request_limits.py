"""Request rate limits for the resident-facing endpoints (issue 11, low): per client address and per conversation,
counted in one-minute windows that start with a key's first request, in Redis (shared by all gateway workers) or,
without Redis or while it is down, in this process."""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass

from fastapi import HTTPException, Request

log = logging.getLogger(__name__)
TOO_FAST = "您发得太快了，请稍等一会儿再试。着急的话，请直接拨打服务热线。"
WINDOW = 60


@dataclass(frozen=True)
class Limits:
    """Requests per minute; 0 switches a limit off."""

    per_address: int
    per_sender: int


class RequestLimiter:
    """Counts requests per (kind, key) in the current minute and refuses with 429 past the limit."""

    def __init__(self, redis, prefix: str, limits: dict[str, Limits]) -> None:  # noqa: ANN001 - redis.asyncio client
        self._redis = redis
        self._prefix = prefix
        self._limits = limits
        self._memory: dict[str, tuple[float, int]] = {}

    async def _count(self, key: str) -> tuple[int, float]:
        """(requests in this key's current window, seconds until the window ends)."""
        if self._redis is not None:
            name = f"{self._prefix}:{key}"
            try:
                async with self._redis.pipeline(transaction=True) as pipe:
                    count, _, left_ms = await pipe.incr(name).expire(name, WINDOW, nx=True).pttl(name).execute()
                return int(count), max(0.0, left_ms / 1000)
            except Exception:  # noqa: BLE001 - Redis down: count in this process meanwhile
                log.warning("rate limits: Redis unavailable, counting in this process")
        now = time.monotonic()
        if len(self._memory) > 50_000:
            self._memory = {k: v for k, v in self._memory.items() if now - v[0] < WINDOW}
        started, count = self._memory.get(key, (now, 0))
        if now - started >= WINDOW:
            started, count = now, 0
        self._memory[key] = (started, count + 1)
        return count + 1, started + WINDOW - now

    async def check(self, kind: str, address: str | None, sender_id: str | None = None) -> None:
        """Raises HTTPException(429) with Retry-After when this address or conversation is over its limit."""
        limits = self._limits[kind]
        for scope, key, limit in (("addr", address, limits.per_address), ("sender", sender_id, limits.per_sender)):
            if not key or limit <= 0:
                continue
            count, left = await self._count(f"{kind}:{scope}:{key}")
            if count > limit:
                raise HTTPException(429, TOO_FAST, headers={"Retry-After": str(max(1, int(left + 0.999)))})


def client_address(request: Request) -> str | None:
    """The caller's address as uvicorn saw it (behind nginx: run uvicorn with --proxy-headers)."""
    return request.client.host if request.client else None


async def limit(request: Request, kind: str, sender_id: str | None = None) -> None:
    """The app's limiter for one request (see `RequestLimiter.check`)."""
    await request.app.state.request_limiter.check(kind, client_address(request), sender_id)
