"""Sound-alike repair for the safety rules: a run of whole words that sounds like one of the rules' words (same
toneless pinyin, with the initials and finals that dialects and pinyin typists mix up treated alike: zh/z, ch/c,
sh/s, l/n, -ing/-in, -eng/-en) is read as that word — 甩倒 → 摔倒, 就命 → 救命, 头诉 → 投诉. The rules use the
repaired text only when the text as written matched nothing, and their context patterns must still match."""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

import jieba
from pypinyin import Style, pinyin

MAX_CHARS = 500
COMMON_WORD_FREQ = 100  # a run that is itself this common a word (精神, 没气) is left as written
_LITERAL = re.compile(r"^[\u4e00-\u9fff]{2,4}$")
_FUZZY = ((re.compile(r"^zh"), "z"), (re.compile(r"^ch"), "c"), (re.compile(r"^sh"), "s"), (re.compile(r"^l"), "n"),
          (re.compile(r"ing$"), "in"), (re.compile(r"eng$"), "en"))  # fmt: skip


def _syllable(pinyin: str) -> str:
    for pattern, replacement in _FUZZY:
        pinyin = pattern.sub(replacement, pinyin)
    return pinyin


def literal_words(patterns: Iterable[str]) -> tuple[str, ...]:
    """The plain 2–4 character words among regex alternatives (split at top-level '|')."""
    words: set[str] = set()
    for pattern in patterns:
        depth, start = 0, 0
        for index, char in enumerate(pattern + "|"):
            if char == "(":
                depth += 1
            elif char == ")":
                depth -= 1
            elif char == "|" and depth == 0:
                part = pattern[start:index]
                if _LITERAL.match(part):
                    words.add(part)
                start = index + 1
    return tuple(sorted(words))


def _readings(text: str, every: bool = False) -> list[frozenset[str]]:
    """Each character's toneless reading, fuzzy-normalised ({} for non-Han): in context for a message, every reading
    of a polyphone (着 = zhe/zhao/zhuo) for the rules' words."""
    if every:  # character by character: a phrase would get its one reading from the phrase dictionary
        found = [pinyin(char, style=Style.NORMAL, heteronym=True, errors=lambda c: [[""]])[0] for char in text]
    else:
        found = pinyin(text, style=Style.NORMAL, errors=lambda chars: [[""] for _ in chars])
    return [
        frozenset(_syllable(r) for r in readings) if "\u4e00" <= char <= "\u9fff" else frozenset()
        for char, readings in zip(text, found, strict=False)
    ]


@lru_cache(maxsize=1)
def _frequencies() -> dict[str, int]:
    jieba.initialize()
    return jieba.dt.FREQ


# Load the word list when the process starts, not inside the first request (seconds on a busy machine, during which
# an async server would answer nobody).
_frequencies()


def _common(run: str) -> bool:
    return (_frequencies().get(run) or 0) >= COMMON_WORD_FREQ


Entry = tuple[int, list[frozenset[str]], str]  # position in the word list, the word's readings, the word


@lru_cache(maxsize=8)
def _table(words: tuple[str, ...]) -> dict[int, dict[str, list[Entry]]]:
    """size → a first syllable → the words of that size that can start with it, in the order of `words`."""
    table: dict[int, dict[str, list[Entry]]] = {}
    for position, word in enumerate(words):
        readings = _readings(word, every=True)
        for syllable in readings[0]:
            table.setdefault(len(word), {}).setdefault(syllable, []).append((position, readings, word))
    return table


def _candidates(table: dict[int, dict[str, list[Entry]]], run: list[frozenset[str]], size: int) -> list[Entry]:
    """The words a run of `size` characters may sound like: only those that can start like it, in list order (so
    the first that matches is the one a scan of the whole list would find)."""
    if len(run) != size:
        return []
    by_first = table.get(size) or {}
    lists = [by_first[syllable] for syllable in run[0] if syllable in by_first]
    if len(lists) <= 1:
        return lists[0] if lists else []
    merged = {entry[0]: entry for entries in lists for entry in entries}
    return [merged[position] for position in sorted(merged)]


def _sounds_like(run: list[frozenset[str]], word: list[frozenset[str]]) -> bool:
    return all(a & b for a, b in zip(run, word, strict=True))


def repair(text: str, words: tuple[str, ...]) -> str:
    """`text` with every run that sounds like one of `words` (but is spelled otherwise) replaced by that word."""
    text = text[:MAX_CHARS]
    readings = _readings(text)
    if len(readings) != len(text):
        return text  # characters pypinyin splits differently: leave the text alone
    table = _table(words)
    edges, at = {0}, 0
    for token in jieba.lcut(text):  # a sound-alike must start and end where words do (腿脚|不行 is not 叫不醒)
        at += len(token)
        edges.add(at)
    out, index = [], 0
    while index < len(text):
        for size in (4, 3, 2):
            run = readings[index : index + size]
            if index not in edges or index + size not in edges:
                continue
            found = next((w for _, r, w in _candidates(table, run, size) if _sounds_like(run, r)), None)
            if found is not None and found != text[index : index + size] and _common(text[index : index + size]):
                found = None  # a real word that merely sounds alike
            if found is not None:
                out.append(found)
                index += size
                break
        else:
            out.append(text[index])
            index += 1
    return "".join(out)
