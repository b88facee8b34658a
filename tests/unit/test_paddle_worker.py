"""The PaddleSpeech worker without paddle: its model-file checks, and its HTTP contract with the gateway's client
(the real server module, driven by a small test backend standing in for PaddleSpeech itself)."""

from __future__ import annotations

import json
import socket
import threading
from pathlib import Path

import numpy as np
import pytest

from voice.audio import Audio, InvalidAudio
from voice.models import md5sum
from voice.paddle_client import PaddleWorkerClient
from voice.paddle_worker import models
from voice.paddle_worker.server import NotLoaded, PaddleBackend, serve
from voice.stt import EngineUnavailable
from voice.stt.paddle import PaddleSttEngine
from voice.tts.paddle import PaddleTtsEngine


def test_missing_files_are_named_with_their_place_in_ppspeech_home(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("HF_HOME", str(tmp_path / "hf"))
    tts, asr = models.check_tts(tmp_path), models.check_asr(tmp_path)
    assert not tts.ok and not asr.ok
    assert str(tmp_path / "models/fastspeech2_csmsc-zh/1.0/fastspeech2_nosil_baker_ckpt_0.4.zip") in tts.reason
    assert "hifigan_csmsc_ckpt_0.1.1.zip" in tts.reason and "g2pW.onnx" in tts.reason
    assert "bert-base-chinese" in tts.reason
    assert "asr1_conformer_wenetspeech_ckpt_0.1.1.model.tar.gz" in asr.reason


def test_an_archive_with_the_wrong_md5_is_reported(tmp_path) -> None:
    path = models.ASR.path(tmp_path)
    path.parent.mkdir(parents=True)
    path.write_bytes(b"not the real archive")
    ready = models.check_asr(tmp_path)
    assert not ready.ok and f"md5 {md5sum(path)} != expected {models.ASR.md5}" in ready.reason


def test_unknown_vocoder_is_refused(tmp_path) -> None:
    assert "unknown vocoder" in models.check_tts(tmp_path, vocoder="wavenet").reason


def test_backend_with_missing_models_never_imports_paddle_nor_connects(tmp_path, monkeypatch) -> None:
    for variable in ("HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE", "HF_DATASETS_OFFLINE", "PPSPEECH_HOME"):
        monkeypatch.delenv(variable, raising=False)

    def refuse(self, address):
        raise AssertionError(f"network attempt to {address}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    backend = PaddleBackend(tmp_path)
    status = backend.status()
    assert status["tts"]["loaded"] is False and "fastspeech2_nosil_baker_ckpt_0.4.zip" in status["tts"]["reason"]
    assert status["asr"]["loaded"] is False and "conformer" in status["asr"]["reason"]
    with pytest.raises(NotLoaded):
        backend.tts("你好", 1.0)
    import os

    assert os.environ["HF_HUB_OFFLINE"] == "1" and os.environ["PPSPEECH_HOME"] == str(tmp_path)


class RecordingBackend:
    """Stands in for PaddleSpeech: speaks a 24 kHz tone per character, and 'recognises' by duration."""

    def __init__(self) -> None:
        self.calls: list[tuple] = []

    def status(self) -> dict:
        return {"tts": {"loaded": True, "reason": "tts: test"}, "asr": {"loaded": False, "reason": "asr: missing x"}}

    def tts(self, text: str, speed: float) -> bytes:
        self.calls.append(("tts", text, speed))
        samples = (np.sin(np.arange(int(2400 * len(text) / speed)) / 5) * 5000).astype("<i2")
        return Audio(samples.tobytes(), 24000).to_wav()

    def asr(self, wav: bytes) -> str:
        self.calls.append(("asr", len(wav)))
        return "护理补贴"


@pytest.fixture()
def worker():
    backend = RecordingBackend()
    server = serve(backend, "127.0.0.1", 0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield backend, f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_client_and_worker_agree_on_the_contract(worker) -> None:
    backend, url = worker
    client = PaddleWorkerClient(url)
    tts, stt = PaddleTtsEngine(client), PaddleSttEngine(client)
    assert tts.availability().ok and not stt.availability().ok
    assert stt.availability().reason == "asr: missing x"
    audio = tts.synthesize("您好", 350)
    assert audio.sample_rate == 24000 and audio.seconds == pytest.approx(0.1, abs=0.01)
    assert backend.calls[-1] == ("tts", "您好", 2.0)  # 350 wpm = twice the normal speed
    assert client.asr(Audio(b"\x00\x00" * 8000, 8000)) == "护理补贴"
    assert backend.calls[-1] == ("asr", 44 + 32000)  # resampled to 16 kHz WAV


def test_worker_refuses_bad_requests_with_400(worker) -> None:
    import httpx

    _backend, url = worker
    assert httpx.post(url + "/tts", json={"text": "", "speed": 1}).status_code == 400
    assert httpx.post(url + "/tts", content=b"{not json").status_code == 400
    assert httpx.get(url + "/nothing").status_code == 404
    with pytest.raises(InvalidAudio):
        PaddleWorkerClient(url).tts("x" * 1001)


def test_worker_without_models_answers_503_and_the_client_says_why(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("HF_HOME", str(tmp_path / "hf"))
    for variable in ("HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE", "HF_DATASETS_OFFLINE", "PPSPEECH_HOME"):
        monkeypatch.delenv(variable, raising=False)
    server = serve(PaddleBackend(tmp_path), "127.0.0.1", 0)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        client = PaddleWorkerClient(f"http://127.0.0.1:{server.server_address[1]}")
        assert "fastspeech2" in client.availability("tts").reason
        with pytest.raises(EngineUnavailable, match="conformer_wenetspeech"):
            PaddleSttEngine(client).transcribe(Audio(b"\x00\x00" * 160, 8000))
        health = json.loads(client._client.get("/health").text)
        assert health["asr"]["loaded"] is False
    finally:
        server.shutdown()
        server.server_close()


def test_requirements_pin_what_the_issue_measured() -> None:
    pins = (Path(__file__).parents[2] / "requirements" / "paddlespeech.txt").read_text()
    for pin in (
        "paddlespeech==1.5.0",
        "huggingface_hub<1.0",
        "aistudio-sdk<0.3",
        "datasets<3",
        "numpy<2",
        "setuptools<81",
    ):
        assert pin in pins
