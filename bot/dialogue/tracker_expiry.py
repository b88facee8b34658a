"""How long Rasa keeps a conversation that held personal data in Redis.

Rasa's RedisTrackerStore (3.6) keeps each conversation under one key, `<prefix>:tracker:<sender_id>` (just
`tracker:<sender_id>` when the prefix is not alphanumeric), and sets its expiry to `record_exp` on every save, that is
on every turn and every event appended through the HTTP API. Once a conversation held personal data (a typed ID or
phone number, a submitted application, a hand-over) the gateway remembers that (a marker key that lives as long as
the tracker could) and, after each turn, cuts the tracker's expiry down to `tracker_personal_data_seconds`: such a
conversation is forgotten that long after its last message instead of after a week. Without Redis, Rasa keeps
conversations in its own memory and nothing here applies.

The same after-turn script also answers whether the conversation has a ticket now (its marker, which the escalation
service sets when it stores one, on whichever gateway the action server reached: bot/escalation/ticket_markers.py),
so the chat service learns that the turn opened one in the same round trip, without reading the tickets table.
"""

from __future__ import annotations

import hashlib
import logging

log = logging.getLogger(__name__)

RASA_TRACKER_PREFIX = "tracker:"  # rasa.core.tracker_store.DEFAULT_REDIS_TRACKER_STORE_KEY_PREFIX
# KEYS: the marker, the tracker; ARGV: marker seconds, personal seconds. Each is one Redis round trip (EVALSHA).
MARK_SCRIPT = """
redis.call('SET', KEYS[1], 1, 'EX', ARGV[1])
redis.call('EXPIRE', KEYS[2], ARGV[2])
return 1
"""
# KEYS: the marker, the tracker, the conversation's ticket marker. Answers 1 when the ticket marker is there.
AFTER_TURN_SCRIPT = """
local opened = redis.call('EXISTS', KEYS[3])
if redis.call('EXISTS', KEYS[1]) == 1 then
  redis.call('EXPIRE', KEYS[2], ARGV[2])
  redis.call('EXPIRE', KEYS[1], ARGV[1])
end
return opened
"""


def rasa_tracker_key(key_prefix: str, sender_id: str) -> str:
    """The Redis key of a conversation, exactly as RedisTrackerStore forms it."""
    if key_prefix and key_prefix.isalnum():
        return f"{key_prefix}:{RASA_TRACKER_PREFIX}{sender_id}"
    return RASA_TRACKER_PREFIX + sender_id


class TrackerExpiry:
    """Marks conversations that held personal data and keeps their Rasa tracker short-lived."""

    def __init__(
        self, redis, rasa_key_prefix: str, gateway_prefix: str, personal_seconds: int, marker_seconds: int
    ) -> None:  # noqa: ANN001 - redis.asyncio.Redis or None
        self._redis = redis
        self._rasa_prefix = rasa_key_prefix
        self._gateway_prefix = gateway_prefix
        self.personal_seconds = personal_seconds
        self._marker_seconds = marker_seconds
        self._mark = redis.register_script(MARK_SCRIPT) if redis is not None else None
        self._after_turn = redis.register_script(AFTER_TURN_SCRIPT) if redis is not None else None

    def _keys_args(self, sender_id: str) -> dict:
        return {
            "keys": [self._marker(sender_id), rasa_tracker_key(self._rasa_prefix, sender_id)],
            "args": [self._marker_seconds, self.personal_seconds],
        }

    def _marker(self, sender_id: str) -> str:
        return f"{self._gateway_prefix}:personal:{_hashed(sender_id)}"

    async def mark(self, sender_id: str) -> None:
        """This conversation held personal data: shorten its tracker's life now and after every later turn."""
        if self._redis is None:
            return
        try:
            await self._mark(**self._keys_args(sender_id))
        except Exception as exc:  # noqa: BLE001 - Redis down: the tracker keeps Rasa's own expiry
            log.warning("tracker expiry not shortened: %s", type(exc).__name__)

    async def after_turn(self, sender_id: str, ticket_marker: str | None = None) -> bool | None:
        """Rasa just saved the tracker (and reset its expiry): cut it down again if the conversation is marked.

        Answers whether `ticket_marker` (the conversation's ticket marker key) exists: True or False, or None when
        Redis could not say (none configured, no key given, or Redis down) — the caller then asks the database."""
        if self._redis is None:
            return None
        try:  # the marker, too, lives on as long as the conversation goes on
            marker_and_tracker = self._keys_args(sender_id)
            marker_and_tracker["keys"].append(ticket_marker or self._marker(sender_id))
            opened = bool(await self._after_turn(**marker_and_tracker))
            return opened if ticket_marker else None
        except Exception as exc:  # noqa: BLE001
            log.warning("tracker expiry not checked: %s", type(exc).__name__)
            return None


def _hashed(sender_id: str) -> str:
    return hashlib.sha256(sender_id.encode()).hexdigest()[:32]
