"""Issue 11 items 2 and 3: oversized bodies are refused before they are read, and a big upload never stalls the
gateway; text is bounded before any CPU work; lone surrogates are refused (422), never sent to Rasa."""

from __future__ import annotations

import base64
import json
import socket
import threading

import httpx
import pytest
from fastapi.testclient import TestClient

from bot.main import create_app
from tests.api.conftest import make_settings
from tests.api.live_server import serve
from tests.audio_fixtures import long_amr

BIG = 10 * 1024 * 1024
CHUNK = 64 * 1024


def gateway(tmp_path, **overrides) -> TestClient:
    settings = make_settings(f"sqlite:///{tmp_path / 'edge.db'}", tmp_path).model_copy(update=overrides)
    return TestClient(create_app(settings))


@pytest.fixture()
def client(tmp_path):
    with gateway(tmp_path) as test_client:
        yield test_client


def test_declared_oversized_chat_body_is_413_without_reading(client) -> None:
    body = json.dumps({"sender_id": "u1", "text": "护" * 100_000}).encode()
    response = client.post("/api/chat", content=body, headers={"content-type": "application/json"})
    assert response.status_code == 413
    assert "太大" in response.json()["detail"]


def test_streamed_oversized_body_without_length_is_413(client) -> None:
    def chunks():
        yield b'{"sender_id": "u1", "text": "'
        for _ in range(40):
            yield b"a" * 4096
        yield b'"}'

    response = client.post("/api/chat", content=chunks(), headers={"content-type": "application/json"})
    assert response.status_code == 413 and "太大" in response.json()["detail"]


def test_text_is_bounded_before_normalisation(client) -> None:
    assert client.post("/api/chat", json={"sender_id": "u1", "text": "护" * 8001}).status_code == 422
    too_long = client.post("/api/chat", json={"sender_id": "u1", "text": "护" * 4001})
    assert too_long.status_code == 413 and "分几次说" in too_long.json()["detail"]


@pytest.mark.parametrize("text", [b"\\udfff\\ud800", b"a\\ud800b"])
def test_lone_surrogates_are_a_clean_422_not_rasa_down(client, text) -> None:
    """Issue 11 (low): "\\ud800" could not be encoded for Rasa and was answered "rasa down" (503)."""
    body = b'{"sender_id": "u1", "text": "' + text + b'"}'
    response = client.post("/api/chat", content=body, headers={"content-type": "application/json"})
    assert response.status_code == 422 and response.json()["fields"] == ["text"]


def test_voice_uploads_over_the_limit_are_413(tmp_path) -> None:
    with gateway(tmp_path, voice_max_upload_bytes=100_000) as small:
        raw = small.post("/api/voice/stt?format=ulaw8k", content=b"\xff" * 200_000)
        multipart = small.post("/api/voice/stt", files={"file": ("a.raw", b"\xff" * 200_000, "audio/basic")})
        turn = small.post("/api/voice/turn", json={"sender_id": "k1", "audio": base64.b64encode(b"\xff" * 200_000)
                                                   .decode()})  # fmt: skip
    assert raw.status_code == multipart.status_code == turn.status_code == 413


def test_amr_bomb_is_413_from_stt_and_turn(client, tmp_path) -> None:
    """20 minutes of AMR in under 1 MB: refused as too long once decoding passes 60 s."""
    bomb = long_amr(tmp_path, 1200)
    stt = client.post("/api/voice/stt", content=bomb, headers={"content-type": "audio/amr"})
    turn = client.post("/api/voice/turn", json={"sender_id": "k1", "audio": base64.b64encode(bomb).decode()})
    assert stt.status_code == 413 and turn.status_code == 413
    assert "一分钟" in stt.json()["detail"]


class Upload:
    """A 10 MB POST /api/chat sent chunk by chunk over a raw socket, noting when the server answered."""

    def __init__(self, base_url: str) -> None:
        host, port = base_url.removeprefix("http://").split(":")
        self.sock = socket.create_connection((host, int(port)), timeout=30)
        self.sent = 0
        self.answered_after: int | None = None  # bytes of body sent when the response arrived
        self.response = b""

    def start(self) -> None:
        head = (f"POST /api/chat HTTP/1.1\r\nHost: test\r\ncontent-type: application/json\r\n"
                f"content-length: {BIG}\r\n\r\n").encode()  # fmt: skip
        self.sock.sendall(head + b'{"sender_id": "u1", "text": "' + b"a" * (CHUNK - 30))
        self.sent = CHUNK - 30

    def _poll(self) -> None:
        self.sock.setblocking(False)
        try:
            data = self.sock.recv(65536)
        except (BlockingIOError, InterruptedError):
            data = b""
        except OSError:
            data = b""
        finally:
            self.sock.setblocking(True)
        if data and self.answered_after is None:
            self.answered_after = self.sent
        self.response += data

    def finish(self) -> None:
        """Send the rest (as a client would) unless the server has answered or closed the connection."""
        try:
            while self.sent < BIG - 2 and self.answered_after is None:
                piece = min(CHUNK, BIG - 2 - self.sent)
                self.sock.sendall(b"a" * piece)
                self.sent += piece
                self._poll()
            if self.answered_after is None:
                self.sock.sendall(b'"}')
                self.sent = BIG
        except OSError:  # closed by the server after its answer
            pass
        self.sock.settimeout(60)
        while b"\r\n\r\n" not in self.response:
            data = self.sock.recv(65536)
            if not data:
                break
            if self.answered_after is None:
                self.answered_after = self.sent
            self.response += data
        self.sock.close()


def test_big_chat_upload_is_refused_early_and_never_stalls_health(tmp_path) -> None:
    """The 10 MB body is answered 413 before it has all been sent, and /healthz answers while it is being sent.
    (The review measured 12 s to refuse it and a 10 s /healthz stall.)"""
    app = create_app(make_settings(f"sqlite:///{tmp_path / 'live.db'}", tmp_path))
    with serve(app) as url:
        upload = Upload(url)
        upload.start()
        health_during_upload = httpx.get(f"{url}/healthz", timeout=30)
        assert upload.sent < BIG  # the upload is still in progress
        done = threading.Thread(target=upload.finish)
        done.start()
        done.join(120)
        assert not done.is_alive()
    assert health_during_upload.status_code == 200
    assert upload.response.startswith(b"HTTP/1.1 413"), upload.response[:200]
    assert upload.answered_after is not None and upload.answered_after < BIG
