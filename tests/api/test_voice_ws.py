"""Issue 11 item 10: /ws/voice needs the telephone gateway's token unless explicitly opened, refuses oversized frames
before using them, and answers a bad first frame (a JSON list, a number, not JSON) with an error and a clean close."""

from __future__ import annotations

import json
import os

import numpy as np
import pytest
from fastapi.testclient import TestClient
from starlette.websockets import WebSocketDisconnect

from bot.main import create_app
from tests.api.conftest import make_settings
from voice import g711

TOKEN = "phone-gateway-secret"


def gateway(tmp_path, **overrides) -> TestClient:
    settings = make_settings(f"sqlite:///{tmp_path / 'ws.db'}", tmp_path).model_copy(update=overrides)
    return TestClient(create_app(settings))


def closed_with(ws, code: int) -> dict:
    """The error event the gateway sent, after checking the socket was then closed with `code`."""
    error = ws.receive_json()
    with pytest.raises(WebSocketDisconnect) as closed:
        ws.receive_json()
    assert closed.value.code == code
    assert error["event"] == "error" and error["detail"]
    return error


def test_without_a_configured_token_calls_are_refused(tmp_path) -> None:
    with gateway(tmp_path) as client, client.websocket_connect("/ws/voice") as ws:
        ws.send_text(json.dumps({"sender_id": "caller1"}))
        assert "VOICE_WS_TOKEN" in closed_with(ws, 1008)["detail"]


def test_token_is_checked_when_configured(tmp_path) -> None:
    with gateway(tmp_path, voice_ws_token=TOKEN) as client:
        for first in ({"sender_id": "caller1"}, {"sender_id": "caller1", "token": "wrong"},
                      {"sender_id": "caller1", "token": ["phone-gateway-secret"]}):  # fmt: skip
            with client.websocket_connect("/ws/voice") as ws:
                ws.send_text(json.dumps(first))
                assert closed_with(ws, 1008)["detail"] == "bad token"
        with client.websocket_connect("/ws/voice") as ws:
            ws.send_text(json.dumps({"sender_id": "caller1", "token": TOKEN}))
            assert ws.receive_json()["event"] == "ready"


def test_open_without_token_only_when_explicitly_allowed(tmp_path) -> None:
    with gateway(tmp_path, voice_ws_allow_without_token=True) as client, client.websocket_connect("/ws/voice") as ws:
        ws.send_text(json.dumps({"sender_id": "caller1"}))
        assert ws.receive_json()["event"] == "ready"


@pytest.mark.parametrize("first", ["[1, 2]", "[]", "5", '"caller"', "null", "{not json", "x" * 5000])
def test_a_first_frame_that_is_not_an_object_closes_cleanly(tmp_path, first) -> None:
    with gateway(tmp_path, voice_ws_token=TOKEN) as client, client.websocket_connect("/ws/voice") as ws:
        ws.send_text(first)
        closed_with(ws, 1009 if len(first) > 4096 else 1008)


def test_a_binary_first_frame_closes_cleanly(tmp_path) -> None:
    with gateway(tmp_path, voice_ws_token=TOKEN) as client, client.websocket_connect("/ws/voice") as ws:
        ws.send_bytes(b"\xff" * 160)
        closed_with(ws, 1008)


class RecordingEngine:
    """The configured speech-input engine, unchanged, noting the length of every utterance it was given."""

    def __init__(self, engine) -> None:
        self._engine = engine
        self.name = engine.name
        self.samples: list[int] = []

    def availability(self):
        return self._engine.availability()

    def transcribe(self, audio):
        self.samples.append(len(audio.pcm) // 2)
        return self._engine.transcribe(audio)


def noise_ulaw(samples: int) -> bytes:
    rng = np.random.default_rng(7)
    return g711.pcm16_to_ulaw(rng.integers(-12000, 12000, samples, dtype="<i2").tobytes())


def start_call(client: TestClient, ws) -> RecordingEngine:
    if client.app.state.stt is None or not client.app.state.stt.availability().ok:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("no speech-input engine on CI (the shared KWS model is missing)")
        pytest.skip("no speech-input engine here (the shared KWS model is missing)")
    recorder = client.app.state.stt = RecordingEngine(client.app.state.stt)
    ws.send_text(json.dumps({"sender_id": "caller1", "token": TOKEN}))
    assert ws.receive_json()["event"] == "ready"
    return recorder


def test_an_oversized_frame_is_refused_before_it_is_used(tmp_path) -> None:
    """The review sent one 2 MB frame and it was transcribed; now it closes the call (1009) unused."""
    with gateway(tmp_path, voice_ws_token=TOKEN) as client, client.websocket_connect("/ws/voice") as ws:
        recorder = start_call(client, ws)
        ws.send_bytes(noise_ulaw(2 * 1024 * 1024))
        closed_with(ws, 1009)
    assert recorder.samples == []


def test_an_utterance_never_grows_past_the_limit(tmp_path) -> None:
    """With a 1 s limit (8000 bytes), three 3200-byte frames never make an utterance over the limit (the call core
    cuts the utterance before the frame that would pass it; audio still queued at the hang-up is dropped)."""
    with gateway(tmp_path, voice_ws_token=TOKEN, voice_max_seconds=1.0) as client:
        with client.websocket_connect("/ws/voice") as ws:
            recorder = start_call(client, ws)
            audio = noise_ulaw(9600)
            for start in range(0, len(audio), 3200):
                ws.send_bytes(audio[start : start + 3200])
            ws.send_text(json.dumps({"event": "end"}))
            ws.send_text(json.dumps({"event": "hangup"}))
            while ws.receive()["type"] != "websocket.close":
                pass  # the replies, until the gateway closes after the hang-up
    assert recorder.samples and max(recorder.samples) <= 8000
