"""Build the configured TTS and speech-input engines (called once at start-up by the gateway and by voice-check).

`settings` is the gateway's Settings object (bot/core/config.py); only its voice fields are read."""

from __future__ import annotations

from typing import Any

from voice.models import resolve
from voice.paddle_client import PaddleWorkerClient
from voice.stt import SttEngine
from voice.tts import TtsEngine
from voice.tts.espeak import EspeakEngine

SPEECH_INPUT_ENGINES = ("kws", "sherpa", "paddle", "none")


def make_tts_engine(settings: Any, client: PaddleWorkerClient | None = None) -> TtsEngine:
    """espeak-ng, or PaddleSpeech with espeak-ng as the fallback while the worker is unavailable."""
    espeak = EspeakEngine()
    if settings.tts_engine != "paddle":
        return espeak
    from voice.tts.fallback import FallbackTtsEngine
    from voice.tts.paddle import PaddleTtsEngine

    return FallbackTtsEngine(PaddleTtsEngine(client or PaddleWorkerClient(settings.paddle_worker_url)), espeak)


def make_stt_engine(settings: Any, client: PaddleWorkerClient | None = None) -> SttEngine | None:
    """The configured speech-input engine (`speech_input_engine`), or None when speech input is switched off."""
    kind = settings.speech_input_engine
    if kind == "kws":
        from voice.stt.kws import KeywordSpotterEngine

        return KeywordSpotterEngine(
            resolve(settings.kws_model_dir),
            resolve(settings.kws_vocabulary),
            threshold=settings.kws_threshold,
            score=settings.kws_score,
        )
    if kind == "sherpa":
        from voice.stt.sherpa import SherpaOfflineEngine

        directory = settings.sherpa_asr_model_dir
        return SherpaOfflineEngine(resolve(directory) if directory else None)
    if kind == "paddle":
        from voice.stt.paddle import PaddleSttEngine

        return PaddleSttEngine(client or PaddleWorkerClient(settings.paddle_worker_url))
    if kind == "none":
        return None
    raise ValueError(f"speech_input_engine must be one of {', '.join(SPEECH_INPUT_ENGINES)}, not {kind!r}")


def make_engines(settings: Any) -> tuple[TtsEngine, SttEngine | None]:
    """Both engines, sharing one worker client when both use PaddleSpeech."""
    needs_worker = settings.tts_engine == "paddle" or settings.speech_input_engine == "paddle"
    client = PaddleWorkerClient(settings.paddle_worker_url) if needs_worker else None
    return make_tts_engine(settings, client), make_stt_engine(settings, client)
