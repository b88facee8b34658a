"""Request rate limits for the resident-facing endpoints (issue 11, low): per client address and per conversation,
counted in one-minute windows that start with a key's first request, in Redis (shared by all gateway workers; one
script call per request) or, without Redis or while it is down, in this process."""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass

from fastapi import HTTPException, Request

log = logging.getLogger(__name__)
TOO_FAST = "您发得太快了，请稍等一会儿再试。着急的话，请直接拨打服务热线。"
WINDOW = 60
# Each of the first ARGV[2] keys: count this request, start its window with the first one (an expiry only where none
# is set), and answer (count, milliseconds left); each key after those is only read (1 when it exists, else 0: what the
# caller reads along, e.g. the ticket markers). One script call for all of a request's keys: one round trip (EVALSHA).
COUNT_SCRIPT = """
local replies = {}
local counted = tonumber(ARGV[2])
for i, key in ipairs(KEYS) do
  if i > counted then
    replies[i] = redis.call('EXISTS', key)
  else
    local count = redis.call('INCR', key)
    local left = redis.call('PTTL', key)
    if left < 0 then
      redis.call('PEXPIRE', key, ARGV[1])
      left = tonumber(ARGV[1])
    end
    replies[i] = {count, left}
  end
end
return replies
"""


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
        self._script = redis.register_script(COUNT_SCRIPT) if redis is not None else None

    def _count_here(self, key: str) -> tuple[int, float]:
        """This process's count (no Redis, or Redis down)."""
        now = time.monotonic()
        if len(self._memory) > 50_000:
            self._memory = {k: v for k, v in self._memory.items() if now - v[0] < WINDOW}
        started, count = self._memory.get(key, (now, 0))
        if now - started >= WINDOW:
            started, count = now, 0
        self._memory[key] = (started, count + 1)
        return count + 1, started + WINDOW - now

    async def _counts(self, keys: list[str], read: list[str]) -> tuple[list[tuple[int, float]], list[bool] | None]:
        """(requests in each key's current window, seconds until that window ends), and whether each of the `read`
        keys exists (None without Redis): all in one round trip."""
        if self._redis is not None:
            try:
                names = [f"{self._prefix}:{key}" for key in keys]
                replies = await self._script(keys=[*names, *read], args=[WINDOW * 1000, len(names)])
                counts = [(int(count), max(0.0, int(left_ms) / 1000)) for count, left_ms in replies[: len(names)]]
                return counts, [bool(found) for found in replies[len(names) :]]
            except Exception:  # noqa: BLE001 - Redis down: count in this process meanwhile
                log.warning("rate limits: Redis unavailable, counting in this process")
        return [self._count_here(key) for key in keys], None

    async def check(
        self, kind: str, address: str | None, sender_id: str | None = None, read: list[str] | None = None
    ) -> list[bool] | None:
        """Raises HTTPException(429) with Retry-After when this address or conversation is over its limit.

        `read`: Redis keys the caller wants to know exist, read in the same round trip; answers a flag for each
        (None when they could not be read: no Redis, or Redis down)."""
        limits = self._limits[kind]
        counted = [(f"{kind}:{scope}:{key}", limit)
                   for scope, key, limit in (("addr", address, limits.per_address),
                                             ("sender", sender_id, limits.per_sender))
                   if key and limit > 0]  # fmt: skip
        if not counted and not read:
            return None
        counts, found = await self._counts([key for key, _ in counted], list(read or []))
        for (count, left), (_key, limit) in zip(counts, counted, strict=True):
            if count > limit:
                raise HTTPException(429, TOO_FAST, headers={"Retry-After": str(max(1, int(left + 0.999)))})
        return found if read else None


def client_address(request: Request) -> str | None:
    """The caller's address as uvicorn saw it (behind nginx: run uvicorn with --proxy-headers)."""
    return request.client.host if request.client else None


async def limit(
    request: Request, kind: str, sender_id: str | None = None, read: list[str] | None = None
) -> list[bool] | None:
    """The app's limiter for one request (see `RequestLimiter.check`)."""
    return await request.app.state.request_limiter.check(kind, client_address(request), sender_id, read)
