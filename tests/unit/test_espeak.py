"""The espeak-ng path speaks Mandarin (pinyin phonemes, never an English switch)."""

import random
import shutil
import string
import tempfile
from pathlib import Path

import pytest

from voice.normalize import normalize_for_speech
from voice.tts.espeak import EspeakEngine, to_numbered_pinyin

pytestmark = pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="Debian package espeak-ng not installed")


def test_pinyin_with_tone_numbers() -> None:
    assert to_numbered_pinyin("护理补贴，请拨打") == "hu4 li3 bu3 tie1 , qing3 bo1 da3"


@pytest.mark.parametrize(
    "text", ["请拨打12385残疾人服务热线。", "重度残疾人护理补贴，请问区残联。", "2025年，适配率85%"]
)
def test_phonemes_are_mandarin_without_english_switch(text) -> None:
    phonemes = EspeakEngine().phonemes(normalize_for_speech(text))
    assert phonemes.strip() and "(en)" not in phonemes


def test_synthesis_gives_audio_and_rate_changes_duration() -> None:
    engine = EspeakEngine()
    assert engine.availability().ok
    text = normalize_for_speech("您好，请拨打12385残疾人服务热线。")
    slow, fast = engine.synthesize(text, 120), engine.synthesize(text, 300)
    assert slow.sample_rate == 22050 and slow.seconds > 1.0
    assert fast.seconds < slow.seconds * 0.7


@pytest.fixture()
def letters_dir():
    """A fresh directory under the temp dir whose path has letters only (speech normalisation keeps it intact)."""
    name = "espeak_" + "".join(random.choices(string.ascii_lowercase, k=12))
    path = Path(tempfile.gettempdir()) / name
    path.mkdir()
    yield path
    shutil.rmtree(path, ignore_errors=True)


def test_option_like_text_is_spoken_and_never_reads_a_file(letters_dir) -> None:
    """`-f<path>` used to make espeak-ng speak the file (the gateway's secrets were in reach)."""
    secret = letters_dir / "secret.txt"
    secret.write_text("zebra quartz jukebox wizard")
    engine = EspeakEngine()
    attack = f"-f{secret}"
    spoken = engine.synthesize(attack)
    file_speech = engine.synthesize(secret.read_text())
    assert spoken.seconds > 0.5 and spoken.pcm != file_speech.pcm
    phonemes = engine.phonemes(attack)
    assert phonemes.strip() and phonemes != engine.phonemes(secret.read_text())


@pytest.mark.parametrize("template", ["--phonout={path}", "-w{path}", "-w {path}", "--phonout {path}"])
def test_option_like_text_never_writes_a_file(letters_dir, template) -> None:
    target = letters_dir / "written.out"
    engine = EspeakEngine()
    text = template.format(path=target)
    assert engine.synthesize(text).seconds > 0.3
    assert engine.phonemes(text).strip()
    assert not target.exists()


def test_text_with_double_dash_and_newlines_is_all_spoken() -> None:
    engine = EspeakEngine()
    one = engine.synthesize("ni3 hao3")
    more = engine.synthesize("-- ni3 hao3\n--stdin ni3 hao3\n-x")
    assert more.seconds > one.seconds * 1.5
