"""Engine choice by configuration, and the full transcribers' fail-fast checks: missing model files give a clear
error naming them, and nothing reaches the network."""

from __future__ import annotations

import socket
from types import SimpleNamespace

import pytest

from voice.audio import Audio
from voice.engines import make_engines, make_stt_engine
from voice.stt import EngineUnavailable
from voice.stt.kws import KeywordSpotterEngine
from voice.stt.paddle import PaddleSttEngine
from voice.stt.sherpa import SherpaOfflineEngine

SILENCE = Audio(b"\x00\x00" * 1600, 16000)


@pytest.fixture()
def no_network(monkeypatch):
    """Any attempt to open a connection fails the test."""
    attempts: list[object] = []

    def refuse(self, address):
        attempts.append(address)
        raise AssertionError(f"network attempt to {address}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    return attempts


def settings(**overrides) -> SimpleNamespace:
    values = dict(
        tts_engine="espeak",
        speech_input_engine="kws",
        kws_model_dir="../shared/models/none-here",
        kws_vocabulary="nlu_data/dict/userdict.txt",
        kws_threshold=0.1,
        kws_score=2.0,
        sherpa_asr_model_dir=None,
        paddle_worker_url="http://127.0.0.1:9",
    )
    return SimpleNamespace(**(values | overrides))


def test_engine_is_chosen_by_configuration(tmp_path) -> None:
    assert isinstance(make_stt_engine(settings()), KeywordSpotterEngine)
    assert isinstance(
        make_stt_engine(settings(speech_input_engine="sherpa", sherpa_asr_model_dir=tmp_path)), SherpaOfflineEngine
    )
    assert isinstance(make_stt_engine(settings(speech_input_engine="paddle")), PaddleSttEngine)
    assert make_stt_engine(settings(speech_input_engine="none")) is None
    with pytest.raises(ValueError, match="speech_input_engine"):
        make_stt_engine(settings(speech_input_engine="whisper"))


def test_relative_kws_path_is_taken_from_the_project_root() -> None:
    engine = make_stt_engine(settings())
    assert engine.model_dir.is_absolute() and engine.model_dir.name == "none-here"
    assert engine.model_dir.parent.name == "models" and engine.model_dir.parent.parent.name == "shared"


def test_kws_with_missing_model_names_the_files(tmp_path, no_network) -> None:
    engine = KeywordSpotterEngine(tmp_path / "kws", ["护理补贴"])
    status = engine.availability()
    assert not status.ok and "tokens.txt" in status.reason and "encoder" in status.reason
    with pytest.raises(EngineUnavailable, match="tokens.txt"):
        engine.transcribe(SILENCE)
    assert no_network == []


def test_sherpa_without_configuration_says_so(no_network) -> None:
    engine = SherpaOfflineEngine(None)
    assert "SHERPA_ASR_MODEL_DIR" in engine.availability().reason
    with pytest.raises(EngineUnavailable, match="no sherpa-onnx model directory configured"):
        engine.transcribe(SILENCE)


def test_sherpa_with_incomplete_directory_names_the_missing_files(tmp_path, no_network) -> None:
    (tmp_path / "tokens.txt").write_text("<blk> 0\n")
    (tmp_path / "encoder-epoch-99.onnx").write_bytes(b"")
    engine = SherpaOfflineEngine(tmp_path)
    status = engine.availability()
    assert not status.ok
    for name in ("model.int8.onnx", "decoder*.onnx", "joiner*.int8.onnx"):
        assert name in status.reason
    with pytest.raises(EngineUnavailable, match="neither a paraformer"):
        engine.transcribe(SILENCE)
    assert no_network == []


def test_sherpa_recognises_a_complete_paraformer_layout(tmp_path) -> None:
    (tmp_path / "model.int8.onnx").write_bytes(b"")
    (tmp_path / "tokens.txt").write_text("<blk> 0\n")
    status = SherpaOfflineEngine(tmp_path).availability()
    assert status.ok and "paraformer" in status.reason  # files present; whether they load is the runtime's job


def test_paddle_without_worker_is_unavailable_with_the_reason() -> None:
    tts, stt = make_engines(settings(tts_engine="paddle", speech_input_engine="paddle"))
    status = stt.availability()
    assert not status.ok and "not reachable at http://127.0.0.1:9" in status.reason
    assert tts.name == "espeak-ng"  # PaddleSpeech TTS falls back to the offline default
    assert "paddlespeech" in tts.availability().reason
    with pytest.raises(EngineUnavailable, match="not reachable"):
        stt.transcribe(SILENCE)
