"""What the caller should hear, synthesised here the way the call core does it (sentence by sentence, espeak-ng at
the call's rate, 8 kHz, each piece padded to whole 20 ms frames), and its comparison with a captured stream."""

from __future__ import annotations

import numpy as np

from bot.channels.voice_call import texts
from voice.normalize import normalize_for_speech
from voice.speech import sentences, spoken_reply
from voice.tts.espeak import EspeakEngine

FRAME = 160


def _padded(pcm: bytes) -> np.ndarray:
    samples = np.frombuffer(pcm, dtype="<i2").astype(np.float64)
    return np.pad(samples, (0, (-len(samples)) % FRAME))


def speech_pieces(spoken: str, rate: int = 175) -> list[np.ndarray]:
    """One array per sentence, as the core queues them."""
    engine = EspeakEngine()
    return [_padded(engine.synthesize(s, rate).resampled(8000).pcm) for s in sentences(spoken)]


def welcome_piece(rate: int = 175) -> np.ndarray:
    return _padded(EspeakEngine().synthesize(normalize_for_speech(texts.WELCOME), rate).resampled(8000).pcm)


def greeting_spoken(messages: list[dict]) -> str:
    """The greeting turn's spoken text plus the phone tips (bot/channels/voice_call/core.py `run`)."""
    titles = [b["title"] for m in messages for b in (m.get("buttons") or [])]
    return spoken_reply([m["text"] for m in messages], titles) + spoken_reply([texts.TIPS])


def aligned_snr(received: np.ndarray, pieces: list[np.ndarray], start: int = 0) -> tuple[float, list[int]]:
    """Find each piece in order in `received` (after the previous one; silence may separate them when synthesis
    fell behind) and return the SNR over all pieces together (dB) and where each was found."""
    signal_energy = noise_energy = 0.0
    offsets: list[int] = []
    position = start
    for piece in pieces:
        window = received[position:]
        if len(window) < len(piece):
            raise AssertionError(f"stream ended before piece {len(offsets) + 1} of {len(pieces)}")
        size = 1 << (len(window) + len(piece) - 1).bit_length()
        correlation = np.fft.irfft(np.fft.rfft(window, size) * np.conj(np.fft.rfft(piece, size)), size)
        offset = int(np.argmax(correlation[: len(window) - len(piece) + 1]))
        segment = window[offset : offset + len(piece)]
        signal_energy += float(np.sum(piece**2))
        noise_energy += float(np.sum((segment - piece) ** 2))
        offsets.append(position + offset)
        position += offset + len(piece)
    return (10 * np.log10(signal_energy / noise_energy) if noise_energy else float("inf")), offsets
