"""Find people's names in a resident's question, for the insights scrubber.

Three signals, any one is enough: a name statement ("我叫…", "他叫…", "名字是…", "姓名…", "我姓王"), a word that
jieba tags as a person's name (nr), and 2–4 Han characters starting with a Chinese surname in a name-like place
(after 叫/是/给/替/帮/和, at the start of a clause, or before a clause break). The surname list and the name shape are
owned by bot/rules/names.py (the application form reads names with them); this module only decides what to drop.
"""

from __future__ import annotations

import re
import threading

from bot.rules.names import COMPOUND_SURNAMES, SINGLE_SURNAMES, is_name, name_at, spelled_name

HAN = r"[\u4e00-\u9fff]"
# Who is named, then how: 我叫, 他叫, 俺闺女叫, 孩子名字是, 姓名：, 名叫, 叫做 …
NAME_STATEMENT = re.compile(
    rf"(?:{HAN}{{0,4}}?)(?:名字|姓名|名叫|叫做|叫|我是|俺是|本人是|本人|姓名是)[是为：:\s]*({HAN}{{2,4}})"
)
SURNAME_STATEMENT = re.compile(rf"(?:我|俺|他|她|咱|本人|孩子|家里人)?姓({HAN})")
# Places where a surname-led word is most likely a name: after these, or at a clause start.
_BEFORE_NAME = set("叫是给替帮和跟同找问为让")
_CLAUSE = re.compile(r"[，,。！!？?；;、\s]")
_jieba_lock = threading.Lock()
# Service words jieba's model mistakes for names (a question about them is not about a person).
SERVICE_WORDS = ("康复", "温泉", "安康", "华侨", "成人", "高龄", "武警")


def _is_surname_start(text: str, index: int) -> bool:
    return text[index] in SINGLE_SURNAMES or any(text.startswith(c, index) for c in COMPOUND_SURNAMES)


PERSON_FLAGS = ("nr", "nrfg", "nrt")


def _tokens(text: str) -> list[tuple[int, str, str]]:
    """jieba's words with part-of-speech flags: (start, word, flag)."""
    import jieba
    import jieba.posseg

    with _jieba_lock:
        jieba.setLogLevel(60)
        words = list(jieba.posseg.cut(text))
    out, at = [], 0
    for w in words:
        out.append((at, w.word, w.flag))
        at += len(w.word)
    return out


def _name_starts(tokens: list[tuple[int, str, str]]) -> set[int]:
    """Where a surname-led name may start: a word jieba tags as a person, or a lone character (an unknown name is
    cut into pieces: 石 建国). A surname character that begins an ordinary word (高龄, 生活, 公交, 马上) does not."""
    return {at for at, word, flag in tokens if flag.startswith(PERSON_FLAGS) or len(word) == 1}


def names_in(text: str) -> list[str]:
    """Every probable person's name in the text (may over-report: the caller drops, never keeps, on doubt)."""
    found: list[str] = []
    for match in NAME_STATEMENT.finditer(text):
        candidate = name_at(match.group(1), 0) or (match.group(1) if is_name(match.group(1)) else None)
        if candidate:
            found.append(candidate)
    for match in SURNAME_STATEMENT.finditer(text):
        if match.group(1) in SINGLE_SURNAMES:
            found.append("姓" + match.group(1))
    tokens = _tokens(text)
    starts = _name_starts(tokens)
    for index in range(len(text)):
        if index not in starts or not _is_surname_start(text, index):
            continue
        before = text[index - 1] if index else ""
        candidate = name_at(text, index)
        if not candidate:
            continue
        after = text[index + len(candidate) : index + len(candidate) + 1]
        placed = not before or before in _BEFORE_NAME or _CLAUSE.match(before) or not after or _CLAUSE.match(after)
        if placed:
            found.append(candidate)
    found.extend(word for _at, word, flag in tokens if flag.startswith(PERSON_FLAGS) and len(word) >= 2)
    spelled = spelled_name(text)
    if spelled:
        found.append(spelled)
    return [n for n in dict.fromkeys(found) if not n.startswith(SERVICE_WORDS)]


def remove_names(text: str, removed: str) -> str:
    """The text with every name found by `names_in` replaced by `removed`."""
    for name in sorted(names_in(text), key=len, reverse=True):
        text = text.replace(name.removeprefix("姓") if name.startswith("姓") else name, removed)
    return text
