"""POST /api/voice/tts through the gateway (espeak-ng, the offline default)."""

import random
import shutil
import string
import tempfile
import wave
from io import BytesIO
from pathlib import Path

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


@pytest.fixture()
def letters_dir():
    """A fresh directory whose path has letters only, so speech normalisation passes it through unchanged."""
    path = Path(tempfile.gettempdir()) / ("tts_" + "".join(random.choices(string.ascii_lowercase, k=12)))
    path.mkdir()
    yield path
    shutil.rmtree(path, ignore_errors=True)


def test_option_like_text_cannot_read_or_write_files(client, letters_dir) -> None:
    """Issue 11 item 1: `-f<path>` spoke the file, `--phonout=`/`-w` created files with the gateway's rights."""
    secret = letters_dir / "secret.txt"
    secret.write_text("zebra quartz jukebox wizard")
    attack = client.post("/api/voice/tts", json={"text": f"-f{secret}"})
    as_file = client.post("/api/voice/tts", json={"text": secret.read_text()})
    assert attack.status_code == 200 and as_file.status_code == 200
    assert attack.content != as_file.content
    for template in ("--phonout={path}", "-w{path}", "-w {path}"):
        target = letters_dir / "written.out"
        response = client.post("/api/voice/tts", json={"text": template.format(path=target)})
        assert response.status_code == 200 and len(response.content) > 1000
        assert not target.exists(), template
