"""Count failures per subject in a time window (failed logins, wrong status-query answers).

Counts live in Redis when it is configured (shared by every gateway process), in the database otherwise (shared by
the workers of one machine and kept across restarts), and in this process's memory while Redis is unreachable.
Subjects (usernames, addresses, references) are stored only as keyed hashes."""

from __future__ import annotations

import asyncio
import hashlib
import itertools
import logging
import time
from collections import defaultdict
from collections.abc import Callable
from datetime import datetime, timedelta, timezone

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session, sessionmaker

from bot.storage.models import FailureEvent

log = logging.getLogger(__name__)
PRUNE_EVERY = 200  # failures recorded in the database between two sweeps of expired rows
MEMORY_KEYS = 50_000  # beyond this many subjects the memory fallback forgets those without recent failures


def _sha256(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


class FailureLimiter:
    """`blocked(subject)` once `limit` failures were recorded for `subject` within `window` seconds."""

    def __init__(
        self,
        redis,  # noqa: ANN001 - redis.asyncio.Redis or None
        limit: int,
        window: int,
        prefix: str = "accessline:ratelimit",
        *,
        sessions: sessionmaker[Session] | None = None,
        hasher: Callable[[str], str] = _sha256,
    ) -> None:
        self._redis = redis
        self.limit = limit
        self.window = window
        self._prefix = prefix
        self._sessions = sessions if redis is None else None
        self._hasher = hasher
        self._memory: dict[str, list[float]] = defaultdict(list)
        self._recorded = itertools.count(1)

    def key(self, subject: str) -> str:
        return f"{self._prefix}:{self._hasher(subject)[:40]}"

    # -- memory (also the fallback while Redis is down) ---------------------------------------------------------

    def _recent(self, key: str) -> list[float]:
        cutoff = time.monotonic() - self.window
        self._memory[key] = [t for t in self._memory[key] if t > cutoff]
        return self._memory[key]

    def _remember(self, key: str) -> None:
        if len(self._memory) > MEMORY_KEYS:
            for stale in [k for k in self._memory if not self._recent(k)]:
                del self._memory[stale]
        self._recent(key).append(time.monotonic())

    # -- database ---------------------------------------------------------------------------------------------------

    def _cutoff(self) -> datetime:
        return datetime.now(timezone.utc) - timedelta(seconds=self.window)

    def _db_count(self, key: str) -> int:
        with self._sessions() as session:  # type: ignore[misc]
            query = select(func.count()).where(FailureEvent.key == key, FailureEvent.at > self._cutoff())
            return int(session.scalar(query) or 0)

    def _db_record(self, key: str) -> None:
        with self._sessions() as session:  # type: ignore[misc]
            session.add(FailureEvent(key=key, at=datetime.now(timezone.utc)))
            if next(self._recorded) % PRUNE_EVERY == 0:
                session.execute(
                    delete(FailureEvent).where(FailureEvent.key.startswith(self._prefix + ":"),
                                               FailureEvent.at < self._cutoff())
                )  # fmt: skip
            session.commit()

    def _db_reset(self, key: str) -> None:
        with self._sessions() as session:  # type: ignore[misc]
            session.execute(delete(FailureEvent).where(FailureEvent.key == key))
            session.commit()

    # -- the interface ----------------------------------------------------------------------------------------------

    async def blocked(self, subject: str) -> bool:
        key = self.key(subject)
        if self._redis is not None:
            try:
                return int(await self._redis.get(key) or 0) >= self.limit
            except Exception:  # noqa: BLE001 - Redis down: fall back to this process's memory
                pass
        elif self._sessions is not None:
            return await asyncio.to_thread(self._db_count, key) >= self.limit
        return len(self._recent(key)) >= self.limit

    async def record_failure(self, subject: str) -> None:
        key = self.key(subject)
        if self._redis is not None:
            try:
                async with self._redis.pipeline(transaction=True) as pipe:
                    await pipe.incr(key).expire(key, self.window, nx=True).execute()
                return
            except Exception:  # noqa: BLE001
                log.warning("rate limit kept in memory: Redis unavailable")
        elif self._sessions is not None:
            await asyncio.to_thread(self._db_record, key)
            return
        self._remember(key)

    async def reset(self, subject: str) -> None:
        """Forget the failures of `subject` (e.g. after a successful login)."""
        key = self.key(subject)
        self._memory.pop(key, None)
        if self._redis is not None:
            try:
                await self._redis.delete(key)
            except Exception:  # noqa: BLE001
                pass
        elif self._sessions is not None:
            await asyncio.to_thread(self._db_reset, key)


class LimiterGroup:
    """Several limiters over different subjects of one attempt (e.g. conversation, reference, client): blocked when
    any of them is, and a failure counts for each."""

    def __init__(self, limiters: dict[str, FailureLimiter]) -> None:
        self.limiters = limiters

    async def blocked(self, subjects: dict[str, str]) -> bool:
        for name, subject in subjects.items():
            if await self.limiters[name].blocked(subject):
                return True
        return False

    async def record_failure(self, subjects: dict[str, str]) -> None:
        for name, subject in subjects.items():
            await self.limiters[name].record_failure(subject)
