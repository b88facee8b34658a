"""The keyword spotter's vocabulary, made from the bot's own words, and the way back from spotted keywords to a
text the bot understands.

Words come from the jieba user dictionary of the training data (`nlu_data/dict/userdict.txt`: topic names such as
护理补贴, 无障碍改造, 残疾人证, region names, hotline numbers) plus the control words of the dialogue. They are turned
into the model's tokens (pinyin initials and toned finals, e.g. 护理补贴 → h ù l ǐ b ǔ t iē) with pypinyin."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pypinyin import pinyin
from pypinyin.contrib.tone_convert import to_finals_tone, to_initials

from voice.normalize import normalize_for_speech

HANDOFF_WORDS = ("转人工", "人工客服", "人工")
CONTROL_WORDS = (*HANDOFF_WORDS, "取消", "确认", "不是", "是")
# Single short answers are easy to hear inside ordinary speech, so they need more confidence.
SHORT_ANSWERS = {"是": 0.5, "不是": 0.5}
REGIONS = ("绥芬河市", "绥芬河", "潞城区", "潞城", "长治")


def read_userdict(path: Path) -> list[str]:
    """Words of a jieba user dictionary (`word [freq] [tag]` per line), in file order."""
    words = []
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split()
        if parts and not parts[0].startswith("#"):
            words.append(parts[0])
    return words


def to_tokens(word: str) -> list[str]:
    """护理补贴 → ['h', 'ù', 'l', 'ǐ', 'b', 'ǔ', 't', 'iē']; digits are read as a hotline operator says them."""
    tokens: list[str] = []
    for (syllable,) in pinyin(normalize_for_speech(word)):
        parts = [p for p in (to_initials(syllable, strict=False), to_finals_tone(syllable, strict=False)) if p]
        tokens.extend(parts or [syllable])
    return tokens


@dataclass(frozen=True)
class KeywordList:
    """Keyword lines in sherpa-onnx format (`tokens [#threshold] @word`) and the words left out, with why."""

    lines: list[str]
    skipped: dict[str, str]

    @property
    def words(self) -> list[str]:
        return [line.rsplit("@", 1)[1] for line in self.lines]


def build_keywords(words: list[str], model_tokens: set[str]) -> KeywordList:
    """One line per distinct pronunciation: a misspelling in the dictionary (户理补贴) sounds like the word it
    stands for (护理补贴), so the first word — the correct one, listed first — keeps the line."""
    lines, skipped, seen = [], {}, set()
    for word in dict.fromkeys([*words, *CONTROL_WORDS]):
        tokens = to_tokens(word)
        unknown = [t for t in tokens if t not in model_tokens]
        if not tokens or unknown:
            skipped[word] = f"not in the model's tokens: {' '.join(unknown) or '(empty)'}"
            continue
        key = " ".join(tokens)
        if key in seen:
            skipped[word] = "sounds like an earlier word"
            continue
        seen.add(key)
        threshold = f" #{SHORT_ANSWERS[word]}" if word in SHORT_ANSWERS else ""
        lines.append(f"{key}{threshold} @{word}")
    return KeywordList(lines, skipped)


def utterance(keywords: list[str]) -> str:
    """What the bot is told when these keywords were heard (in order): a hand-over request wins, then 取消/确认,
    then a region and the first topic word (潞城 + 护理补贴 → 潞城护理补贴), and 是/不是 only when nothing else was
    heard (they are common inside ordinary sentences)."""
    if not keywords:
        return ""
    if any(k in HANDOFF_WORDS for k in keywords):
        return "转人工"
    for word in ("取消", "确认"):
        if word in keywords:
            return word
    topics = [k for k in keywords if k not in CONTROL_WORDS and k not in REGIONS]
    regions = [k for k in keywords if k in REGIONS]
    if topics or regions:
        return (regions[0] if regions else "") + (topics[0] if topics else "")
    return "不是" if "不是" in keywords else "是"
