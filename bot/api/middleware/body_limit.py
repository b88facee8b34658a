"""Refuse oversized request bodies before the application reads them (issue 11 items 2 and 3).

A pure ASGI middleware (no BaseHTTPMiddleware, which buffers and runs the app in a separate task): a declared
`Content-Length` over the route's limit is answered 413 at once, without reading a byte of the body; a body sent
without a length (chunked) is counted as it streams, and the read that passes the limit raises `BodyTooLarge`,
an HTTPException that FastAPI's body parsing lets through and the exception middleware turns into the same 413."""

from __future__ import annotations

import json
from collections.abc import Sequence

from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

TOO_LARGE = "请求内容太大了（最多 {limit} 字节）。文字请分几次发，录音请每次不超过一分钟。"


class BodyTooLarge(HTTPException):
    """The request body passed the route's limit while it was being read."""

    def __init__(self, limit: int) -> None:
        super().__init__(413, TOO_LARGE.format(limit=limit))


class BodySizeLimit:
    """Per-route body limits: the longest matching path prefix in `limits` wins, else `default`."""

    def __init__(self, app: ASGIApp, limits: Sequence[tuple[str, int]], default: int) -> None:
        self.app = app
        self.limits = sorted(limits, key=lambda item: len(item[0]), reverse=True)
        self.default = default

    def limit_for(self, path: str) -> int:
        for prefix, limit in self.limits:
            if path == prefix or path.startswith(prefix.rstrip("/") + "/"):
                return limit
        return self.default

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.limit_for(scope["path"])
        declared = _content_length(scope)
        if declared == -1:
            await _refuse(send, 400, "Content-Length 不是一个数字。")
            return
        if declared is not None and declared > limit:
            await _refuse(send, 413, TOO_LARGE.format(limit=limit))
            return
        received = 0
        started = False

        async def counting_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise BodyTooLarge(limit)
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counting_receive, tracking_send)
        except BodyTooLarge as exc:  # raised where no exception handler caught it (e.g. in another middleware)
            if started:
                raise
            await _refuse(send, 413, str(exc.detail))


def _content_length(scope: Scope) -> int | None:
    """The declared body length; None when absent, -1 when it is not a plain number."""
    for name, value in scope.get("headers", ()):
        if name == b"content-length":
            text = value.decode("latin-1").strip()
            return int(text) if text.isdigit() and len(text) < 19 else -1
    return None


async def _refuse(send: Send, status: int, detail: str) -> None:
    """A JSON error, and `connection: close` so the server does not wait for the rest of the body."""
    body = json.dumps({"detail": detail}, ensure_ascii=False).encode()
    headers = [
        (b"content-type", b"application/json"),
        (b"content-length", str(len(body)).encode()),
        (b"connection", b"close"),
    ]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})
