"""Residents on WeChat: a stable, safe sender id from the openid, and the way back to the openid for pushes.

The openid identifies a person to WeChat, so it never becomes a conversation id, a log line or a Redis key name:
the conversation id is "wx_" + a keyed hash of it, and the openid itself is kept encrypted (Fernet) for 48 hours,
the customer-service window in which WeChat lets us push messages to that person.
"""

from __future__ import annotations

import hashlib
import hmac

from cryptography.fernet import Fernet, InvalidToken

from bot.channels.wechat.store import TTLStore

SENDER_PREFIX = "wx_"
PUSH_WINDOW_SECONDS = 48 * 3600


def sender_id_for(openid: str, key: str) -> str:
    """ "wx_" + 32 hex characters of HMAC-SHA256(key, openid): stable while the key is; safe in URLs and logs."""
    digest = hmac.new(key.encode(), b"wechat-openid:" + openid.encode(), hashlib.sha256).hexdigest()
    return SENDER_PREFIX + digest[:32]


def is_wechat_sender(sender_id: str) -> bool:
    return sender_id.startswith(SENDER_PREFIX)


class Directory:
    """sender id → openid, encrypted, for as long as WeChat accepts pushes to that resident."""

    def __init__(self, store: TTLStore, fernet_key: str, hash_key: str) -> None:
        self._store = store
        self._fernet = Fernet(fernet_key.encode())
        self._hash_key = hash_key

    def sender_id(self, openid: str) -> str:
        return sender_id_for(openid, self._hash_key)

    async def remember(self, openid: str) -> str:
        """Record that this resident just wrote (which opens the push window); return their sender id."""
        sender_id = self.sender_id(openid)
        token = self._fernet.encrypt(openid.encode()).decode()
        await self._store.put(f"wechat:openid:{sender_id}", token, PUSH_WINDOW_SECONDS)
        return sender_id

    async def openid(self, sender_id: str) -> str | None:
        """The openid of a resident who wrote within the window, or None."""
        token = await self._store.get(f"wechat:openid:{sender_id}")
        if not token:
            return None
        try:
            return self._fernet.decrypt(token.encode()).decode()
        except InvalidToken:
            return None
