"""Speech-input engines behind one small interface, chosen by configuration.

An engine either transcribes everything that was said (`full_transcript=True`) or, like the offline default
keyword spotter, only reports which of the bot's own keywords it heard (`full_transcript=False`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

from voice.audio import Audio
from voice.tts import Availability

__all__ = ["Availability", "EngineUnavailable", "Recognition", "SttEngine"]


@dataclass
class Recognition:
    """What an engine understood: `text` is what the bot is given (empty when nothing was understood)."""

    text: str
    keywords: list[str] = field(default_factory=list)
    engine: str = ""
    full_transcript: bool = False


class EngineUnavailable(RuntimeError):
    """The engine cannot run here (missing model files, worker down); the message says what is missing."""


class SttEngine(Protocol):
    name: str

    def availability(self) -> Availability:
        """Whether the engine can listen here, and why not."""

    def transcribe(self, audio: Audio) -> Recognition:
        """Recognise one utterance. Raises EngineUnavailable when the engine cannot run."""
