"""httpcore's network layer on a plain asyncio protocol, for the Rasa turn's connection pool over plain HTTP.

httpcore's own backend goes through anyio: every read and write under a cancel scope with extra event-loop checkpoints,
and its keep-alive check (`is_readable`, asked for every idle connection of the pool each time a request is assigned or
a response is closed) polls the socket with a system call. Here the protocol's callbacks keep the bytes received and
whether the peer closed, so that check costs nothing, a write is one `transport.write`, and a read waits on one future
with one timer. Public httpcore API (`AsyncNetworkBackend`); the HTTP itself stays httpcore's and h11's. No TLS: a Rasa
reached over https keeps httpcore's anyio backend (bot/dialogue/client.py)."""

from __future__ import annotations

import asyncio
import socket
import ssl
from collections.abc import Iterable
from typing import Any

import httpcore


class _Receiver(asyncio.Protocol):
    """Collects what the peer sends; wakes the one reader waiting for it."""

    def __init__(self) -> None:
        self.transport: asyncio.Transport | None = None
        self.buffer = bytearray()
        self.closed = False
        self.error: BaseException | None = None
        self.waiter: asyncio.Future | None = None
        self.drained: asyncio.Future | None = None  # set while the transport asked us to stop writing

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        self._wake()

    def eof_received(self) -> bool:
        self.closed = True
        self._wake()
        return False  # close the transport

    def connection_lost(self, exc: Exception | None) -> None:
        self.closed = True
        self.error = exc
        self._wake()
        self.resume_writing()

    def pause_writing(self) -> None:
        if self.drained is None:
            self.drained = asyncio.get_running_loop().create_future()

    def resume_writing(self) -> None:
        if self.drained is not None and not self.drained.done():
            self.drained.set_result(None)
        self.drained = None

    def _wake(self) -> None:
        if self.waiter is not None and not self.waiter.done():
            self.waiter.set_result(None)


def _expire(future: asyncio.Future, error: Exception) -> None:
    if not future.done():
        future.set_exception(error)


async def _wait(future: asyncio.Future, timeout: float | None, error: Exception) -> None:
    """Await `future`, failing with `error` after `timeout` seconds (one timer, no task)."""
    timer = asyncio.get_running_loop().call_later(timeout, _expire, future, error) if timeout is not None else None
    try:
        await future
    finally:
        if timer is not None:
            timer.cancel()


class AsyncioStream(httpcore.AsyncNetworkStream):
    """One TCP connection: writes go straight to the transport, reads take what the protocol collected."""

    def __init__(self, receiver: _Receiver) -> None:
        self._receiver = receiver
        self._transport: asyncio.Transport = receiver.transport  # type: ignore[assignment]

    async def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        receiver = self._receiver
        if not receiver.buffer and not receiver.closed:
            receiver.waiter = asyncio.get_running_loop().create_future()
            await _wait(receiver.waiter, timeout, httpcore.ReadTimeout("timed out reading"))
            receiver.waiter = None
        if receiver.buffer:
            data = bytes(receiver.buffer[:max_bytes])
            del receiver.buffer[:max_bytes]
            return data
        if receiver.error is not None:
            raise httpcore.ReadError(str(receiver.error))
        return b""  # the peer closed the connection

    async def write(self, buffer: bytes, timeout: float | None = None) -> None:
        if not buffer:
            return
        if self._receiver.closed or self._transport.is_closing():
            raise httpcore.WriteError("connection closed")
        self._transport.write(buffer)
        if self._receiver.drained is not None:  # the kernel's buffer is full: wait until it drains
            await _wait(self._receiver.drained, timeout, httpcore.WriteTimeout("timed out writing"))

    async def aclose(self) -> None:
        self._transport.close()

    async def start_tls(
        self, ssl_context: ssl.SSLContext, server_hostname: str | None = None, timeout: float | None = None
    ) -> httpcore.AsyncNetworkStream:
        raise httpcore.ConnectError("this backend speaks plain HTTP only")

    def get_extra_info(self, info: str) -> Any:  # noqa: ANN401 - as httpcore's backends answer
        if info == "is_readable":  # idle and readable means the server closed it (httpcore's keep-alive check)
            return bool(self._receiver.buffer) or self._receiver.closed
        names = {"socket": "socket", "client_addr": "sockname", "server_addr": "peername"}
        return self._transport.get_extra_info(names[info]) if info in names else None


class AsyncioBackend(httpcore.AsyncNetworkBackend):
    """Plain TCP connections on the running asyncio loop (uvloop's, under uvicorn)."""

    async def connect_tcp(
        self, host: str, port: int, timeout: float | None = None, local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.AsyncNetworkStream:  # fmt: skip
        loop = asyncio.get_running_loop()
        local = (local_address, 0) if local_address else None
        try:
            _transport, receiver = await asyncio.wait_for(
                loop.create_connection(_Receiver, host, port, local_addr=local), timeout
            )
        except asyncio.TimeoutError as exc:
            raise httpcore.ConnectTimeout(str(exc)) from exc
        except OSError as exc:
            raise httpcore.ConnectError(str(exc)) from exc
        sock: socket.socket | None = receiver.transport.get_extra_info("socket")
        for option in socket_options or ():
            if sock is not None:
                sock.setsockopt(*option)
        return AsyncioStream(receiver)

    async def connect_unix_socket(
        self, path: str, timeout: float | None = None, socket_options: Iterable[Any] | None = None
    ) -> httpcore.AsyncNetworkStream:
        raise httpcore.ConnectError("this backend speaks TCP only")

    async def sleep(self, seconds: float) -> None:
        await asyncio.sleep(seconds)
