"""Correct part of a number already given: "后四位是1407 不是1406", "最后是幺九二六 不是幺九二七", "尾号改成8821",
"不是135 是138", "中间那个5是6" — the digits named replace the same digits of the number held (pure, no Rasa).

A resident who hears the read-back rarely says the whole number again; they say the piece that is wrong. The piece
is placed by what they say: the wrong digits ("不是1406") where they occur once, else a position ("后四位",
"尾号", "最后", "前三位", "开头"), else the one place where the new piece differs from the number in a few digits
only. When the place is not clear the result is None and the caller asks for the whole number again.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from bot.rules.spoken_numbers import number_spans

_COUNT = r"(?:[一二两三四五六七八九\d]|几)"
_UNIT = r"?(?:个)?(?:位|个数|个数字|数)?(?:数)?"
_TAIL = re.compile(r"(?:最后|末尾|后面|后边|结尾|尾号|尾数|倒数|后)" + _COUNT + _UNIT)
_HEAD = re.compile(r"(?:开头|前面|前边|头|前)" + _COUNT + _UNIT)
_POSITION_WORDS = re.compile(r"(?:第" + _COUNT + r"位)|" + _COUNT + r"位数?|一个数|一位")
_NEGATED = re.compile(r"(?:不是|不对|错了|写成了|记成了|而不是)\s*$")
_NEGATED_AFTER = re.compile(r"^\s*(?:不对|错了|是错的|写错了|(?:应该)?改成|改为|换成|应该是)")
_THEN_IS = re.compile(r"^\s*(?:应该)?是\s*$")
MAX_CHANGED_SHARE = 0.5  # an unplaced piece may change at most half of its own digits


def _pieces(text: str) -> tuple[list[str], list[str], str]:
    """(new pieces, wrong pieces, position) said in a correction; position "tail" | "head" | ""."""
    position = "tail" if _TAIL.search(text) else "head" if _HEAD.search(text) else ""
    cleaned = _POSITION_WORDS.sub(lambda m: "的" * len(m.group()), _TAIL.sub(lambda m: "的" * len(m.group()), text))
    cleaned = _HEAD.sub(lambda m: "的" * len(m.group()), cleaned)
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
    if wrong and digits.count(wrong[-1]) == 1:
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
