"""decode_audio: every accepted format, sniffing, AMR-NB made with sox (or PyAV), and clear refusals."""

from __future__ import annotations

import io
import shutil
import struct
import subprocess
import tracemalloc
import wave
from pathlib import Path

import numpy as np
import pytest

from tests.audio_fixtures import long_amr
from voice import audio as audio_module
from voice import g711
from voice.audio import Audio, AudioTooLong, InvalidAudio, decode_audio, sniff_format


def tone(seconds: float = 1.0, rate: int = 8000) -> Audio:
    t = np.arange(int(seconds * rate)) / rate
    return Audio((np.sin(2 * np.pi * 440 * t) * 8000).astype("<i2").tobytes(), rate)


def amr_fixture(tmp_path: Path, audio: Audio) -> bytes:
    """AMR-NB encoded at test time: sox when it has AMR support, else PyAV's libopencore_amrnb encoder."""
    wav = tmp_path / "in.wav"
    wav.write_bytes(audio.to_wav())
    sox = shutil.which("sox")
    if sox and "amr-nb" in subprocess.run([sox, "-h"], capture_output=True, text=True).stdout:
        out = tmp_path / "out.amr"
        subprocess.run([sox, str(wav), "-r", "8000", "-c", "1", "-t", "amr-nb", str(out)], check=True)
        return out.read_bytes()
    av = pytest.importorskip("av")
    if "libopencore_amrnb" not in av.codecs_available:
        pytest.skip("neither sox nor PyAV can encode AMR-NB here")
    out = tmp_path / "out.amr"
    with av.open(str(out), "w", format="amr") as container:
        stream = container.add_stream("libopencore_amrnb", rate=8000)
        samples = np.frombuffer(audio.pcm, dtype="<i2").reshape(1, -1)
        frame = av.AudioFrame.from_ndarray(samples, format="s16", layout="mono")
        frame.sample_rate = 8000
        for packet in stream.encode(frame):
            container.mux(packet)
        for packet in stream.encode(None):
            container.mux(packet)
    return out.read_bytes()


def test_wav_is_sniffed_and_decoded() -> None:
    audio = tone(0.5, 16000)
    decoded = decode_audio(audio.to_wav())
    assert sniff_format(audio.to_wav()) == "wav"
    assert decoded.sample_rate == 16000 and decoded.pcm == audio.pcm


@pytest.mark.parametrize(("fmt", "rate"), [("pcm16k", 16000), ("pcm8k", 8000)])
def test_headerless_pcm(fmt: str, rate: int) -> None:
    audio = tone(0.25, rate)
    decoded = decode_audio(audio.pcm, fmt)
    assert decoded.sample_rate == rate and decoded.pcm == audio.pcm


@pytest.mark.parametrize(
    ("fmt", "encode", "decode"),
    [("ulaw8k", g711.pcm16_to_ulaw, g711.ulaw_to_pcm16), ("alaw8k", g711.pcm16_to_alaw, g711.alaw_to_pcm16)],
)
def test_g711(fmt, encode, decode) -> None:
    audio = tone(0.5)
    coded = encode(audio.pcm)
    decoded = decode_audio(coded, fmt)
    assert decoded.sample_rate == 8000 and decoded.pcm == decode(coded)
    assert decoded.seconds == pytest.approx(0.5)


def test_amr_nb_decodes_with_the_right_length_and_signal(tmp_path) -> None:
    audio = tone(1.0)
    data = amr_fixture(tmp_path, audio)
    assert sniff_format(data) == "amr"
    decoded = decode_audio(data)
    assert decoded.sample_rate == 8000
    assert abs(decoded.seconds - 1.0) <= 0.04  # whole 20 ms frames
    samples = np.frombuffer(decoded.pcm, dtype="<i2").astype(float)
    assert np.sqrt(np.mean(samples**2)) > 1000  # the tone survived, not silence


