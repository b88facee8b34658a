"""uvicorn's httptools protocol, each response's head and body sent in one write (`--http
bot.api.http_protocol:OneWriteHttpToolsProtocol`; bot/launcher/stack.py and deploy/k8s pass it).

uvicorn writes the status line and headers when the app sends `http.response.start`, and the body when it sends
`http.response.body`: two socket writes (two system calls, two TCP segments) for every JSON answer, although
Starlette sends the two messages back to back. Here the head waits for the next write of the same request and leaves
with it. A head that nothing follows at once (a HEAD request, a streamed body whose first chunk is not ready) leaves
on the event loop's next pass, so nothing is ever held longer than that; closing the connection sends it first.
Everything else is uvicorn's own code."""

from __future__ import annotations

import asyncio
from typing import Any

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol


class HeadWithBody:
    """A request cycle's transport: holds its first write and sends it together with the second."""

    __slots__ = ("_transport", "_loop", "_held", "_holding")

    def __init__(self, transport: asyncio.Transport, loop: asyncio.AbstractEventLoop) -> None:
        self._transport = transport
        self._loop = loop
        self._held: bytes | None = None
        self._holding = True  # only the cycle's first write waits; later ones go out as they come

    def write(self, data: bytes) -> None:
        if self._held is not None:
            held, self._held = self._held, None
            self._transport.write(held + data)
        elif self._holding:
            self._holding = False
            self._held = data
            self._loop.call_soon(self.flush)
        else:
            self._transport.write(data)

    def flush(self) -> None:
        """Send a held write that nothing followed (no-op otherwise)."""
        held, self._held = self._held, None
        if held is not None and not self._transport.is_closing():
            self._transport.write(held)

    def close(self) -> None:
        self.flush()
        self._transport.close()

    def is_closing(self) -> bool:
        return self._transport.is_closing()

    def __getattr__(self, name: str) -> Any:  # get_extra_info, pause_reading, … : the real transport's
        return getattr(self._transport, name)


class OneWriteHttpToolsProtocol(HttpToolsProtocol):
    """HttpToolsProtocol whose request cycles write through `HeadWithBody`."""

    def on_headers_complete(self) -> None:
        before = self.cycle
        super().on_headers_complete()
        if self.cycle is not before:  # a new request (not an upgrade): its task has not run yet
            self.cycle.transport = HeadWithBody(self.cycle.transport, self.loop)  # type: ignore[assignment]
