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
                return GatewayReply(response.status, body if isinstance(body, dict) else {})
    except (aiohttp.ClientError, TimeoutError, ValueError) as exc:
        log.warning("gateway call %s failed: %s", path, type(exc).__name__)
        return GatewayReply(0, {})
