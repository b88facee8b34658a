"""POST /api/voice/stt and the parts of /api/voice/turn that do not need Rasa (a gateway without a dialogue)."""

from __future__ import annotations

import base64
import shutil

import pytest
from fastapi.testclient import TestClient

from bot.main import create_app
from tests.api.conftest import make_settings
from voice.models import KWS_MODEL_NAME, SHARED_MODELS
from voice.normalize import normalize_for_speech

needs_voice = pytest.mark.skipif(
    shutil.which("espeak-ng") is None or not (SHARED_MODELS / KWS_MODEL_NAME).is_dir(),
    reason="needs espeak-ng and the shared KWS model",
)


def gateway(tmp_path, **overrides) -> TestClient:
    settings = make_settings(f"sqlite:///{tmp_path / 'voice.db'}", tmp_path).model_copy(update=overrides)
    return TestClient(create_app(settings))


@pytest.fixture(scope="module")
def speech() -> bytes:
    """法律援助, spoken by espeak-ng (a keyword the spotter reliably hears in synthetic speech)."""
    from voice.tts.espeak import EspeakEngine

    return EspeakEngine().synthesize(normalize_for_speech("法律援助")).to_wav()


@pytest.fixture()
def client(tmp_path):
    with gateway(tmp_path) as test_client:
        yield test_client


@needs_voice
def test_multipart_upload_is_recognised(client, speech) -> None:
    response = client.post("/api/voice/stt", files={"file": ("q.wav", speech, "audio/wav")})
    assert response.status_code == 200
    assert response.json() == {
        "text": "法律援助",
        "keywords": ["法律援助"],
        "engine": "sherpa-onnx-kws",
        "full_transcript": False,
    }


@needs_voice
def test_raw_telephone_audio_with_a_format(client, speech) -> None:
    from voice.audio import read_wav

    ulaw = read_wav(speech).to_ulaw_8k()
    response = client.post("/api/voice/stt?format=ulaw8k", content=ulaw)
    assert response.status_code == 200 and response.json()["engine"] == "sherpa-onnx-kws"
    assert response.json()["full_transcript"] is False


@pytest.mark.parametrize(
    ("content", "query", "status", "reason"),
    [
        (b"definitely not audio", "", 400, "unknown audio format"),
        (b"RIFF\x00\x00\x00\x00WAVEfmt ", "", 400, "not a readable WAV"),
        (b"\x00" * 10, "?format=ogg", 400, "unsupported audio format"),
        (b"", "", 422, "no audio data"),
        (b"\x00\x00" * 8000 * 61, "?format=pcm8k", 413, "at most 60 s"),
    ],
)
def test_bad_audio_gets_a_clear_4xx(client, content, query, status, reason) -> None:
    response = client.post("/api/voice/stt" + query, content=content)
    assert response.status_code == status
    assert reason in response.json()["reason"] and response.json()["detail"]


def test_without_speech_input_503_offers_text_and_keypad(tmp_path, speech) -> None:
    with gateway(tmp_path, speech_input_engine="none") as client:
        response = client.post("/api/voice/stt", content=speech, headers={"content-type": "audio/wav"})
    assert response.status_code == 503
    body = response.json()
    assert "文字" in body["detail"] and "按键" in body["detail"] and "keypad" in body["hint"]


def test_with_a_missing_model_503_names_it(tmp_path, speech) -> None:
    with gateway(tmp_path, kws_model_dir=tmp_path / "nowhere") as client:
        response = client.post("/api/voice/stt", content=speech, headers={"content-type": "audio/wav"})
    assert response.status_code == 503 and "nowhere/tokens.txt" in response.json()["reason"]


@pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="Debian package espeak-ng not installed")
def test_turn_unknown_key_is_answered_locally_with_audio(client) -> None:
    response = client.post("/api/voice/turn", json={"sender_id": "k1", "digits": "7", "reply_format": "ulaw8k"})
    assert response.status_code == 200
    body = response.json()
    assert "按零转人工" in body["messages"][0]["text"]
    audio = base64.b64decode(body["audio"]["data"])
    assert body["audio"]["format"] == "ulaw8k" and len(audio) == pytest.approx(body["audio"]["seconds"] * 8000, 2)


@pytest.mark.parametrize(
    "payload",
    [
        {"sender_id": "k1"},
        {"sender_id": "k1", "text": "你好", "digits": "1"},
        {"sender_id": "bad id!", "text": "你好"},
        {"sender_id": "k1", "digits": "abc"},
    ],
)
def test_turn_needs_exactly_one_valid_input(client, payload) -> None:
    assert client.post("/api/voice/turn", json=payload).status_code == 422


def test_turn_with_broken_base64_audio(client) -> None:
    response = client.post("/api/voice/turn", json={"sender_id": "k1", "audio": "***"})
    assert response.status_code == 422 and "base64" in response.json()["reason"]
