"""decode_audio: every accepted format, sniffing, AMR-NB made with sox (or PyAV), and clear refusals."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest

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
