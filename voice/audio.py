"""Audio containers and conversions: WAV in and out, resampling (soxr), and telephone µ-law at 8 kHz."""

from __future__ import annotations

import io
import wave
from dataclasses import dataclass

import numpy as np
import soxr

from voice import g711


@dataclass(frozen=True)
class Audio:
    """Mono 16-bit PCM."""

    pcm: bytes
    sample_rate: int

    @property
    def seconds(self) -> float:
        return len(self.pcm) / 2 / self.sample_rate

    def resampled(self, rate: int) -> Audio:
        if rate == self.sample_rate:
            return self
        samples = np.frombuffer(self.pcm, dtype="<i2")
        out = soxr.resample(samples, self.sample_rate, rate)
        return Audio(np.asarray(out, dtype="<i2").tobytes(), rate)

    def to_wav(self) -> bytes:
        buffer = io.BytesIO()
        with wave.open(buffer, "wb") as out:
            out.setnchannels(1)
            out.setsampwidth(2)
            out.setframerate(self.sample_rate)
            out.writeframes(self.pcm)
        return buffer.getvalue()

    def to_ulaw_8k(self) -> bytes:
        """Headerless G.711 µ-law at 8 kHz, as a telephone line carries it."""
        return g711.pcm16_to_ulaw(self.resampled(8000).pcm)


class InvalidAudio(ValueError):
    """The bytes are not audio this service understands; the message says why."""


def read_wav(data: bytes) -> Audio:
    """Mono or stereo 16-bit WAV → mono Audio; anything else is refused with a clear reason."""
    try:
        with wave.open(io.BytesIO(data), "rb") as source:
            if source.getsampwidth() != 2:
                raise InvalidAudio("only 16-bit PCM WAV is supported")
            frames = source.readframes(source.getnframes())
            channels, rate = source.getnchannels(), source.getframerate()
    except (wave.Error, EOFError) as exc:
        raise InvalidAudio(f"not a readable WAV file: {exc}") from exc
    samples = np.frombuffer(frames, dtype="<i2")
    if channels > 1:
        samples = samples.reshape(-1, channels).mean(axis=1).astype("<i2")
    return Audio(samples.tobytes(), rate)
