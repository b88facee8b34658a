"""httpcore's network layer with each request sent in one write (the Rasa turn's connection pool).

httpcore writes a request as three events — request line and headers, the body, an empty end of message — and each
goes through anyio's `send` under its own timeout scope: two socket sends per turn, a third of the Rasa hop's CPU.
An HTTP/1.1 client reads only after it has written the whole request, so the stream here keeps what is written and
sends it, joined, when the connection next reads (the response). Public httpcore API (`AsyncNetworkBackend`); the
HTTP itself stays httpcore's and h11's."""

from __future__ import annotations

import ssl
from collections.abc import Iterable
from typing import Any

import httpcore


class OneWriteStream(httpcore.AsyncNetworkStream):
    """A connection that holds its writes until the next read, then sends them in one write."""

    def __init__(self, stream: httpcore.AsyncNetworkStream) -> None:
        self._stream = stream
        self._held: list[bytes] = []

    async def write(self, buffer: bytes, timeout: float | None = None) -> None:
        if buffer:
            self._held.append(buffer)

    async def flush(self, timeout: float | None = None) -> None:
        """Send what is held (a write error surfaces here, as httpcore's WriteError)."""
        if self._held:
            data = self._held[0] if len(self._held) == 1 else b"".join(self._held)
            self._held.clear()
            await self._stream.write(data, timeout)

    async def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        await self.flush(timeout)
        return await self._stream.read(max_bytes, timeout)

    async def aclose(self) -> None:
        self._held.clear()
        await self._stream.aclose()

    async def start_tls(
        self, ssl_context: ssl.SSLContext, server_hostname: str | None = None, timeout: float | None = None
    ) -> httpcore.AsyncNetworkStream:
        await self.flush(timeout)
        return OneWriteStream(await self._stream.start_tls(ssl_context, server_hostname, timeout))

    def get_extra_info(self, info: str) -> Any:  # noqa: ANN401 - whatever the wrapped stream answers
        return self._stream.get_extra_info(info)


class OneWriteBackend(httpcore.AsyncNetworkBackend):
    """httpcore's anyio backend, its connections wrapped in `OneWriteStream`."""

    def __init__(self, backend: httpcore.AsyncNetworkBackend | None = None) -> None:
        self._backend = backend or httpcore.AnyIOBackend()

    async def connect_tcp(
        self, host: str, port: int, timeout: float | None = None, local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.AsyncNetworkStream:  # fmt: skip
        return OneWriteStream(await self._backend.connect_tcp(host, port, timeout, local_address, socket_options))

    async def connect_unix_socket(
        self, path: str, timeout: float | None = None, socket_options: Iterable[Any] | None = None
    ) -> httpcore.AsyncNetworkStream:
        return OneWriteStream(await self._backend.connect_unix_socket(path, timeout, socket_options))

    async def sleep(self, seconds: float) -> None:
        await self._backend.sleep(seconds)
