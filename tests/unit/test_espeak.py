"""The espeak-ng path speaks Mandarin (pinyin phonemes, never an English switch)."""

import shutil

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
