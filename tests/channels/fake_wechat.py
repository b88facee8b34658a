"""A small local stand-in for the WeChat server API (the true outside edge), on a free port.

Implements the documented endpoints the channel uses — GET /cgi-bin/token, POST /cgi-bin/message/custom/send,
GET /cgi-bin/media/get — with their error codes, and records every call for the tests to inspect.
"""

from __future__ import annotations

import itertools
import json
import threading
import time
from dataclasses import dataclass, field

import uvicorn
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, Response

APP_ID = "wx2c2769f8efd9abc2"
APP_SECRET = "fake-app-secret-0123456789"


@dataclass
class Sent:
    touser: str
    content: str


@dataclass
class FakeWeChatState:
    app_id: str = APP_ID
    app_secret: str = APP_SECRET
    expires_in: int = 7200
    valid_tokens: set[str] = field(default_factory=set)
    token_requests: int = 0
    sent: list[Sent] = field(default_factory=list)
    refused: list[tuple[str, int]] = field(default_factory=list)
    closed_window: set[str] = field(default_factory=set)  # openids whose 48-hour window is over → 45015
    media: dict[str, bytes] = field(default_factory=dict)
    media_requests: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    _counter: itertools.count = field(default_factory=lambda: itertools.count(1))

    def expire_all_tokens(self) -> None:
        """Simulate WeChat invalidating the token early (the next call gets 42001)."""
        with self.lock:
            self.valid_tokens.clear()

    def reset(self) -> None:
        with self.lock:
            self.sent.clear()
            self.refused.clear()
            self.closed_window.clear()
            self.media_requests.clear()
            self.token_requests = 0

    def sent_to(self, openid: str) -> list[str]:
        with self.lock:
            return [s.content for s in self.sent if s.touser == openid]

    def wait_for_sent(self, openid: str, count: int = 1, timeout: float = 30.0) -> list[str]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = self.sent_to(openid)
            if len(found) >= count:
                return found
            time.sleep(0.05)
        return self.sent_to(openid)


def _error(code: int, message: str) -> JSONResponse:
    return JSONResponse({"errcode": code, "errmsg": message})


def build_app(state: FakeWeChatState) -> FastAPI:
    app = FastAPI()

    def token_error(token: str | None) -> JSONResponse | None:
        if not token:
            return _error(41001, "access_token missing")
        if token not in state.valid_tokens:
            return _error(42001, "access_token expired")
        return None

    @app.get("/cgi-bin/token")
    def token(grant_type: str = "", appid: str = "", secret: str = "") -> JSONResponse:
        with state.lock:
            state.token_requests += 1
            if grant_type != "client_credential":
                return _error(40002, "invalid grant_type")
            if appid != state.app_id:
                return _error(40013, "invalid appid")
            if secret != state.app_secret:
                return _error(40001, "invalid credential, access_token is invalid or not latest")
            issued = f"TOKEN{next(state._counter)}"
            state.valid_tokens.add(issued)
            return JSONResponse({"access_token": issued, "expires_in": state.expires_in})

    @app.post("/cgi-bin/message/custom/send")
    async def custom_send(request: Request, access_token: str | None = None) -> JSONResponse:
        with state.lock:
            refused = token_error(access_token)
        if refused is not None:
            return refused
        try:
            body = json.loads(await request.body())
            touser, content = body["touser"], body["text"]["content"]
            assert body["msgtype"] == "text"
        except (ValueError, KeyError, TypeError, AssertionError):
            return _error(40003, "invalid openid or body")
        with state.lock:
            if touser in state.closed_window:
                state.refused.append((touser, 45015))
                return _error(45015, "response out of time limit or subscription is canceled")
            if len(content.encode()) > 2048:
                return _error(45002, "content size out of limit")
            state.sent.append(Sent(touser, content))
        return _error(0, "ok")

    @app.get("/cgi-bin/media/get")
    def media_get(access_token: str | None = None, media_id: str = "") -> Response:
        with state.lock:
            refused = token_error(access_token)
            state.media_requests.append(media_id)
            data = state.media.get(media_id)
        if refused is not None:
            return refused
        if data is None:
            return _error(40007, "invalid media_id")
        return Response(data, media_type="audio/amr", headers={"Content-disposition": 'attachment; filename="v.amr"'})

    return app


class FakeWeChatServer:
    """uvicorn in a thread; `base_url` is what WECHAT_API_BASE points at."""

    def __init__(self, port: int) -> None:
        self.state = FakeWeChatState()
        self.port = port
        config = uvicorn.Config(build_app(self.state), host="127.0.0.1", port=port, log_level="warning")
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self._server.run, daemon=True)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        self._thread.start()
        deadline = time.monotonic() + 10
        while not self._server.started:
            if time.monotonic() > deadline:
                raise RuntimeError("fake WeChat server did not start")
            time.sleep(0.02)

    def stop(self) -> None:
        self._server.should_exit = True
        self._thread.join(10)
