"""Secrets, field encryption, keyed hashes, password hashing and access tokens."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import logging
import os
import secrets
from datetime import datetime, timedelta, timezone
from pathlib import Path

import jwt
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from cryptography.fernet import Fernet, InvalidToken

log = logging.getLogger(__name__)
_hasher = PasswordHasher()


def load_or_create_secrets(path: Path) -> dict[str, str]:
    """Embedded default for a single machine: random secrets kept in `data/secrets.json` (mode 0600)."""
    if path.exists():
        return json.loads(path.read_text())
    values = {
        "data_key": Fernet.generate_key().decode(),
        "jwt_secret": secrets.token_urlsafe(32),
        "internal_token": secrets.token_urlsafe(32),
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as handle:
        json.dump(values, handle)
    log.warning("no secrets configured: generated %s (set ACCESSLINE_DATA_KEY etc. in production)", path)
    return values


class FieldCipher:
    """Encrypts personal fields at rest (Fernet: AES-128-CBC + HMAC) and makes keyed lookup hashes."""

    def __init__(self, data_key: str) -> None:
        self._fernet = Fernet(data_key.encode())
        raw = base64.urlsafe_b64decode(data_key.encode())
        self._hash_key = hmac.new(raw, b"accessline-lookup-hash", hashlib.sha256).digest()

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


def create_access_token(secret: str, username: str, role: str, minutes: int, version: int = 0) -> str:
    """A signed bearer token; `version` is the user's token version (raising it revokes the token)."""
    now = datetime.now(timezone.utc)
    claims = {"sub": username, "role": role, "ver": version, "iat": now, "exp": now + timedelta(minutes=minutes)}
    return jwt.encode(claims, secret, algorithm="HS256")


def decode_access_token(secret: str, token: str) -> dict | None:
    """The claims of a valid, unexpired token (with sub, ver, iat and exp), else None."""
    try:
        return jwt.decode(token, secret, algorithms=["HS256"], options={"require": ["sub", "ver", "iat", "exp"]})
    except jwt.PyJWTError:
        return None


def same_secret(given: str | None, expected: str) -> bool:
    return given is not None and hmac.compare_digest(given.encode(), expected.encode())
