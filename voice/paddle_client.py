"""The gateway's side of the PaddleSpeech worker (voice/paddle_worker): a small HTTP client.

The worker is available for a task when it answers /health and reports that task's models loaded; the answer is
cached for a few seconds so that every request does not pay a health round trip."""

from __future__ import annotations

import time

import httpx

from voice.audio import Audio, InvalidAudio, read_wav
from voice.stt import Availability, EngineUnavailable


class PaddleWorkerClient:
    def __init__(self, url: str, timeout: float = 30.0, health_ttl: float = 5.0) -> None:
        self.url = url.rstrip("/")
        self._client = httpx.Client(base_url=self.url, timeout=timeout, trust_env=False)
        self._health_ttl = health_ttl
        self._health: tuple[float, dict | None, str] = (0.0, None, "")

    def health(self) -> tuple[dict | None, str]:
        """The worker's /health answer (or None) and, when None, why."""
        checked_at, answer, error = self._health
        if time.monotonic() - checked_at < self._health_ttl:
            return answer, error
        try:
            response = self._client.get("/health", timeout=3.0)
            response.raise_for_status()
            answer, error = response.json(), ""
        except (httpx.HTTPError, ValueError) as exc:
            answer, error = None, f"PaddleSpeech worker not reachable at {self.url}: {type(exc).__name__}"
        self._health = (time.monotonic(), answer, error)
        return answer, error

    def availability(self, task: str) -> Availability:
        answer, error = self.health()
        if answer is None:
            return Availability(False, error)
        state = answer.get(task) or {}
        return Availability(bool(state.get("loaded")), str(state.get("reason") or f"worker reports no {task}"))

    def _post(self, path: str, **kwargs) -> httpx.Response:
        try:
            response = self._client.post(path, **kwargs)
        except httpx.HTTPError as exc:
            raise EngineUnavailable(f"PaddleSpeech worker not reachable at {self.url}: {type(exc).__name__}") from exc
        if response.status_code == 503:
            raise EngineUnavailable(response.json().get("detail", "PaddleSpeech worker: models not loaded"))
        if response.status_code == 400:
            raise InvalidAudio(response.json().get("detail", "PaddleSpeech worker refused the input"))
        response.raise_for_status()
        return response

    def tts(self, text: str, speed: float = 1.0) -> Audio:
        response = self._post("/tts", json={"text": text, "speed": speed})
        return read_wav(response.content)

    def asr(self, audio: Audio) -> str:
        wav = audio.resampled(16000).to_wav()
        response = self._post("/asr", content=wav, headers={"Content-Type": "audio/wav"})
        return str(response.json().get("text", "")).strip()

    def close(self) -> None:
        self._client.close()
