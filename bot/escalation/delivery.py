"""Deliver tickets to operators through Redis Streams: one stream and one consumer group per queue.

The database is the source of truth. A ticket is published after it is stored; a stream entry is acknowledged only
after a claim is stored. Entries left pending by a gateway that died are read again at start-up; tickets stored
while Redis was down (`delivered = False`) are published when it is back.
"""

from __future__ import annotations

import logging

from redis import asyncio as redis_asyncio
from redis.exceptions import RedisError, ResponseError

log = logging.getLogger(__name__)

GROUP = "operators"


class TicketStreams:
    """Publishing, reading and acknowledging ticket entries."""

    def __init__(
        self, redis: redis_asyncio.Redis | None, queues: list[str], consumer: str, prefix: str = "accessline"
    ) -> None:
        self._redis = redis
        self._queues = queues
        self._consumer = consumer
        self._prefix = f"{prefix}:tickets"

    def stream_name(self, queue: str) -> str:
        return f"{self._prefix}:{queue}"

    def entry_key(self) -> str:
        return f"{self._prefix}:entries"  # hash: ticket id -> "queue|stream entry id"

    @property
    def enabled(self) -> bool:
        return self._redis is not None

    async def ensure_groups(self) -> None:
        if self._redis is None:
            return
        for queue in self._queues:
            try:
                await self._redis.xgroup_create(self.stream_name(queue), GROUP, id="0", mkstream=True)
            except ResponseError as exc:
                if "BUSYGROUP" not in str(exc):
                    raise

    async def publish(self, ticket_id: str, queue: str, priority: str) -> bool:
        """XADD the ticket; False (and nothing raised) when Redis is unreachable."""
        if self._redis is None:
            return False
        try:
            await self.ensure_groups()
            entry = await self._redis.xadd(self.stream_name(queue), {"ticket": ticket_id, "priority": priority})
            await self._redis.hset(self.entry_key(), ticket_id, f"{queue}|{_text(entry)}")
            return True
        except RedisError as exc:
            log.warning("ticket %s not published (Redis: %s); it stays in the database", ticket_id, exc)
            return False

    async def read_new(self, block_ms: int = 1000) -> list[tuple[str, str]]:
        """(queue, ticket id) of entries this gateway has not seen yet, pending ones of dead consumers included."""
        if self._redis is None:
            return []
        found: list[tuple[str, str]] = []
        streams = {self.stream_name(q): ">" for q in self._queues}
        for stream, entries in await self._redis.xreadgroup(GROUP, self._consumer, streams, count=50, block=block_ms):
            queue = _text(stream).removeprefix(self._prefix + ":")
            found += [(queue, _text(fields[b"ticket"])) for _entry, fields in entries]
        return found

    async def reclaim_pending(self, min_idle_ms: int = 0) -> list[tuple[str, str]]:
        """Take over entries delivered to any consumer but never acknowledged (e.g. a gateway that was killed)."""
        if self._redis is None:
            return []
        found: list[tuple[str, str]] = []
        for queue in self._queues:
            _next, entries, *_ = await self._redis.xautoclaim(
                self.stream_name(queue), GROUP, self._consumer, min_idle_time=min_idle_ms, start_id="0-0", count=100
            )
            found += [(queue, _text(fields[b"ticket"])) for _entry, fields in entries if fields]
        return found

    async def acknowledge(self, ticket_id: str) -> None:
        """After the claim (or cancellation) is stored: XACK the entry so that nobody else gets it."""
        if self._redis is None:
            return
        try:
            value = await self._redis.hget(self.entry_key(), ticket_id)
            if value:
                queue, entry = _text(value).split("|", 1)
                await self._redis.xack(self.stream_name(queue), GROUP, entry)
                await self._redis.hdel(self.entry_key(), ticket_id)
        except RedisError as exc:
            log.warning("could not acknowledge ticket %s: %s", ticket_id, exc)

    async def queue_lengths(self) -> dict[str, int]:
        """Pending (delivered, not acknowledged) entries per queue."""
        lengths: dict[str, int] = {}
        if self._redis is None:
            return lengths
        for queue in self._queues:
            try:
                summary = await self._redis.xpending(self.stream_name(queue), GROUP)
                lengths[queue] = int(summary["pending"])
            except RedisError:
                lengths[queue] = 0
        return lengths


def _text(value: bytes | str) -> str:
    return value.decode() if isinstance(value, bytes) else value
