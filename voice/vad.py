"""End of utterance on a telephone line by loudness: after some speech, a stretch of quiet ends the utterance.

Deliberately simple (frame RMS against a threshold) — telephone gateways usually send clean 8 kHz audio, and an
explicit {"event": "end"} from the gateway always works as well."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass
class EndpointDetector:
    rate: int = 8000
    threshold_rms: float = 400.0  # about -38 dBFS
    min_speech_seconds: float = 0.25
    trailing_silence_seconds: float = 0.8
    speech: float = 0.0
    quiet: float = 0.0

    def feed(self, pcm: bytes) -> bool:
        """Add 16-bit PCM; True once the utterance has ended (speech, then enough silence)."""
        samples = np.frombuffer(pcm, dtype="<i2").astype(np.float32)
        if not samples.size:
            return False
        seconds = samples.size / self.rate
        loud = float(np.sqrt(np.mean(samples * samples))) >= self.threshold_rms
        if loud:
            self.speech += seconds
            self.quiet = 0.0
        elif self.speech >= self.min_speech_seconds:
            self.quiet += seconds
        return self.speech >= self.min_speech_seconds and self.quiet >= self.trailing_silence_seconds

    def reset(self) -> None:
        self.speech = self.quiet = 0.0
