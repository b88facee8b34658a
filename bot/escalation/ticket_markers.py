"""Which conversations have (or had) a ticket, answered from Redis: a marker per conversation, shared by every gateway.

Every chat turn asks whether its conversation has a ticket (a person may hold it) — almost never the case. With Redis,
the escalation service sets `<prefix>:has-ticket:<hash of the sender>` when it stores a ticket (markers are never
removed: tickets are never deleted), so a turn reads the answer in a round trip it makes anyway (the rate-limit
script, bot/services/request_limits.py) instead of a database lookup. A per-process cache would be wrong across
gateways; this is not.

The markers are only trusted while `<prefix>:has-ticket:ready` exists: it holds the time up to which every ticket in
the database is known to have its marker, written by `sync` (each gateway, at start and every SYNC_SECONDS: every
conversation with a ticket when the key is missing — the one-time backfill, and again after Redis lost its data — else
the tickets created since that time less a margin). Without it, or without Redis, the tickets table is asked as
before. A marker whose write failed (Redis away at that moment while the ready key survived, or a ticket stored by a
gateway of an older version during an upgrade) is written by the next `sync`: until then, at most SYNC_SECONDS once
Redis answers again, that one conversation's turns can miss its ticket. The markers have no expiry, so Redis must not
evict such keys (maxmemory-policy noeviction or a volatile-* policy)."""

from __future__ import annotations

import asyncio
import hashlib
import logging
import secrets
from datetime import datetime, timedelta, timezone

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bot.storage.models import Ticket

log = logging.getLogger(__name__)
SYNC_SECONDS = 2.0  # how long a marker whose write failed can be missing once Redis answers again
MARGIN = timedelta(seconds=60)  # a ticket committed a little after the time it was created at is still caught
BATCH = 500
# KEYS: the ready key, the backfill token key; ARGV: the new ready time, this backfill's token ('' for an incremental
# sync). The ready time moves only if nothing wiped Redis meanwhile: an incremental sync needs the ready key still
# there, a backfill its own token (a flush during the backfill took some of its markers with it).
FINISH_SCRIPT = """
if ARGV[2] == '' then
  if redis.call('SET', KEYS[1], ARGV[1], 'XX') then return 1 end
  return 0
end
if redis.call('GET', KEYS[2]) == ARGV[2] then
  redis.call('SET', KEYS[1], ARGV[1])
  redis.call('DEL', KEYS[2])
  return 1
end
return 0
"""


def marker_key(prefix: str, sender_id: str) -> str:
    """The Redis key saying that this conversation has (or had) a ticket."""
    return f"{prefix}:has-ticket:{hashlib.sha256(sender_id.encode()).hexdigest()[:32]}"


def ready_key(prefix: str) -> str:
    """The key whose presence says the markers are complete (its value: up to which time)."""
    return f"{prefix}:has-ticket:ready"


def answer(ready: object, marker: object) -> bool | None:
    """What the two keys say: True / False, or None when the markers cannot be trusted (ask the database)."""
    if not ready:
        return None
    return bool(marker)


class TicketMarkers:
    """Reads and writes the markers; without Redis every answer is None (the caller asks the database)."""

    def __init__(self, redis, prefix: str, sessions: sessionmaker[Session]) -> None:  # noqa: ANN001 - redis.asyncio
        self._redis = redis
        self._prefix = prefix
        self._sessions = sessions
        self._finish = redis.register_script(FINISH_SCRIPT) if redis is not None else None

    @property
    def enabled(self) -> bool:
        return self._redis is not None

    def keys(self, sender_id: str) -> list[str]:
        """[ready key, marker key]: for a caller that reads them in its own round trip (then `answer`)."""
        return [ready_key(self._prefix), marker_key(self._prefix, sender_id)] if self._redis is not None else []

    def marker(self, sender_id: str) -> str | None:
        return marker_key(self._prefix, sender_id) if self._redis is not None else None

    async def read(self, sender_id: str) -> bool | None:
        """Does the conversation have a ticket: one MGET; None without Redis, while it is down or before the
        markers are complete."""
        if self._redis is None:
            return None
        try:
            return answer(*await self._redis.mget(self.keys(sender_id)))
        except Exception as exc:  # noqa: BLE001 - Redis down: the database answers
            log.warning("ticket markers unavailable: %s", type(exc).__name__)
            return None

    async def opened(self, sender_id: str) -> bool:
        """A ticket was just stored for this conversation: mark it (before the action server hears back, so the turn
        that opened it reads it). False when Redis could not be written (`sync` writes it later)."""
        if self._redis is None:
            return False
        try:
            await self._redis.set(marker_key(self._prefix, sender_id), 1)
            return True
        except Exception as exc:  # noqa: BLE001 - the next sync writes it; meanwhile this gateway's turns fail over
            log.warning("ticket marker not set: %s", type(exc).__name__)
            return False

    def _senders(self, since: datetime | None) -> list[str]:
        query = select(Ticket.sender_id).distinct()
        if since is not None:
            query = query.where(Ticket.created_at >= since)
        with self._sessions() as session:
            return list(session.scalars(query))

    async def sync(self) -> int | None:
        """Write the markers of the tickets stored since the ready time (all of them when it is missing), then move
        the ready time to when this sync started. Answers how many markers were written; None without Redis."""
        if self._redis is None:
            return None
        started = datetime.now(timezone.utc)
        ready = await self._redis.get(ready_key(self._prefix))
        since = None
        if ready:
            since = datetime.fromisoformat(ready.decode() if isinstance(ready, bytes) else ready) - MARGIN
        token = "" if since is not None else secrets.token_hex(8)
        if token:
            await self._redis.set(f"{ready_key(self._prefix)}:backfill", token, ex=3600)
        senders = await asyncio.to_thread(self._senders, since)
        for start in range(0, len(senders), BATCH):
            async with self._redis.pipeline(transaction=False) as pipe:
                for sender_id in senders[start : start + BATCH]:
                    pipe.set(marker_key(self._prefix, sender_id), 1)
                await pipe.execute()
        keys = [ready_key(self._prefix), f"{ready_key(self._prefix)}:backfill"]
        if not await self._finish(keys=keys, args=[started.isoformat(), token]):
            log.warning("ticket markers: Redis lost its data (or another backfill took over): next sync starts over")
            return len(senders)
        if since is None:
            log.info("ticket markers: %d conversations with a ticket marked (backfill)", len(senders))
        return len(senders)


async def keep_synced(markers: TicketMarkers, stop: asyncio.Event, seconds: float = SYNC_SECONDS) -> None:
    """`sync` at start and every `seconds` until `stop` is set; survives Redis and database outages."""
    if not markers.enabled:
        return
    while not stop.is_set():
        try:
            await markers.sync()
        except Exception as exc:  # noqa: BLE001 - try again next time; meanwhile turns ask the database
            log.warning("ticket markers not synced: %s", type(exc).__name__)
        try:
            await asyncio.wait_for(stop.wait(), seconds)
        except asyncio.TimeoutError:
            pass
