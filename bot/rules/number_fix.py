"""Correct part of a number already given: "后四位是1407 不是1406", "最后是幺九二六 不是幺九二七",
"尾号改成8821", "不是135 是138", "中间那个5是6", "第三位是5", "倒数第二位应该是7" — the digits named replace the
same digits of the number held (pure, no Rasa).

A resident who hears the read-back rarely says the whole number again; they say the piece that is wrong. The
piece is placed by what they say: a place ("第三位", "倒数第二位"), else the wrong digits ("不是1406") where they
occur once, else a position ("后四位", "尾号", "最后", "前三位", "开头"), else the one place where the new piece
differs from the number in a few digits only. When the place is not clear the result is None and the caller asks
for the whole number again.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from bot.rules.spoken_numbers import number_spans

_COUNT = r"(?:[一二两三四五六七八九\d]|几)"
_UNIT = r"?(?:个)?(?:位|个数|个数字|数)?(?:数)?"
_ORDINAL = r"(?:[一二两三四五六七八九十\d]{1,3})"
# "第三位", "倒数第二位": one place counted from the start (or the end)
_NTH = re.compile(r"(倒数)?第(" + _ORDINAL + r")(?:位|个数字|个数|个)")
_TAIL = re.compile(
    r"(?:最后|末尾|后面|后边|结尾|尾号|尾数|倒数|后)"
    + _COUNT
    + _UNIT
    + r"|(?:最后|末尾|结尾|尾号|尾数)(?:那|的|那个)?(?:数字|数)?"
)
_HEAD = re.compile(r"(?:开头|前面|前边|头|前)" + _COUNT + _UNIT)
_POSITION_WORDS = re.compile(r"(?:第" + _COUNT + r"位)|" + _COUNT + r"位数?|一个数|一位")
# "错了一个", "有一位错了", "错两个数": how many are wrong, not a digit
_HOW_MANY_WRONG = re.compile(
    r"(?:错了?|说错了?|念错了?|有)(?:一|两|几)(?:个|位)(?:数字|数|号)?|(?:一|两|几)(?:个|位)(?:数字|数)?(?:错了|不对)"
)
_CN_ORDINALS = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_NEGATED = re.compile(r"(?:不是|不对|错了|写成了|记成了|而不是)\s*$")
_NEGATED_AFTER = re.compile(r"^\s*(?:不对|错了|是错的|写错了|(?:应该)?改成|改为|换成|应该是)")
_THEN_IS = re.compile(r"^\s*(?:应该)?是\s*$")
MAX_CHANGED_SHARE = 0.5  # an unplaced piece may change at most half of its own digits


def _ordinal(word: str) -> int | None:
    """第三 → 3, 第12 → 12, 第十二 → 12 (places in an 18- or 20-digit number)."""
    if word.isdigit():
        return int(word)
    if word.startswith("十"):
        return 10 + _CN_ORDINALS.get(word[1:], 0) if len(word) <= 2 else None
    if "十" in word:
        tens, _, ones = word.partition("十")
        return _CN_ORDINALS.get(tens, 0) * 10 + _CN_ORDINALS.get(ones, 0)
    return _CN_ORDINALS.get(word) if len(word) == 1 else None


def _blank(match: re.Match[str]) -> str:
    return "的" * len(match.group())


def _pieces(text: str) -> tuple[list[str], list[str], str | int]:
    """(new pieces, wrong pieces, position) said in a correction; position "tail" | "head" | "" or the place
    (1-based; negative from the end) that "第三位" / "倒数第二位" names."""
    text = _HOW_MANY_WRONG.sub(_blank, text)
    position: str | int = ""
    nth = _NTH.search(text)
    place = _ordinal(nth.group(2)) if nth else None
    if nth and place:
        position = -place if nth.group(1) else place
        text = _NTH.sub(_blank, text)
    elif _TAIL.search(text):
        position = "tail"
    elif _HEAD.search(text):
        position = "head"
    cleaned = _POSITION_WORDS.sub(_blank, _TAIL.sub(_blank, text))
    cleaned = _HEAD.sub(_blank, cleaned)
    new, wrong = [], []
    spans = number_spans(cleaned, min_length=1)
    for i, (start, end, digits) in enumerate(spans):
        then_is = i + 1 < len(spans) and _THEN_IS.match(cleaned[end : spans[i + 1][0]])  # "那个四是九"
        if _NEGATED.search(cleaned[max(0, start - 4) : start]) or _NEGATED_AFTER.match(cleaned[end : end + 4]):
            wrong.append(digits)
        elif then_is and not wrong:
            wrong.append(digits)
        else:
            new.append(digits)
    return new, wrong, position


def _unplaced(current: str, piece: str) -> str | None:
    """The one place where `piece` differs from `current` in a few digits (the tail first when both fit)."""
    fits = []
    for offset in range(len(current) - len(piece) + 1):
        changed = sum(a != b for a, b in zip(current[offset : offset + len(piece)], piece, strict=True))
        if 1 <= changed <= max(1, int(len(piece) * MAX_CHANGED_SHARE)):
            fits.append(offset)
    if len(fits) == 1:
        offset = fits[0]
        return current[:offset] + piece + current[offset + len(piece) :]
    return None


def fix_number(current: str | None, said: str, valid: Callable[[str], bool]) -> str | None:
    """The number `current` with the piece `said` corrects put in; None when it cannot be placed or is not valid.

    `valid(candidate)` checks the result (a phone's form, an ID number's check digit); a whole new number said
    outright is not handled here (the caller reads it as a plain answer)."""
    if not current:
        return None
    digits = current.replace("-", "")
    new, wrong, position = _pieces(said)
    if len(new) != 1 or len(new[0]) >= len(digits):
        return None
    piece = new[0]
    candidate = None
    if isinstance(position, int):
        start = position - 1 if position > 0 else len(digits) + position
        if 0 <= start <= len(digits) - len(piece) and (
            not wrong or digits[start : start + len(wrong[-1])] == wrong[-1]
        ):
            candidate = digits[:start] + piece + digits[start + len(piece) :]
    elif wrong and digits.count(wrong[-1]) == 1:
        candidate = digits.replace(wrong[-1], piece)
    elif position == "tail":
        candidate = digits[: len(digits) - len(piece)] + piece
    elif position == "head":
        candidate = piece + digits[len(piece) :]
    elif not wrong:
        candidate = _unplaced(digits, piece)
    if candidate is None or candidate == digits or not valid(candidate):
        return None
    return candidate