def test_resampled_amr_reaches_16k(tmp_path) -> None:
    decoded = decode_audio(amr_fixture(tmp_path, tone(0.5))).resampled(16000)
    assert decoded.sample_rate == 16000 and abs(len(decoded.pcm) // 2 - 8000) <= 16000 * 0.04


@pytest.mark.parametrize(
    ("data", "fmt", "reason"),
    [
        (b"", None, "no audio"),
        (b"hello there", None, "unknown audio format"),
        (b"RIFF\x00\x00\x00\x00WAVEjunk", None, "not a readable WAV"),
        (b"\x00" * 3, "pcm16k", "even number"),
        (b"\x00" * 100, "mp3", "unsupported audio format"),
        (b"#!AMR\n" + np.random.default_rng(0).bytes(2000), "amr", "AMR data could not be decoded"),
        (b"#!AMR\n", None, "no audio frames"),
        (b"\x00" * 100, "amr", "missing #!AMR header"),
    ],
)
def test_bad_audio_is_refused_with_a_reason(data, fmt, reason) -> None:
    with pytest.raises(InvalidAudio, match=reason):
        decode_audio(data, fmt)


def test_more_than_sixty_seconds_is_refused() -> None:
    with pytest.raises(AudioTooLong, match="at most 60 s"):
        decode_audio(b"\x00\x00" * 8000 * 61, "pcm8k")
    assert decode_audio(b"\x00\x00" * 8000 * 60, "pcm8k").seconds == 60


def test_amr_bomb_is_refused_within_a_bounded_memory(tmp_path) -> None:
    """Issue 11 item 2: 20 minutes of AMR (under 1 MB) used to be decoded whole (19 MB of samples, several copies)
    before the 60 s check. Now decoding stops at the limit, so the peak stays near 60 s of samples."""
    data = long_amr(tmp_path, 1200)
    assert len(data) < 1_000_000
    tracemalloc.start()
    try:
        with pytest.raises(AudioTooLong):
            decode_audio(data, max_seconds=60)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    full_decode = 1200 * 8000 * 2
    assert peak < full_decode / 4, f"peak {peak} bytes"


def test_amr_decoding_stops_at_the_limit(tmp_path, monkeypatch) -> None:
    """Count the frames the decoder produced: the limit and one frame, never the whole file."""
    data = long_amr(tmp_path, 1200)
    produced: list[int] = []
    original = audio_module.amr_frames

    def counting(raw: bytes):
        for frame in original(raw):
            produced.append(len(frame))
            yield frame

    monkeypatch.setattr(audio_module, "amr_frames", counting)
    with pytest.raises(AudioTooLong):
        decode_audio(data, max_seconds=60)
    assert 60 * 8000 < sum(produced) <= 60 * 8000 + 160
    assert len(decode_audio(long_amr(tmp_path, 40), max_seconds=60).pcm) == 40 * 8000 * 2


@pytest.mark.parametrize("fmt", ["ulaw8k", "alaw8k", "pcm8k", "pcm16k"])
def test_headerless_audio_over_the_limit_is_refused_before_conversion(fmt, monkeypatch) -> None:
    def never(_data: bytes) -> bytes:
        raise AssertionError("converted audio that was already known to be too long")

    monkeypatch.setattr(g711, "ulaw_to_pcm16", never)
    monkeypatch.setattr(g711, "alaw_to_pcm16", never)
    with pytest.raises(AudioTooLong):
        decode_audio(b"\x00" * 32000 * 61, fmt, max_seconds=60)


def test_long_wav_is_refused_without_reading_it_all() -> None:
    wav = tone(61, 8000).to_wav()
    with pytest.raises(AudioTooLong):
        decode_audio(wav, max_seconds=60)
    assert decode_audio(tone(2, 8000).to_wav(), max_seconds=60).seconds == 2


@pytest.mark.parametrize("rate", [0, 1, 10_000_000])
def test_wav_with_an_absurd_sample_rate_is_invalid(rate) -> None:
    """Issue 11 (low): a WAV declaring 0 Hz crashed with ZeroDivisionError (a 500)."""
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(8000)
        out.writeframes(b"\x01\x00" * 800)
    data = bytearray(buffer.getvalue())
    data[24:28] = struct.pack("<I", rate)  # the fmt chunk's sample rate
    with pytest.raises(InvalidAudio) as error:
        decode_audio(bytes(data))
    assert not isinstance(error.value, AudioTooLong) or rate == 1


def test_wav_cut_inside_a_stereo_frame_is_decoded_not_crashed() -> None:
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(2)
        out.setsampwidth(2)
        out.setframerate(8000)
        out.writeframes(b"\x01\x00\x02\x00" * 800)
    data = buffer.getvalue()[:-3]
    assert decode_audio(data).sample_rate == 8000
