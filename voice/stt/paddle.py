"""PaddleSpeech ASR (conformer_wenetspeech, 16 kHz) through the worker process: a full transcriber."""

from __future__ import annotations

from voice.audio import Audio
from voice.paddle_client import PaddleWorkerClient
from voice.stt import Availability, Recognition


class PaddleSttEngine:
    name = "paddlespeech-asr"

    def __init__(self, client: PaddleWorkerClient) -> None:
        self._client = client

    def availability(self) -> Availability:
        return self._client.availability("asr")

    def transcribe(self, audio: Audio) -> Recognition:
        return Recognition(self._client.asr(audio), [], self.name, full_transcript=True)
