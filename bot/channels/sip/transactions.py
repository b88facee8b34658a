"""SIP transactions over UDP (RFC 3261 section 17), only as much as a called party needs.

- Server side: the last response to each request is kept for 32 s (64·T1) and sent again when the request is
  retransmitted; a 2xx to INVITE is retransmitted (T1, doubling to T2) until the ACK comes.
- Client side (our BYE, REFER): the request is retransmitted (timer E) until a final response, or given up after
  64·T1 (timer F)."""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections import OrderedDict
from collections.abc import Callable

from bot.channels.sip.message import SipResponse

T1, T2 = 0.5, 4.0
TIMEOUT = 64 * T1
MAX_CACHED = 4096

Send = Callable[[bytes, tuple[str, int]], None]


class ResponseCache:
    """(branch, method) → the last response sent and where, for retransmitted requests."""

    def __init__(self, ttl: float = TIMEOUT, capacity: int = MAX_CACHED) -> None:
        self._entries: OrderedDict[tuple[str, str], tuple[bytes, tuple[str, int], float]] = OrderedDict()
        self._ttl, self._capacity = ttl, capacity

    def store(self, key: tuple[str, str], data: bytes, address: tuple[str, int]) -> None:
        self._entries[key] = (data, address, time.monotonic() + self._ttl)
        self._entries.move_to_end(key)
        self._expire()

    def get(self, key: tuple[str, str]) -> tuple[bytes, tuple[str, int]] | None:
        entry = self._entries.get(key)
        if entry is None or entry[2] < time.monotonic():
            return None
        return entry[0], entry[1]

    def _expire(self) -> None:
        now = time.monotonic()
        while self._entries and (len(self._entries) > self._capacity or next(iter(self._entries.values()))[2] < now):
            self._entries.popitem(last=False)

    def __len__(self) -> int:
        return len(self._entries)


async def retransmit_until(send: Send, data: bytes, address: tuple[str, int], done: asyncio.Event) -> bool:
    """Send now and again at T1, 2·T1 … (capped at T2) until `done` is set (True) or 64·T1 passed (False)."""
    interval, deadline = T1, time.monotonic() + TIMEOUT
    send(data, address)
    while time.monotonic() < deadline:
        with contextlib.suppress(asyncio.TimeoutError):
            await asyncio.wait_for(done.wait(), min(interval, max(0.0, deadline - time.monotonic())))
        if done.is_set():
            return True
        send(data, address)
        interval = min(interval * 2, T2)
    return done.is_set()


class ClientTransaction:
    """A non-INVITE request we sent; `result()` is its final response, or None after the timeout."""

    def __init__(self, send: Send, data: bytes, address: tuple[str, int]) -> None:
        self._send, self._data, self._address = send, data, address
        self._final: asyncio.Future[SipResponse | None] = asyncio.get_running_loop().create_future()
        self._provisional = False
        self._task = asyncio.create_task(self._run())

    def on_response(self, response: SipResponse) -> None:
        if response.status < 200:
            self._provisional = True
        elif not self._final.done():
            self._final.set_result(response)

    async def _run(self) -> None:
        interval, deadline = T1, time.monotonic() + TIMEOUT
        self._send(self._data, self._address)
        while time.monotonic() < deadline and not self._final.done():
            with contextlib.suppress(asyncio.TimeoutError):
                wait = min(interval, max(0.0, deadline - time.monotonic()))
                await asyncio.wait_for(asyncio.shield(self._final), wait)
            if self._final.done():
                return
            self._send(self._data, self._address)
            interval = T2 if self._provisional else min(interval * 2, T2)
        if not self._final.done():
            self._final.set_result(None)

    async def result(self) -> SipResponse | None:
        return await self._final

    def cancel(self) -> None:
        self._task.cancel()
        if not self._final.done():
            self._final.set_result(None)
