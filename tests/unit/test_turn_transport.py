"""The Rasa turn's connection layer (bot/dialogue/one_write.py, bot/dialogue/asyncio_stream.py): a request leaves in
one write; connections are kept alive and reused; one the server closed is noticed without a system call and replaced;
timeouts and refused connections end as DialogueUnavailable, as with httpx."""

from __future__ import annotations

import asyncio
import json

import httpcore
import pytest

from bot.dialogue.asyncio_stream import AsyncioBackend
from bot.dialogue.client import DialogueUnavailable, RasaClient
from bot.dialogue.one_write import OneWriteStream

REPLY = json.dumps({"messages": [{"text": "好的"}], "state": {}}, ensure_ascii=False).encode()


class Recording(httpcore.AsyncNetworkStream):
    def __init__(self) -> None:
        self.writes: list[bytes] = []

    async def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self.writes.append(buffer)

    async def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return b"reply"


def test_what_is_written_leaves_in_one_write_at_the_next_read() -> None:
    inner = Recording()
    stream = OneWriteStream(inner)

    async def steps() -> bytes:
        for part in (b"POST / HTTP/1.1\r\n\r\n", b'{"a":1}', b""):
            await stream.write(part)
        assert inner.writes == []
        return await stream.read(100)

    assert asyncio.run(steps()) == b"reply"
    assert inner.writes == [b'POST / HTTP/1.1\r\n\r\n{"a":1}']


class Server:
    """A tiny HTTP/1.1 server: answers every request with REPLY; counts connections and requests; can close an idle
    connection after its answer (`close_after`) or never answer (`silent`)."""

    def __init__(self, close_after: bool = False, silent: bool = False) -> None:
        self.connections = self.requests = 0
        self.close_after, self.silent = close_after, silent

    async def handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.connections += 1
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                length = next(int(line.split(b":")[1]) for line in head.split(b"\r\n")
                              if line.lower().startswith(b"content-length"))  # fmt: skip
                await reader.readexactly(length)
                self.requests += 1
                if self.silent:
                    await asyncio.sleep(5)
                writer.write(b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: %d\r\n\r\n%s"
                             % (len(REPLY), REPLY))  # fmt: skip
                await writer.drain()
                if self.close_after:
                    break
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        writer.close()


async def with_server(server: Server, steps):  # noqa: ANN001, ANN201
    listening = await asyncio.start_server(server.handle, "127.0.0.1", 0)
    port = listening.sockets[0].getsockname()[1]
    client = RasaClient(f"http://127.0.0.1:{port}", f"http://127.0.0.1:{port}", timeout=1.0)
    try:
        return await steps(client)
    finally:
        await client.close()
        listening.close()


def test_turns_share_one_kept_alive_connection() -> None:
    server = Server()

    async def steps(client: RasaClient) -> list[str]:
        return [(await client.turn("r1", f"第{n}句")).messages[0].text for n in range(3)]

    assert asyncio.run(with_server(server, steps)) == ["好的"] * 3
    assert (server.connections, server.requests) == (1, 3)


def test_a_connection_the_server_closed_is_replaced_without_an_error() -> None:
    server = Server(close_after=True)

    async def steps(client: RasaClient) -> list[str]:
        first = (await client.turn("r1", "你好")).messages[0].text
        await asyncio.sleep(0.2)  # the server has closed the idle connection meanwhile
        return [first, (await client.turn("r1", "谢谢")).messages[0].text]

    assert asyncio.run(with_server(server, steps)) == ["好的", "好的"]
    assert (server.connections, server.requests) == (2, 2)


def test_a_silent_rasa_times_out_as_unavailable() -> None:
    async def steps(client: RasaClient) -> None:
        await client.turn("r1", "你好")

    with pytest.raises(DialogueUnavailable):
        asyncio.run(with_server(Server(silent=True), steps))


def test_a_refused_connection_is_unavailable() -> None:
    async def steps() -> None:
        client = RasaClient("http://127.0.0.1:9", "http://127.0.0.1:9", timeout=1.0)
        try:
            await client.turn("r1", "你好")
        finally:
            await client.close()

    with pytest.raises(DialogueUnavailable):
        asyncio.run(steps())


def test_the_plain_backend_answers_the_keep_alive_check_from_what_it_received() -> None:
    async def steps() -> list[bool]:
        server = Server(close_after=True)
        listening = await asyncio.start_server(server.handle, "127.0.0.1", 0)
        port = listening.sockets[0].getsockname()[1]
        stream = await AsyncioBackend().connect_tcp("127.0.0.1", port, timeout=1.0)
        idle = stream.get_extra_info("is_readable")
        await stream.write(b"POST / HTTP/1.1\r\nhost: x\r\ncontent-length: 2\r\n\r\n{}")
        answer = await stream.read(65536)
        await asyncio.sleep(0.1)  # the server closes after its answer
        closed = stream.get_extra_info("is_readable")
        await stream.aclose()
        listening.close()
        return [idle, answer.endswith(REPLY), closed]

    assert asyncio.run(steps()) == [False, True, True]
