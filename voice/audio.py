"""Audio containers and conversions: WAV in and out, resampling (soxr), and telephone µ-law at 8 kHz."""

from __future__ import annotations

import io
import struct
import wave
from collections.abc import Iterator
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


class AudioTooLong(InvalidAudio):
    """The audio is longer than the per-request limit."""


WAV_RATES = (4000, 192000)  # sample rates a WAV may declare; anything else is refused, never divided by
MAX_CHANNELS = 8


def read_wav(data: bytes, max_seconds: float | None = None) -> Audio:
    """Mono or stereo 16-bit WAV → mono Audio; anything else is refused with a clear reason.

    With `max_seconds`, at most that much audio is read: longer files raise AudioTooLong before decoding further."""
    try:
        with wave.open(io.BytesIO(data), "rb") as source:
            if source.getsampwidth() != 2:
                raise InvalidAudio("only 16-bit PCM WAV is supported")
            channels, rate = source.getnchannels(), source.getframerate()
            if not WAV_RATES[0] <= rate <= WAV_RATES[1]:
                raise InvalidAudio(f"WAV sample rate {rate} Hz is outside {WAV_RATES[0]}–{WAV_RATES[1]} Hz")
            if not 1 <= channels <= MAX_CHANNELS:
                raise InvalidAudio(f"WAV with {channels} channels is not supported")
            wanted = source.getnframes()
            limit = wanted if max_seconds is None else int(max_seconds * rate)
            frames = source.readframes(min(wanted, limit + 1))  # never more than the limit and one frame
            if len(frames) // (2 * channels) > limit:
                raise AudioTooLong(f"audio is {wanted / rate:.0f} s long; at most {max_seconds:.0f} s per request")
    except (wave.Error, EOFError, struct.error, ValueError, OverflowError) as exc:
        if isinstance(exc, InvalidAudio):
            raise
        raise InvalidAudio(f"not a readable WAV file: {exc}") from exc
    usable = len(frames) - len(frames) % (2 * channels)  # a file cut inside a frame keeps its whole frames
    samples = np.frombuffer(frames[:usable], dtype="<i2")
    if channels > 1:
        samples = samples.reshape(-1, channels).mean(axis=1).astype("<i2")
    return Audio(samples.tobytes(), rate)


MAX_SECONDS = 60.0
FORMATS = ("wav", "pcm16k", "pcm8k", "ulaw8k", "alaw8k", "amr")
_AMR_MAGIC = b"#!AMR\n"


def sniff_format(data: bytes) -> str | None:
    """Recognise self-describing containers (WAV, AMR-NB); headerless formats cannot be sniffed."""
    if data[:4] == b"RIFF" and data[8:12] == b"WAVE":
        return "wav"
    if data.startswith(_AMR_MAGIC):
        return "amr"
    return None


def amr_frames(data: bytes) -> Iterator[np.ndarray]:
    """Decoded AMR-NB frames (8 kHz mono int16), one at a time, with the bundled libopencore_amrnb decoder
    (ffmpeg's own drops frames). A generator: the caller stops decoding whenever it has enough."""
    import av  # imported lazily: PyAV is only needed for AMR

    if not data.startswith(_AMR_MAGIC):
        raise InvalidAudio("not an AMR-NB file (missing #!AMR header)")
    try:
        with av.open(io.BytesIO(data), format="amr") as container:
            decoder = av.CodecContext.create("libopencore_amrnb", "r")
            for packet in container.demux(container.streams.audio[0]):
                for frame in decoder.decode(packet):
                    yield frame.to_ndarray().reshape(-1)
    except (av.error.FFmpegError, IndexError, ValueError) as exc:
        raise InvalidAudio(f"AMR data could not be decoded: {exc}") from exc


def _read_amr(data: bytes, max_seconds: float) -> Audio:
    """AMR-NB (WeChat voice messages), decoded frame by frame and stopped as soon as it passes `max_seconds`:
    a small file of silent frames can stand for hours of audio (a decompression bomb)."""
    limit, total, chunks = int(max_seconds * 8000), 0, []
    frames = amr_frames(data)
    try:
        for chunk in frames:
            total += len(chunk)
            if total > limit:
                raise AudioTooLong(f"audio is longer than {max_seconds:.0f} s; at most {max_seconds:.0f} s per request")
            chunks.append(chunk)
    finally:
        frames.close()  # closes the container and the decoder at once
    if not chunks:
        raise InvalidAudio("AMR file holds no audio frames")
    return Audio(np.concatenate(chunks).astype("<i2").tobytes(), 8000)


_BYTES_PER_SECOND = {"pcm16k": 32000, "pcm8k": 16000, "ulaw8k": 8000, "alaw8k": 8000}


def _headerless(data: bytes, fmt: str, max_seconds: float) -> Audio:
    seconds = len(data) / _BYTES_PER_SECOND[fmt]
    if seconds > max_seconds:  # known from the size alone: refused before any conversion
        raise AudioTooLong(f"audio is {seconds:.0f} s long; at most {max_seconds:.0f} s per request")
    if fmt in ("pcm16k", "pcm8k"):
        if len(data) % 2:
            raise InvalidAudio("16-bit PCM needs an even number of bytes")
        return Audio(data, 16000 if fmt == "pcm16k" else 8000)
    if fmt == "ulaw8k":
        return Audio(g711.ulaw_to_pcm16(data), 8000)
    return Audio(g711.alaw_to_pcm16(data), 8000)


def decode_audio(data: bytes, fmt: str | None = None, max_seconds: float = MAX_SECONDS) -> Audio:
    """Bytes in one of FORMATS (sniffed when `fmt` is None) → mono 16-bit Audio.

    Raises InvalidAudio (unknown format, corrupt or empty data) or AudioTooLong (over `max_seconds`). No format is
    decoded past `max_seconds`, so memory stays bounded by the limit, not by what the data claims."""
    if not data:
        raise InvalidAudio("no audio data")
    fmt = fmt or sniff_format(data)
    if fmt is None:
        raise InvalidAudio("unknown audio format: send WAV or AMR, or name the format (" + ", ".join(FORMATS) + ")")
    if fmt not in FORMATS:
        raise InvalidAudio(f"unsupported audio format {fmt!r}; supported: {', '.join(FORMATS)}")
    if fmt == "wav":
        audio = read_wav(data, max_seconds)
    elif fmt == "amr":
        audio = _read_amr(data, max_seconds)
    else:
        audio = _headerless(data, fmt, max_seconds)
    if not audio.pcm:
        raise InvalidAudio("the audio holds no samples")
    if audio.seconds > max_seconds:
        raise AudioTooLong(f"audio is {audio.seconds:.0f} s long; at most {max_seconds:.0f} s per request")
    return audio
