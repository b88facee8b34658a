"""In-process notifications: operator consoles (WebSockets) and residents waiting for operator replies.

One gateway worker holds the hub; tickets and messages themselves are in the database, so a page that reconnects
reads what it missed from there. What a resident says reaches only the console of the operator holding the
ticket; every other console learns only that something happened (`activity`, no text).
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
        self._consoles: dict[WebSocket, str] = {}  # socket -> the operator signed in on it
        self._waiters: dict[str, set[asyncio.Event]] = defaultdict(set)
        self._listeners: list[Callable[[str], None]] = []

    def add_resident_listener(self, listener: Callable[[str], None]) -> None:
        """Also call `listener(sender_id)` whenever something new waits for a resident (channels that push,
        such as WeChat, deliver operator replies this way)."""
        self._listeners.append(listener)

    async def add_console(self, socket: WebSocket, operator: str) -> None:
        self._consoles[socket] = operator

    def remove_console(self, socket: WebSocket) -> None:
        self._consoles.pop(socket, None)

    async def _send(self, sockets: list[WebSocket], event: dict[str, Any]) -> None:
        payload = json.dumps(event, ensure_ascii=False, default=str)
        for socket in sockets:
            try:
                await socket.send_text(payload)
            except Exception:  # noqa: BLE001 - a closed console must not stop the others
                self._consoles.pop(socket, None)

    async def broadcast(self, event: dict[str, Any]) -> None:
        """Send an event without personal data (queue cards, claims, closures) to every console."""
        await self._send(list(self._consoles), event)

    async def ticket_message(self, ticket_id: str, holder: str | None, message: dict[str, Any]) -> None:
        """A new message of a ticket: its text to the holder's consoles only, a neutral `activity` to the rest."""
        own = [s for s, name in self._consoles.items() if holder is not None and name == holder]
        others = [s for s in self._consoles if s not in own]
        await self._send(own, {"type": "message", "ticket_id": ticket_id, "message": message})
        await self._send(others, {"type": "activity", "ticket_id": ticket_id})

    async def close_operator(self, operator: str, code: int = 4401, reason: str = "signed out") -> int:
        """Close every console of one operator (after logout or revocation); answer how many were closed."""
        sockets = [s for s, name in self._consoles.items() if name == operator]
        for socket in sockets:
            self._consoles.pop(socket, None)
            with contextlib.suppress(Exception):
                await socket.close(code=code, reason=reason)
        return len(sockets)

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
