"""The WeChat side of the tests: fill the XML fixtures and sign requests the way WeChat does (plain hashlib,
independent of the channel's own code)."""

from __future__ import annotations

import hashlib
import itertools
import time
import uuid
from pathlib import Path
from string import Template

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


def signed(token: str, timestamp: str | None = None, nonce: str | None = None) -> dict[str, str]:
    """The query string WeChat adds to every call: signature over the sorted token, timestamp and nonce."""
    timestamp = timestamp or str(int(time.time()))
    nonce = nonce or uuid.uuid4().hex[:10]
    return {"signature": sha1_sorted(token, timestamp, nonce), "timestamp": timestamp, "nonce": nonce}
