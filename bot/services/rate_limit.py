"""Count failures per key in a time window: Redis when configured (shared by all workers), else in memory."""

from __future__ import annotations

import time
from collections import defaultdict


class FailureLimiter:
    """`blocked(key)` once `limit` failures were recorded for `key` within `window` seconds."""

    def __init__(self, redis, limit: int, window: int, prefix: str = "accessline:ratelimit") -> None:  # noqa: ANN001
        self._redis = redis
        self._limit = limit
        self._window = window
        self._prefix = prefix
        self._memory: dict[str, list[float]] = defaultdict(list)

    def _recent(self, key: str) -> list[float]:
        cutoff = time.monotonic() - self._window
        self._memory[key] = [t for t in self._memory[key] if t > cutoff]
        return self._memory[key]

    async def blocked(self, key: str) -> bool:
        if self._redis is not None:
            try:
                count = await self._redis.get(f"{self._prefix}:{key}")
                return int(count or 0) >= self._limit
            except Exception:  # noqa: BLE001 - Redis down: fall back to this process's memory
                pass
        return len(self._recent(key)) >= self._limit

    async def record_failure(self, key: str) -> None:
        if self._redis is not None:
            try:
                name = f"{self._prefix}:{key}"
                async with self._redis.pipeline(transaction=True) as pipe:
                    await pipe.incr(name).expire(name, self._window, nx=True).execute()
                return
            except Exception:  # noqa: BLE001
                pass
        self._recent(key).append(time.monotonic())
