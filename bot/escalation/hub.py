"""Notifications: operator consoles (WebSockets) and residents waiting for operator replies.

Each gateway holds one hub for its own sockets and waiters. With Redis, every event is also relayed to the other
gateways (bot/escalation/fanout.py) and events they relay are delivered here (`apply`), so an operator on gateway A
sees, live, a ticket created on gateway B. Without Redis the hub serves its own process only. Tickets and messages
themselves are in the database, so a page that reconnects reads what it missed from there. What a resident says
reaches only the console of the operator holding the ticket; every other console learns only that something
happened (`activity`, no text).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import time
from collections import OrderedDict, defaultdict
from collections.abc import Awaitable, Callable
from typing import Any

from fastapi import WebSocket

from bot.escalation.fanout import ConsoleFanout, RelayedEvent, sender_digest

log = logging.getLogger(__name__)
MessageLoader = Callable[[str, int], Awaitable[dict[str, Any] | None]]  # (ticket id, message id)
ANNOUNCED_KEEP = 2000  # ticket.new announcements remembered, so a re-published ticket is not announced twice
ANNOUNCED_SECONDS = 600.0


class Hub:
    def __init__(self, fanout: ConsoleFanout | None = None, load_message: MessageLoader | None = None) -> None:
        self._consoles: dict[WebSocket, str] = {}  # socket -> the operator signed in on it
        self._waiters: dict[str, set[asyncio.Event]] = defaultdict(set)
        self._listeners: list[Callable[[str], None]] = []
        self._fanout = fanout
        self._load_message = load_message
        self._announced: OrderedDict[tuple[str, str, str], float] = OrderedDict()
        self._relaying: set[asyncio.Task] = set()

    @property
    def fanout(self) -> ConsoleFanout | None:
        return self._fanout

    def set_message_loader(self, load_message: MessageLoader) -> None:
        """How a relayed message id becomes the message (read from the database, the truth)."""
        self._load_message = load_message

    def add_resident_listener(self, listener: Callable[[str], None]) -> None:
        """Also call `listener(sender_id)` whenever something new waits for a resident (channels that push,
        such as WeChat, deliver operator replies this way). Listeners run on the gateway where the reply was
        written only, so a push goes out once however many gateways there are."""
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

    async def _relay(self, kind: str, body: dict[str, Any]) -> None:
        if self._fanout is not None:
            await self._fanout.publish(kind, body)

    def _first_announcement(self, event: dict[str, Any]) -> bool:
        """False for a re-published `ticket.new` (a ticket stored while Redis was away) that this gateway already
        announced: the gateway it was opened on showed it at once. Other events always go out."""
        if event.get("type") != "ticket.new" or not isinstance(event.get("ticket"), dict):
            return True
        card = event["ticket"]
        key = (str(card.get("id")), str(card.get("queue")), str(card.get("status")))
        now = time.monotonic()
        while self._announced and (len(self._announced) > ANNOUNCED_KEEP
                                   or next(iter(self._announced.values())) < now - ANNOUNCED_SECONDS):  # fmt: skip
            self._announced.popitem(last=False)
        if event.get("republished") and key in self._announced:
            return False
        self._announced[key] = now
        return True

    async def _broadcast_here(self, event: dict[str, Any]) -> None:
        if self._first_announcement(event):
            await self._send(list(self._consoles), event)

    async def broadcast(self, event: dict[str, Any]) -> None:
        """Send an event without personal data (queue cards, claims, closures) to every console of every gateway."""
        await self._broadcast_here(event)
        await self._relay("broadcast", {"event": event})

    async def _message_here(self, ticket_id: str, holder: str | None, message: dict[str, Any] | None) -> None:
        own = [s for s, name in self._consoles.items() if holder is not None and name == holder]
        others = [s for s in self._consoles if s not in own]
        if message is not None:
            await self._send(own, {"type": "message", "ticket_id": ticket_id, "message": message})
        else:
            others += own
        await self._send(others, {"type": "activity", "ticket_id": ticket_id})

    async def ticket_message(self, ticket_id: str, holder: str | None, message: dict[str, Any]) -> None:
        """A new message of a ticket: its text to the holder's consoles only, a neutral `activity` to the rest.
        Other gateways get the message's id and read it from the database themselves."""
        await self._message_here(ticket_id, holder, message)
        await self._relay("message", {"ticket_id": ticket_id, "holder": holder, "message_id": message.get("id")})

    async def _close_here(self, operator: str, code: int, reason: str) -> int:
        sockets = [s for s, name in self._consoles.items() if name == operator]
        for socket in sockets:
            self._consoles.pop(socket, None)
            with contextlib.suppress(Exception):
                await socket.close(code=code, reason=reason)
        return len(sockets)

    async def close_operator(self, operator: str, code: int = 4401, reason: str = "signed out") -> int:
        """Close every console of one operator, on every gateway (after logout or revocation); answer how many
        were closed here."""
        closed = await self._close_here(operator, code, reason)
        await self._relay("close_operator", {"operator": operator, "code": code, "reason": reason[:120]})
        return closed

    def _wake(self, matches: Callable[[str], bool]) -> None:
        for sender_id, events in self._waiters.items():
            if matches(sender_id):
                for event in events:
                    event.set()

    def notify_resident(self, sender_id: str) -> None:
        self._wake(lambda waiting: waiting == sender_id)
        for listener in self._listeners:
            listener(sender_id)
        if self._fanout is not None:
            task = asyncio.get_running_loop().create_task(self._relay("resident", {"sender": sender_digest(sender_id)}))
            self._relaying.add(task)
            task.add_done_callback(self._relaying.discard)

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

    async def apply(self, relayed: RelayedEvent) -> bool:
        """Deliver an event another gateway relayed to this gateway's consoles and waiters; False if skipped."""
        if self._fanout is None or relayed.origin == self._fanout.origin or not relayed.kind:
            return False
        body = relayed.body
        if relayed.kind == "broadcast" and isinstance(body.get("event"), dict):
            await self._broadcast_here(body["event"])
        elif relayed.kind == "message" and isinstance(body.get("ticket_id"), str):
            message = None
            if isinstance(body.get("message_id"), int) and self._load_message is not None:
                message = await self._load_message(body["ticket_id"], body["message_id"])
            holder = body.get("holder") if isinstance(body.get("holder"), str) else None
            await self._message_here(body["ticket_id"], holder, message)
        elif relayed.kind == "close_operator" and isinstance(body.get("operator"), str):
            await self._close_here(body["operator"], int(body.get("code") or 4401), str(body.get("reason") or ""))
        elif relayed.kind == "resident" and isinstance(body.get("sender"), str):
            self._wake(lambda waiting: sender_digest(waiting) == body["sender"])
        else:
            return False
        return True
