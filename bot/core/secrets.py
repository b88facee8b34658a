"""The gateway's keys: one master secret, separate keys derived from it with HKDF, data-key rotation, and a
production guard (issue 11, low). docs/security.md explains how to set and rotate them.

- `ACCESSLINE_MASTER_SECRET`: the root. HKDF-SHA256 derives, each with its own label, the data key (Fernet, personal
  fields at rest), the lookup-hash key (keyed hashes for equality lookups), the JWT signing secret and the WeChat key
  (openid → conversation id). Knowing one derived key tells nothing about the others.
- `ACCESSLINE_DATA_KEY`: optional Fernet keys, comma-separated, newest first. The first encrypts, all decrypt
  (MultiFernet); the key derived from the master secret always decrypts too. Rotation: put a new key first, restart,
  run `python -m bot.cli reencrypt`, then drop the old key.
- `JWT_SECRET`, `INTERNAL_API_TOKEN`: explicit values win over derived or generated ones.
- Without any of these, the embedded default generates a master secret into `data/secrets.json` (0600) once. With
  `ENVIRONMENT=production` the gateway refuses to start on generated secrets.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import logging
import os
import secrets as random
from dataclasses import dataclass
from pathlib import Path

from cryptography.fernet import Fernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

log = logging.getLogger(__name__)
LABELS = {
    "data_key": b"accessline/data-key/v1",
    "lookup_key": b"accessline/lookup-hash/v1",
    "jwt_secret": b"accessline/jwt/v1",
    "wechat_key": b"accessline/wechat-openid/v1",
    "internal_token": b"accessline/internal-token/v1",
}


class InsecureConfiguration(RuntimeError):
    """Production was asked for, but the secrets would be generated or are missing."""


def derive(master: str, label: bytes, length: int = 32) -> bytes:
    """HKDF-SHA256 of the master secret for one purpose (`label`)."""
    return HKDF(algorithm=hashes.SHA256(), length=length, salt=b"accessline", info=label).derive(master.encode())


def fernet_key(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode()


@dataclass(frozen=True)
class Keys:
    """Every key the gateway uses; `generated` when they came from the embedded default file."""

    data_keys: tuple[str, ...]  # Fernet keys, the first encrypts
    lookup_key: bytes
    jwt_secret: str
    wechat_key: str
    internal_token: str
    generated: bool = False

    def as_state(self) -> dict[str, str]:
        """The names the routes read from `app.state.secrets`."""
        return {
            "data_key": self.data_keys[0],
            "jwt_secret": self.jwt_secret,
            "internal_token": self.internal_token,
            "wechat_key": self.wechat_key,
        }


def _split_keys(value: str | None) -> list[str]:
    keys = [k.strip() for k in (value or "").split(",") if k.strip()]
    for key in keys:
        Fernet(key.encode())  # raises ValueError on a malformed key: better at start-up than at the first read
    return keys


def legacy_lookup_key(data_key: str) -> bytes:
    """How lookup hashes were keyed before the master secret (kept so older databases still find their rows)."""
    raw = base64.urlsafe_b64decode(data_key.encode())
    return hmac.new(raw, b"accessline-lookup-hash", hashlib.sha256).digest()


def load_or_create_file(path: Path) -> tuple[dict[str, str], bool]:
    """The embedded default's secrets file, created with a fresh master secret (mode 0600) when absent."""
    if path.exists():
        return json.loads(path.read_text()), False
    values = {"master_secret": random.token_urlsafe(48), "internal_token": random.token_urlsafe(32)}
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as handle:
        json.dump(values, handle)
    log.warning("no secrets configured: generated %s (set ACCESSLINE_MASTER_SECRET in production)", path)
    return values, True


def resolve_keys(
    *,
    master_secret: str | None,
    data_key: str | None,
    jwt_secret: str | None,
    internal_token: str | None,
    secrets_file: Path,
    production: bool,
) -> Keys:
    """Explicit settings first, then keys derived from the master secret, then the embedded default file."""
    if production:
        missing = [name for name, value in (("ACCESSLINE_MASTER_SECRET", master_secret),
                                            ("INTERNAL_API_TOKEN", internal_token)) if not value]  # fmt: skip
        if missing:
            raise InvalidProduction(missing)
        if len(master_secret or "") < 32:
            raise InsecureConfiguration("ACCESSLINE_MASTER_SECRET must have at least 32 characters")
    explicit = _split_keys(data_key)
    stored: dict[str, str] = {}
    generated = False
    if not master_secret and not (explicit and jwt_secret and internal_token):
        stored, generated = load_or_create_file(secrets_file)
    master = master_secret or stored.get("master_secret")
    legacy = _split_keys(stored.get("data_key"))
    data_keys = explicit + legacy
    if master:
        derived = fernet_key(derive(master, LABELS["data_key"]))
        data_keys += [derived] if derived not in data_keys else []
        lookup = derive(master, LABELS["lookup_key"])
        jwt = jwt_secret or stored.get("jwt_secret") or derive(master, LABELS["jwt_secret"]).hex()
        wechat = derive(master, LABELS["wechat_key"]).hex()
    else:  # data keys and a JWT secret without a master secret (the configuration before HKDF): lookups and the
        # WeChat key follow the oldest data key listed, so set a master secret before retiring that key
        lookup = legacy_lookup_key(data_keys[-1])
        jwt = jwt_secret or stored["jwt_secret"]
        wechat = derive(data_keys[-1], LABELS["wechat_key"]).hex()
    token = internal_token or stored.get("internal_token")
    token = token or (derive(master, LABELS["internal_token"]).hex() if master else random.token_urlsafe(32))
    return Keys(tuple(data_keys), lookup, jwt, wechat, token, generated)


class InvalidProduction(InsecureConfiguration):
    def __init__(self, missing: list[str]) -> None:
        super().__init__(
            "ENVIRONMENT=production refuses generated secrets: set " + " and ".join(missing) + " (docs/security.md)"
        )
