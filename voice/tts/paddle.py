"""PaddleSpeech TTS (FastSpeech2 + HiFiGAN on CSMSC) through the worker process."""

from __future__ import annotations

from voice.audio import Audio
from voice.paddle_client import PaddleWorkerClient
from voice.tts import Availability

NORMAL_WPM = 175  # espeak-ng's default rate, taken as PaddleSpeech's speed 1.0


class PaddleTtsEngine:
    name = "paddlespeech"

    def __init__(self, client: PaddleWorkerClient) -> None:
        self._client = client

    def availability(self) -> Availability:
        return self._client.availability("tts")

    def synthesize(self, text: str, rate_wpm: int = NORMAL_WPM) -> Audio:
        speed = min(3.0, max(0.5, rate_wpm / NORMAL_WPM))
        return self._client.tts(text, speed)
