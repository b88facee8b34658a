"""The WeChat side of the tests: fill the XML fixtures and sign requests the way WeChat does (plain hashlib,
independent of the channel's own code)."""

from __future__ import annotations

import base64
import hashlib
import itertools
import os
import struct
import time
import uuid
from pathlib import Path
from string import Template

from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

FIXTURES = Path(__file__).resolve().parents[1] / "data" / "wechat"
_msg_ids = itertools.count(int(time.time()) * 1000)


def new_openid() -> str:
    return "o" + uuid.uuid4().hex[:27]


def fixture(name: str, **values: object) -> str:
    """An XML fixture with its $placeholders filled (defaults: a fresh MsgId and the current time)."""
    defaults = {
        "msg_id": next(_msg_ids), "create_time": int(time.time()), "media_id": "media-1", "content": "你好",
        "recognition": "", "event_key": "", "openid": new_openid(), "path": "/dev/null",
    }  # fmt: skip
    return Template((FIXTURES / name).read_text()).substitute(defaults | values)


def sha1_sorted(*parts: str) -> str:
    return hashlib.sha1("".join(sorted(parts)).encode()).hexdigest()


def encrypted(token: str, aes_key: str, app_id: str, message: str) -> tuple[dict[str, str], str]:
    """(query, body) of a secure-mode delivery, made with plain primitives: AES-256-CBC, key = base64(key + "="),
    IV = key[:16], 16 random bytes + length + message + AppID, PKCS#7 to 32 bytes; msg_signature over the Encrypt."""
    key = base64.b64decode(aes_key + "=")
    body = message.encode()
    plain = os.urandom(16) + struct.pack(">I", len(body)) + body + app_id.encode()
    plain += bytes([32 - len(plain) % 32]) * (32 - len(plain) % 32)
    encryptor = Cipher(algorithms.AES(key), modes.CBC(key[:16])).encryptor()
    encrypt = base64.b64encode(encryptor.update(plain) + encryptor.finalize()).decode()
    query = signed(token)
    query |= {"encrypt_type": "aes", "msg_signature": sha1_sorted(token, query["timestamp"], query["nonce"], encrypt)}
    return query, f"<xml><ToUserName><![CDATA[gh_test]]></ToUserName><Encrypt><![CDATA[{encrypt}]]></Encrypt></xml>"


def signed(token: str, timestamp: str | None = None, nonce: str | None = None) -> dict[str, str]:
    """The query string WeChat adds to every call: signature over the sorted token, timestamp and nonce."""
    timestamp = timestamp or str(int(time.time()))
    nonce = nonce or uuid.uuid4().hex[:10]
    return {"signature": sha1_sorted(token, timestamp, nonce), "timestamp": timestamp, "nonce": nonce}
