"""bot/api/http_protocol.py: a response's head and body leave in one write; nothing is lost or held for long."""

from __future__ import annotations

import asyncio
import socket
import threading
import time

import httpx
import pytest
import uvicorn
from starlette.applications import Starlette
from starlette.responses import JSONResponse, PlainTextResponse, StreamingResponse
from starlette.routing import Route

from bot.api.http_protocol import HeadWithBody, OneWriteHttpToolsProtocol


class FakeTransport:
    def __init__(self) -> None:
        self.writes: list[bytes] = []
        self.closed = False

    def write(self, data: bytes) -> None:
        assert not self.closed
        self.writes.append(data)

    def close(self) -> None:
        self.closed = True

    def is_closing(self) -> bool:
        return self.closed

    def get_extra_info(self, name: str) -> str:
        return f"info:{name}"


def test_head_and_body_in_one_write() -> None:
    async def run() -> list[bytes]:
        real = FakeTransport()
        transport = HeadWithBody(real, asyncio.get_running_loop())
        transport.write(b"HTTP/1.1 200 OK\r\n\r\n")
        assert real.writes == []
        transport.write(b"body")
        transport.write(b"more")  # later writes go out as they come
        await asyncio.sleep(0)
        return real.writes

    assert asyncio.run(run()) == [b"HTTP/1.1 200 OK\r\n\r\nbody", b"more"]


def test_a_head_alone_leaves_on_the_next_pass() -> None:
    async def run() -> list[bytes]:
        real = FakeTransport()
        transport = HeadWithBody(real, asyncio.get_running_loop())
        transport.write(b"HTTP/1.1 204 No Content\r\n\r\n")
        await asyncio.sleep(0)
        return real.writes

    assert asyncio.run(run()) == [b"HTTP/1.1 204 No Content\r\n\r\n"]


def test_closing_sends_what_is_held_first() -> None:
    async def run() -> FakeTransport:
        real = FakeTransport()
        transport = HeadWithBody(real, asyncio.get_running_loop())
        transport.write(b"head")
        transport.close()
        await asyncio.sleep(0)  # the scheduled flush finds nothing left
        return real

    real = asyncio.run(run())
    assert real.writes == [b"head"] and real.closed


def test_other_attributes_are_the_real_transports() -> None:
    transport = HeadWithBody(FakeTransport(), asyncio.new_event_loop())
    assert transport.get_extra_info("peername") == "info:peername"
    assert not transport.is_closing()


async def _stream():
    for part in (b"one,", b"two,", b"three"):
        yield part
        await asyncio.sleep(0.01)


APP = Starlette(
    routes=[
        Route("/json", lambda request: JSONResponse({"answer": "好"}), methods=["GET", "HEAD"]),
        Route("/empty", lambda request: PlainTextResponse("", status_code=204)),
        Route("/stream", lambda request: StreamingResponse(_stream(), media_type="text/plain")),
    ]
)


@pytest.fixture(scope="module")
def server_url():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    config = uvicorn.Config(APP, host="127.0.0.1", port=port, http=OneWriteHttpToolsProtocol, log_level="warning")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    for _ in range(200):
        if server.started:
            break
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(10)


def test_responses_through_a_real_server(server_url: str) -> None:
    with httpx.Client(base_url=server_url) as client:  # one keep-alive connection for every request
        for _ in range(3):
            response = client.get("/json")
            assert response.status_code == 200 and response.json() == {"answer": "好"}
        head = client.head("/json")
        assert head.status_code == 200 and head.content == b""
        assert int(head.headers["content-length"]) == len('{"answer":"好"}'.encode())
        assert client.get("/empty").status_code == 204
        streamed = client.get("/stream")
        assert streamed.text == "one,two,three" and streamed.headers["transfer-encoding"] == "chunked"
        assert client.get("/json").json() == {"answer": "好"}  # the connection still serves after all of them
