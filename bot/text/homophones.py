"""Homophone repair for understanding: a run of characters that sounds exactly like a domain word (same toneless
pinyin) but is not a common word itself is read as that word — speech-recognition output and wrong picks from a
pinyin input method (户理 → 护理, 燃游 → 燃油, 按魔 → 按摩, 保线 → 保险, 残急 → 残疾).

Used only to compute features (the e5 embedding), never to change what is stored or shown: a name that happens to
sound like a domain word (胡丽 / 护理) is not altered anywhere else. The domain words are the segmentation dictionary
(nlu_data/dict/userdict.txt) plus a short list of everyday disability-service words below — a general table, not
test phrasings."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import jieba
from pypinyin import Style, lazy_pinyin

USERDICT = Path(__file__).resolve().parents[2] / "nlu_data" / "dict" / "userdict.txt"
CORE_WORDS = (
    "护理 残疾 残疾人 补贴 补助 低保 康复 辅具 辅助器具 轮椅 助听器 盲杖 假肢 燃油 按摩 盲人按摩 "
    "保险 养老保险 医疗保险 救助 托养 就业 培训 无障碍 改造 评残 鉴定 残联 民政 社区 申请 手语 聋哑 "
    "精神残疾 智力残疾 肢体残疾 视力残疾 听力残疾"
).split()
COMMON_WORD_FREQ = 100  # a window that is itself this common a word (狐狸, 保鲜) is left alone
MAX_WORD = 6
MAX_CHARS = 512
_HAN = re.compile(r"[\u4e00-\u9fff]")


def _key(syllables: list[str]) -> str:
    return " ".join(syllables)


@lru_cache(maxsize=1)
def _vocabulary() -> tuple[dict[str, str], frozenset[str], frozenset[str]]:
    """toneless pinyin (per character) → the most frequent domain word with that sound; and the preferred words.

    The dictionary also lists known mis-hearings (户理补贴, less frequent than 护理补贴): they map to the preferred
    spelling of their sound. Third: every listed spelling (a listed mis-hearing is repaired however common jieba
    thinks it is, since jieba may have loaded the same dictionary)."""
    weight = {word: 5000 for word in CORE_WORDS}
    if USERDICT.exists():
        for line in USERDICT.read_text().splitlines():
            parts = line.split()
            if parts:
                weight[parts[0]] = max(weight.get(parts[0], 0), int(parts[1]) if len(parts) > 1 else 1)
    best: dict[str, str] = {}
    for word, freq in weight.items():
        if not (2 <= len(word) <= MAX_WORD and all(_HAN.match(c) for c in word)):
            continue
        sound = _key([lazy_pinyin(c, style=Style.NORMAL)[0] for c in word])
        if sound not in best or freq > weight[best[sound]]:
            best[sound] = word
    return best, frozenset(best.values()), frozenset(weight)


def _boundaries(text: str) -> set[int]:
    """Word boundaries of a dictionary-only segmentation (unknown characters stay single)."""
    cuts, position = {0}, 0
    for token in jieba.cut(text, HMM=False):
        position += len(token)
        cuts.add(position)
    return cuts


def repair(text: str) -> str:
    """`text` with homophones of domain words replaced by the domain word (see the module docstring)."""
    text = (text or "")[:MAX_CHARS]
    if not _HAN.search(text):
        return text
    by_sound, words, listed = _vocabulary()
    sounds = [lazy_pinyin(c, style=Style.NORMAL)[0] if _HAN.match(c) else "" for c in text]
    cuts = _boundaries(text)
    out: list[str] = []
    i = 0
    while i < len(text):
        replaced = False
        for length in range(min(MAX_WORD, len(text) - i), 1, -1):
            window = text[i : i + length]
            if window in words:
                out.append(window)
                i += length
                replaced = True
                break
            if not all(sounds[i : i + length]) or i not in cuts or i + length not in cuts:
                continue
            target = by_sound.get(_key(sounds[i : i + length]))
            if target and (window in listed or jieba.dt.FREQ.get(window, 0) < COMMON_WORD_FREQ):
                out.append(target)
                i += length
                replaced = True
                break
        if not replaced:
            out.append(text[i])
            i += 1
    return "".join(out)
