"""The action server's only way to stored data: the gateway's internal API (shared secret)."""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from typing import Any

import aiohttp

log = logging.getLogger(__name__)

GATEWAY_URL = os.environ.get("ACCESSLINE_GATEWAY_URL", "http://127.0.0.1:8000").rstrip("/")
INTERNAL_TOKEN = os.environ.get("INTERNAL_API_TOKEN", "")
TIMEOUT = aiohttp.ClientTimeout(total=10)
CHANNELS = frozenset({"web", "wechat", "voice", "phone"})  # phone: SIP calls (bot/channels/sip)


@dataclass
class GatewayReply:
    status: int  # HTTP status; 0 when the gateway could not be reached
    body: dict[str, Any]

    @property
    def unavailable(self) -> bool:
        return self.status == 0 or self.status >= 500


async def post(path: str, payload: dict[str, Any]) -> GatewayReply:
    """POST JSON to the gateway; never raises (an unreachable gateway is status 0)."""
    headers = {"X-Internal-Token": INTERNAL_TOKEN}
    try:
        async with aiohttp.ClientSession(timeout=TIMEOUT) as session:
            async with session.post(f"{GATEWAY_URL}{path}", json=payload, headers=headers) as response:
                body = await response.json(content_type=None)
                body = body if isinstance(body, dict) else {}
                if response.status >= 400:
                    log.warning("gateway refused %s: %s %s", path, response.status, body.get("fields") or "")
                return GatewayReply(response.status, body)
    except (aiohttp.ClientError, TimeoutError, ValueError) as exc:
        log.warning("gateway call %s failed: %s", path, type(exc).__name__)
        return GatewayReply(0, {})


def resident_channel(tracker: Any) -> str:
    """Where the resident wrote from (web / wechat / voice / phone), as the gateway sent it with the message.

    The gateway puts it in the message metadata (and as Rasa's input channel); anything else, such as Rasa's own
    "rest", counts as the web chat."""
    metadata = (tracker.latest_message or {}).get("metadata")
    sent = metadata.get("channel") if isinstance(metadata, dict) else None
    for candidate in (sent, tracker.get_latest_input_channel()):
        if candidate in CHANNELS:
            return candidate
    return "web"


def client_tag(tracker: Any) -> str | None:
    """The gateway's signed client tag of the latest message (metadata.client), passed back unchanged where the
    gateway counts attempts per client (status queries); the action server cannot read or make one."""
    metadata = (tracker.latest_message or {}).get("metadata")
    tag = metadata.get("client") if isinstance(metadata, dict) else None
    return tag if isinstance(tag, str) else None
