"""Conversation keys: only the web client that started a conversation may speak in it and read its replies.

The first `POST /api/chat` (or `/api/voice/turn`) of a new conversation id answers a random key
(`conversation_key`); the client keeps it (the web chat: in localStorage, beside the id) and sends it back in the
`X-Conversation-Key` header with every later turn and long poll. The database keeps only its SHA-256, under a
hash of the conversation id. Conversations that WeChat or the telephone gateway own (they authenticate their residents
themselves) are recorded without a key, so no web client can take them over. Rows older than
CONVERSATION_KEY_DAYS are removed; a client whose row is gone simply gets a new key.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import re
import secrets
import threading
from collections import OrderedDict
from datetime import datetime, timedelta, timezone

from sqlalchemy import bindparam, delete, insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from bot.storage.models import ConversationKey

HEADER = "X-Conversation-Key"
PROPOSED_KEY = re.compile(r"[A-Za-z0-9_-]{32,256}")  # a client-proposed key: at least 192 bits, base64url
CACHE_SIZE = 20_000
_CHANNEL_OWNED = ""  # cache value of a conversation without a key
# Core statements on a pooled connection (no ORM session, no objects): a new conversation's two statements are most
# of a turn's database work.
_FIND = select(ConversationKey.key_hash).where(ConversationKey.sender_hash == bindparam("sender"))
_INSERT = insert(ConversationKey)


class ConversationRefused(Exception):
    """The conversation belongs to another client (wrong or missing key, or a channel owns it)."""


def _digest(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


class ConversationKeys:
    """Issues and checks conversation keys (database rows, with a small cache: rows never change once written)."""

    def __init__(self, sessions: sessionmaker[Session], retention_days: int) -> None:
        self._sessions = sessions
        self._engine = sessions.kw["bind"]
        self._retention = timedelta(days=retention_days)
        self._cache: OrderedDict[str, str] = OrderedDict()  # sender hash -> key hash ("" = channel-owned)
        self._lock = threading.Lock()  # the cache is used from worker threads

    def _remember(self, sender_hash: str, key_hash: str) -> None:
        with self._lock:
            self._cache[sender_hash] = key_hash
            self._cache.move_to_end(sender_hash)
            while len(self._cache) > CACHE_SIZE:
                self._cache.popitem(last=False)

    def _stored(self, sender_hash: str) -> str | None:
        """The key hash of a known conversation ("" when a channel owns it), None for a new one."""
        with self._lock:
            cached = self._cache.get(sender_hash)
        if cached is not None:
            return cached
        with self._engine.connect() as connection:
            row = connection.execute(_FIND, {"sender": sender_hash}).first()
        if row is None:
            return None
        value = row.key_hash or _CHANNEL_OWNED
        self._remember(sender_hash, value)
        return value

    def _insert(self, sender_hash: str, key_hash: str | None, channel: str) -> bool:
        """Record a new conversation; False when another request recorded it first."""
        row = {"sender_hash": sender_hash, "key_hash": key_hash, "channel": channel,
               "created_at": datetime.now(timezone.utc)}  # fmt: skip
        try:
            with self._engine.begin() as connection:
                connection.execute(_INSERT, row)
        except IntegrityError:
            return False
        self._remember(sender_hash, key_hash or _CHANNEL_OWNED)
        return True

    def _cached(self, sender_hash: str) -> str | None:
        with self._lock:
            return self._cache.get(sender_hash)

    @staticmethod
    def _matches(stored: str, presented: str | None) -> bool:
        return bool(stored and presented and hmac.compare_digest(_digest(presented[:256]), stored))

    def _admit(self, sender_id: str, presented: str | None) -> str | None:
        sender_hash = _digest(sender_id)
        stored = self._stored(sender_hash)
        if stored is None:
            # A key the client proposed with its first turn (long and random enough) is taken as the conversation's
            # key: a first reply lost with a killed gateway does not lock the resident out, the retry carries it.
            key = presented if presented and PROPOSED_KEY.fullmatch(presented) else secrets.token_urlsafe(32)
            if self._insert(sender_hash, _digest(key), "web"):
                return key
            stored = self._stored(sender_hash)
        if self._matches(stored, presented):
            return None
        raise ConversationRefused

    async def admit(self, sender_id: str, presented: str | None) -> str | None:
        """A web turn: None when `presented` is this conversation's key, a new key (to hand to the client) when
        the conversation is new. Raises ConversationRefused otherwise.

        A conversation in the cache (rows never change once written) is answered here on the loop: a hash and a
        comparison, no thread hop; only a new or forgotten one goes to the database, off the loop."""
        cached = self._cached(_digest(sender_id))
        if cached is not None:
            if self._matches(cached, presented):
                return None
            raise ConversationRefused
        return await asyncio.to_thread(self._admit, sender_id, presented)

    def _check(self, sender_id: str, presented: str | None) -> bool:
        return self._matches(self._stored(_digest(sender_id)), presented)

    async def check(self, sender_id: str, presented: str | None) -> bool:
        """Reading a conversation (long poll) needs its key; nothing is ever issued here."""
        cached = self._cached(_digest(sender_id))
        if cached is not None:
            return self._matches(cached, presented)
        return await asyncio.to_thread(self._check, sender_id, presented)

    def _claim(self, sender_id: str, channel: str) -> None:
        sender_hash = _digest(sender_id)
        if self._stored(sender_hash) is None:
            self._insert(sender_hash, None, channel)

    async def claim_for_channel(self, sender_id: str, channel: str) -> None:
        """A channel that authenticates its residents (WeChat, telephone) owns this conversation: no web key."""
        with self._lock:
            if _digest(sender_id) in self._cache:
                return
        await asyncio.to_thread(self._claim, sender_id, channel)

    def prune(self) -> int:
        """Remove rows older than the retention period; answer how many."""
        cutoff = datetime.now(timezone.utc) - self._retention
        with self._sessions() as session:
            removed = session.execute(delete(ConversationKey).where(ConversationKey.created_at < cutoff)).rowcount
            session.commit()
        with self._lock:
            self._cache.clear()
        return int(removed or 0)
