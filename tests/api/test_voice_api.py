"""POST /api/voice/tts through the gateway (espeak-ng, the offline default)."""

import shutil
import wave
from io import BytesIO

import pytest

pytestmark = pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="Debian package espeak-ng not installed")


def test_tts_returns_a_wav(client) -> None:
    response = client.post("/api/voice/tts", json={"text": "请拨打12385", "rate": 220})
    assert response.status_code == 200 and response.headers["content-type"] == "audio/wav"
    with wave.open(BytesIO(response.content)) as audio:
        assert audio.getnchannels() == 1 and audio.getsampwidth() == 2
        assert audio.getnframes() / audio.getframerate() > 0.5


def test_tts_for_telephone_lines_is_8khz_ulaw(client) -> None:
    wav = client.post("/api/voice/tts", json={"text": "护理补贴"})
    ulaw = client.post("/api/voice/tts", json={"text": "护理补贴", "format": "ulaw8k"})
    assert ulaw.status_code == 200 and ulaw.headers["content-type"] == "audio/basic"
    with wave.open(BytesIO(wav.content)) as audio:
        seconds = audio.getnframes() / audio.getframerate()
    assert abs(len(ulaw.content) / 8000 - seconds) < 0.05


@pytest.mark.parametrize(
    "body", [{"text": ""}, {"text": "x" * 1001}, {"text": "好", "rate": 5}, {"text": "好", "format": "mp3"}]
)
def test_bad_requests_are_422(client, body) -> None:
    assert client.post("/api/voice/tts", json=body).status_code == 422
