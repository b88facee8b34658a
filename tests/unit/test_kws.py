"""Keyword spotting with the shared sherpa-onnx model: the vocabulary, the engine on the model's own recordings,
and — as a measurement, not an accuracy claim — recall on espeak-ng speech, with no false alarm."""

from __future__ import annotations

import shutil

import pytest

from voice.audio import read_wav
from voice.models import KWS_MODEL_NAME, PROJECT_ROOT, SHARED_MODELS
from voice.normalize import normalize_for_speech
from voice.stt.keywords import CONTROL_WORDS, build_keywords, read_userdict, to_tokens, utterance
from voice.stt.kws import KeywordSpotterEngine

MODEL = SHARED_MODELS / KWS_MODEL_NAME
USERDICT = PROJECT_ROOT / "nlu_data" / "dict" / "userdict.txt"
needs_model = pytest.mark.skipif(not MODEL.is_dir(), reason=f"shared KWS model not found at {MODEL}")
needs_espeak = pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="Debian package espeak-ng not installed")

# Topic phrases and the keyword each should produce; and sentences without any keyword.
TOPIC_PHRASES = {
    "护理补贴": "护理补贴",
    "生活补贴怎么申请": "生活补贴",
    "无障碍改造": "无障碍改造",
    "残疾人证怎么办": "残疾人证",
    "辅助器具": "辅助器具",
    "康复救助": "康复救助",
    "低保": "低保",
    "法律援助": "法律援助",
    "盲人按摩": "盲人按摩",
    "我要转人工": "转人工",
}
NO_KEYWORD = ["今天天气很好我们去公园散步", "谢谢你再见", "我想吃面条", "明天下午三点开会"]
# Measured here with the defaults (threshold 0.1, score 2.0) on espeak-ng at 175 wpm: 2 of 10 (法律援助, 转人工).
MIN_RECALL = 2


def model_tokens() -> set[str]:
    return {line.split()[0] for line in (MODEL / "tokens.txt").read_text(encoding="utf-8").splitlines() if line}


def test_tokens_are_pinyin_initials_and_toned_finals() -> None:
    assert to_tokens("护理补贴") == ["h", "ù", "l", "ǐ", "b", "ǔ", "t", "iē"]
    assert to_tokens("12385") == ["y", "āo", "èr", "s", "ān", "b", "ā", "w", "ǔ"]  # said as 幺二三八五


@needs_model
def test_keywords_come_from_the_bots_vocabulary() -> None:
    words = read_userdict(USERDICT)
    keywords = build_keywords(words, model_tokens())
    for word in ("护理补贴", "生活补贴", "无障碍改造", "残疾人证", "辅助器具", "低保", "法律援助", *CONTROL_WORDS):
        assert word in keywords.words
    assert keywords.skipped["户理补贴"] == "sounds like an earlier word"  # a misspelling in the dictionary
    assert all(t in model_tokens() for line in keywords.lines for t in line.split("@")[0].split() if t[0] != "#")
    assert len(keywords.lines) >= 100


def test_utterance_from_spotted_keywords() -> None:
    assert utterance([]) == ""
    assert utterance(["人工"]) == "转人工"
    assert utterance(["是", "护理补贴"]) == "护理补贴"
    assert utterance(["潞城", "护理补贴", "低保"]) == "潞城护理补贴"
    assert utterance(["取消", "是"]) == "取消"
    assert utterance(["不是", "是"]) == "不是"


@needs_model
def test_engine_finds_the_upstream_keywords_in_real_recordings() -> None:
    """The model's own Mandarin recordings with its own keyword list: checks our integration end to end."""
    lines = (MODEL / "test_wavs" / "test_keywords.txt").read_text(encoding="utf-8").splitlines()
    words = [line.rsplit("@", 1)[1].strip() for line in lines if "@" in line]
    engine = KeywordSpotterEngine(MODEL, words, threshold=0.25, score=1.0)
    heard = engine.spot(read_wav((MODEL / "test_wavs" / "3.wav").read_bytes()))
    assert {"文森特卡索", "法国"} <= set(heard)


@pytest.fixture(scope="module")
def engine() -> KeywordSpotterEngine:
    return KeywordSpotterEngine(MODEL, USERDICT)  # the configured defaults


@needs_model
@needs_espeak
def test_recall_on_synthetic_speech_and_no_false_alarm(engine) -> None:
    from voice.tts.espeak import EspeakEngine

    tts = EspeakEngine()
    hits = [p for p, k in TOPIC_PHRASES.items() if utterance(engine.spot(tts.synthesize(normalize_for_speech(p)))) == k]
    print(f"KWS recall on espeak-ng speech: {len(hits)}/{len(TOPIC_PHRASES)} {hits}")
    assert len(hits) >= MIN_RECALL
    for sentence in NO_KEYWORD:
        assert engine.spot(tts.synthesize(sentence)) == [], sentence


@needs_model
def test_no_topic_false_alarm_on_real_speech_without_our_keywords(engine) -> None:
    """The upstream recordings are ordinary Mandarin sentences: only 是 (a real, common word) may be heard."""
    for wav in sorted((MODEL / "test_wavs").glob("*.wav")):
        heard = set(engine.spot(read_wav(wav.read_bytes())))
        assert heard <= {"是", "不是"}, (wav.name, heard)
