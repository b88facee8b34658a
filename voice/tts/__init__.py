"""Text-to-speech engines behind one small interface, chosen by configuration."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from voice.audio import Audio


@dataclass(frozen=True)
class Availability:
    ok: bool
    reason: str


class TtsEngine(Protocol):
    name: str

    def availability(self) -> Availability:
        """Whether the engine can speak here, and why not."""

    def synthesize(self, text: str, rate_wpm: int = 175) -> Audio:
        """Speak already-normalised Chinese text."""
