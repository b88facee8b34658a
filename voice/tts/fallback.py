"""Prefer one TTS engine (PaddleSpeech) and fall back to another (espeak-ng) while the first is unavailable."""

from __future__ import annotations

from voice.audio import Audio
from voice.tts import Availability, TtsEngine


class FallbackTtsEngine:
    def __init__(self, preferred: TtsEngine, fallback: TtsEngine) -> None:
        self.preferred, self.fallback = preferred, fallback

    def current(self) -> TtsEngine:
        """The engine that would speak now."""
        return self.preferred if self.preferred.availability().ok else self.fallback

    @property
    def name(self) -> str:
        return self.current().name

    def availability(self) -> Availability:
        first = self.preferred.availability()
        if first.ok:
            return first
        second = self.fallback.availability()
        return Availability(second.ok, f"{self.fallback.name} ({second.reason}); {self.preferred.name}: {first.reason}")

    def synthesize(self, text: str, rate_wpm: int = 175) -> Audio:
        return self.current().synthesize(text, rate_wpm)
