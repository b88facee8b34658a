"""Small key-value state of the channel with expiry: Redis when configured (shared by all gateway workers),
otherwise an in-process TTL dictionary (one worker only; see docs/wechat.md)."""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import AsyncIterator
from typing import Protocol

from redis import asyncio as redis_asyncio


class TTLStore(Protocol):
    shared: bool

    async def add(self, key: str, value: str, ttl: float) -> bool:
        """Set the key only if it is absent (atomic); True when this call set it."""

    async def get(self, key: str) -> str | None: ...

    async def put(self, key: str, value: str, ttl: float) -> None: ...

    async def delete(self, key: str) -> None: ...

    def lock(self, key: str, timeout: float) -> contextlib.AbstractAsyncContextManager[None]:
        """A mutual-exclusion lock held at most `timeout` seconds."""


class RedisStore:
    """Keys under `prefix` in the gateway's Redis."""

    shared = True

    def __init__(self, redis: redis_asyncio.Redis, prefix: str) -> None:
        self._redis = redis
        self._prefix = prefix

    def _key(self, key: str) -> str:
        return f"{self._prefix}:{key}"

    async def add(self, key: str, value: str, ttl: float) -> bool:
        return bool(await self._redis.set(self._key(key), value, nx=True, px=max(1, int(ttl * 1000))))

    async def get(self, key: str) -> str | None:
        raw = await self._redis.get(self._key(key))
        return raw.decode() if isinstance(raw, bytes) else raw

    async def put(self, key: str, value: str, ttl: float) -> None:
        await self._redis.set(self._key(key), value, px=max(1, int(ttl * 1000)))

    async def delete(self, key: str) -> None:
        await self._redis.delete(self._key(key))

    @contextlib.asynccontextmanager
    async def lock(self, key: str, timeout: float) -> AsyncIterator[None]:
        async with self._redis.lock(self._key(key), timeout=timeout, blocking_timeout=timeout):
            yield


class MemoryStore:
    """The same operations inside one process (used when REDIS_URL is not set)."""

    shared = False

    def __init__(self) -> None:
        self._data: dict[str, tuple[str, float]] = {}
        self._locks: dict[str, asyncio.Lock] = {}

    def _live(self, key: str) -> str | None:
        item = self._data.get(key)
        if item is None:
            return None
        if item[1] <= time.monotonic():
            del self._data[key]
            return None
        return item[0]

    def _sweep(self) -> None:
        if len(self._data) > 10_000:
            now = time.monotonic()
            for key in [k for k, (_v, expires) in self._data.items() if expires <= now]:
                del self._data[key]

    async def add(self, key: str, value: str, ttl: float) -> bool:
        if self._live(key) is not None:
            return False
        await self.put(key, value, ttl)
        return True

    async def get(self, key: str) -> str | None:
        return self._live(key)

    async def put(self, key: str, value: str, ttl: float) -> None:
        self._sweep()
        self._data[key] = (value, time.monotonic() + ttl)

    async def delete(self, key: str) -> None:
        self._data.pop(key, None)

    @contextlib.asynccontextmanager
    async def lock(self, key: str, timeout: float) -> AsyncIterator[None]:
        lock = self._locks.setdefault(key, asyncio.Lock())
        await asyncio.wait_for(lock.acquire(), timeout)
        try:
            yield
        finally:
            lock.release()
