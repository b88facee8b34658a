"""Console events shared by every gateway through one Redis stream (each gateway reads all of it, from its own place).

A gateway delivers its own events to its own consoles at once, then appends them here; every other gateway reads the
stream (XREAD, no consumer group: each reader sees every entry) and hands them to its local hub. Entries carry no
personal data: a new operator message travels as its id, and the reading gateway loads it from the database (the
truth); a resident's conversation travels as a digest. The stream is capped (MAXLEN ~), it is a relay, not a record.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import secrets
import socket
from dataclasses import dataclass
from typing import Any

from redis import asyncio as redis_asyncio
from redis.exceptions import RedisError

log = logging.getLogger(__name__)

KINDS = ("broadcast", "message", "close_operator", "resident")
MAX_ENTRY_BYTES = 64 * 1024  # an entry larger than this is not ours: dropped unread
STREAM_LENGTH = 10_000


def new_origin() -> str:
    """A name for this gateway process, unique across machines (pids repeat between containers)."""
    return f"{socket.gethostname()[:32]}-{os.getpid()}-{secrets.token_hex(3)}"


def sender_digest(sender_id: str) -> str:
    """How a conversation is named on the relay (the stream never holds the sender id itself)."""
    return hashlib.sha256(sender_id.encode()).hexdigest()[:24]


@dataclass(frozen=True)
class RelayedEvent:
    """One entry read from the stream."""

    entry_id: str
    origin: str
    kind: str
    body: dict[str, Any]


class ConsoleFanout:
    """Append console events to the shared stream and read the ones other gateways appended."""

    def __init__(self, redis: redis_asyncio.Redis, prefix: str, origin: str | None = None) -> None:
        self._redis = redis
        self.stream = f"{prefix}:console-events"
        self.origin = origin or new_origin()
        self.published = 0  # entries appended by this gateway (bench: Redis round trips per turn)

    async def publish(self, kind: str, body: dict[str, Any]) -> bool:
        """XADD one event; False (nothing raised) when Redis is away: local consoles already have it."""
        payload = json.dumps(body, ensure_ascii=False, default=str)
        try:
            await self._redis.xadd(
                self.stream, {"origin": self.origin, "kind": kind, "body": payload},
                maxlen=STREAM_LENGTH, approximate=True,
            )  # fmt: skip
        except (RedisError, OSError) as exc:
            log.warning("console event %s not relayed to other gateways (Redis: %s)", kind, type(exc).__name__)
            return False
        self.published += 1
        return True

    async def last_id(self) -> str:
        """Where a reader starting now begins: after the newest entry ("0-0" for an empty stream)."""
        newest = await self._redis.xrevrange(self.stream, count=1)
        return _text(newest[0][0]) if newest else "0-0"

    async def read(self, after: str, block_ms: int = 1000, count: int = 200) -> list[RelayedEvent]:
        """Entries after `after` (blocking up to `block_ms`), other gateways' and our own alike."""
        found: list[RelayedEvent] = []
        for _stream, entries in await self._redis.xread({self.stream: after}, count=count, block=block_ms) or []:
            for entry_id, fields in entries:
                found.append(_parse(_text(entry_id), fields))
        return found


def _parse(entry_id: str, fields: dict) -> RelayedEvent:
    """An entry as an event; a malformed or oversized one becomes an event of kind "" (skipped by readers)."""
    values = {_text(k): v for k, v in fields.items()}
    raw = values.get("body", b"")
    kind = _text(values.get("kind", b""))
    if len(raw) > MAX_ENTRY_BYTES or kind not in KINDS:
        return RelayedEvent(entry_id, _text(values.get("origin", b"")), "", {})
    try:
        body = json.loads(raw)
    except ValueError:
        body = None
    if not isinstance(body, dict):
        return RelayedEvent(entry_id, _text(values.get("origin", b"")), "", {})
    return RelayedEvent(entry_id, _text(values.get("origin", b"")), kind, body)


def _text(value: bytes | str) -> str:
    return value.decode(errors="replace") if isinstance(value, bytes) else value
