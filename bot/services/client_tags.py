"""Who a turn came from, carried through Rasa without trusting the resident.

The gateway knows the client of every turn (the web client's address; for WeChat and the telephone gateway, the
conversation itself, which those channels authenticate). It signs "turn of <sender_id> from <client>" and sends the
tag with the message (Rasa metadata `client`); the action server passes it back unchanged with a status query, and
the gateway checks the signature, the conversation and the age before counting failures per client. The tag names
the client only by a keyed hash, so no address is stored in Rasa's tracker.
"""

from __future__ import annotations

import hashlib
import hmac
import time

WEB_PREFIX = "addr:"


def web_client(address: str) -> str:
    """The client identity of a web/HTTP turn: its address."""
    return WEB_PREFIX + address


def channel_client(channel: str, sender_id: str) -> str:
    """The client identity of a turn from a channel that authenticates its residents (WeChat, telephone)."""
    return f"{channel}:{sender_id}"


class ClientTags:
    """Signs and checks client tags: `<issued unix time>.<client hash>.<HMAC>`."""

    def __init__(self, secret: str, max_age_seconds: int) -> None:
        root = secret.encode()
        self._mac_key = hmac.new(root, b"accessline-client-tag", hashlib.sha256).digest()
        self._hash_key = hmac.new(root, b"accessline-client-hash", hashlib.sha256).digest()
        self._max_age = max_age_seconds

    def client_hash(self, client: str) -> str:
        return hmac.new(self._hash_key, client.encode(), hashlib.sha256).hexdigest()[:32]

    def _mac(self, issued: int, client_hash: str, sender_id: str) -> str:
        message = f"{issued}.{client_hash}.{sender_id}".encode()
        return hmac.new(self._mac_key, message, hashlib.sha256).hexdigest()[:32]

    def sign(self, sender_id: str, client: str, now: float | None = None) -> str:
        issued = int(now if now is not None else time.time())
        client_hash = self.client_hash(client)
        return f"{issued}.{client_hash}.{self._mac(issued, client_hash, sender_id)}"

    def verify(self, tag: str | None, sender_id: str, now: float | None = None) -> str | None:
        """The client hash of a genuine, fresh tag for this conversation; None for anything else."""
        if not tag or len(tag) > 100:
            return None
        parts = tag.split(".")
        if len(parts) != 3 or not parts[0].isdigit():
            return None
        issued, client_hash, mac = int(parts[0]), parts[1], parts[2]
        age = (now if now is not None else time.time()) - issued
        if not -60 <= age <= self._max_age:
            return None
        if not hmac.compare_digest(mac.encode(), self._mac(issued, client_hash, sender_id).encode()):
            return None
        return client_hash
