"""Secrets, field encryption, keyed hashes, password hashing and access tokens."""

from __future__ import annotations

import hashlib
import hmac
import logging
from collections.abc import Sequence
from datetime import datetime, timedelta, timezone

import jwt
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from cryptography.fernet import Fernet, InvalidToken, MultiFernet

from bot.core.secrets import legacy_lookup_key

log = logging.getLogger(__name__)
_hasher = PasswordHasher()


class FieldCipher:
    """Encrypts personal fields at rest (Fernet: AES-128-CBC + HMAC) and makes keyed lookup hashes.

    `data_keys` newest first: the first encrypts, every one decrypts (MultiFernet), so a key can be rotated while
    old rows are still readable; `rotate` re-encrypts a token under the first key (`python -m bot.cli reencrypt`)."""

    def __init__(self, data_keys: str | Sequence[str], lookup_key: bytes | None = None) -> None:
        keys = [data_keys] if isinstance(data_keys, str) else list(data_keys)
        self._fernet = MultiFernet([Fernet(key.encode()) for key in keys])
        self._hash_key = lookup_key or legacy_lookup_key(keys[-1])

    def rotate(self, token: str | None) -> str | None:
        """The same value encrypted under the newest key (None stays None)."""
        if token is None:
            return None
        try:
            return self._fernet.rotate(token.encode()).decode()
        except InvalidToken as exc:
            raise ValueError("cannot decrypt field: wrong ACCESSLINE_DATA_KEY?") from exc

    def encrypt(self, value: str | None) -> str | None:
        return None if value is None else self._fernet.encrypt(value.encode()).decode()

    def decrypt(self, token: str | None) -> str | None:
        if token is None:
            return None
        try:
            return self._fernet.decrypt(token.encode()).decode()
        except InvalidToken as exc:
            raise ValueError("cannot decrypt field: wrong ACCESSLINE_DATA_KEY?") from exc

    def lookup_hash(self, value: str) -> str:
        """HMAC-SHA256 of a normalised value, for equality lookups without decrypting."""
        return hmac.new(self._hash_key, value.encode(), hashlib.sha256).hexdigest()


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def create_access_token(secret: str, username: str, role: str, minutes: int) -> str:
    now = datetime.now(timezone.utc)
    claims = {"sub": username, "role": role, "iat": now, "exp": now + timedelta(minutes=minutes)}
    return jwt.encode(claims, secret, algorithm="HS256")


def decode_access_token(secret: str, token: str) -> dict | None:
    try:
        return jwt.decode(token, secret, algorithms=["HS256"])
    except jwt.PyJWTError:
        return None


def same_secret(given: str | None, expected: str) -> bool:
    return given is not None and hmac.compare_digest(given.encode(), expected.encode())
