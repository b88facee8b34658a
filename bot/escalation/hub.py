"""In-process notifications: operator consoles (WebSockets) and residents waiting for operator replies.

One gateway worker holds the hub; tickets and messages themselves are in the database, so a page that reconnects
reads what it missed from there.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections import defaultdict
from collections.abc import Callable
from typing import Any

from fastapi import WebSocket


class Hub:
    def __init__(self) -> None:
        self._consoles: set[WebSocket] = set()
        self._waiters: dict[str, set[asyncio.Event]] = defaultdict(set)
        self._listeners: list[Callable[[str], None]] = []

    def add_resident_listener(self, listener: Callable[[str], None]) -> None:
        """Also call `listener(sender_id)` whenever something new waits for a resident (channels that push,
        such as WeChat, deliver operator replies this way)."""
        self._listeners.append(listener)

    async def add_console(self, socket: WebSocket) -> None:
        self._consoles.add(socket)

    def remove_console(self, socket: WebSocket) -> None:
        self._consoles.discard(socket)

    async def broadcast(self, event: dict[str, Any]) -> None:
        """Send an event to every connected operator console (dead sockets are dropped)."""
        payload = json.dumps(event, ensure_ascii=False, default=str)
        for socket in list(self._consoles):
            try:
                await socket.send_text(payload)
            except Exception:  # noqa: BLE001 - a closed console must not stop the others
                self._consoles.discard(socket)

    def notify_resident(self, sender_id: str) -> None:
        for event in self._waiters.get(sender_id, set()):
            event.set()
        for listener in self._listeners:
            listener(sender_id)

    async def wait_for_resident(self, sender_id: str, timeout: float) -> None:
        """Return when something new for this resident arrives, or after `timeout` seconds."""
        event = asyncio.Event()
        self._waiters[sender_id].add(event)
        try:
            with contextlib.suppress(TimeoutError, asyncio.TimeoutError):
                await asyncio.wait_for(event.wait(), timeout)
        finally:
            self._waiters[sender_id].discard(event)
            if not self._waiters[sender_id]:
                del self._waiters[sender_id]
