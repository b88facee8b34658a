"""Check a disability certificate number (残疾人证号) and read its category and level back in plain Chinese.

Layout: 20 characters = the holder's 18-character ID number (its last character may be X)
+ 1 category digit (1 视力 2 听力 3 言语 4 肢体 5 智力 6 精神 7 多重) + 1 level digit (1–4 = 一级…四级).
一级 and 二级 are 重度 (severe); 三级 and 四级 are not.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from bot.rules.id_card import validate_id_number
from bot.rules.spoken_numbers import has_place_value_words, read_number

CARD_LENGTH = 20
CATEGORIES: dict[str, str] = {"1": "视力", "2": "听力", "3": "言语", "4": "肢体", "5": "智力", "6": "精神", "7": "多重"}
LEVEL_NAMES: dict[int, str] = {1: "一级", 2: "二级", 3: "三级", 4: "四级"}

_AGAIN = "请看着残疾人证核对后，再说一遍。"
_ID_PART_REASONS = {
    "characters": "只有第18位可能是X",
    "area": "开头两位不对",
    "birth_date": "出生日期那一段不对",
    "check_digit": "第18位校验位对不上",
}


@dataclass(frozen=True)
class CardCheck:
    """Result of validate_disability_card. `category`, `level` and `level_name` are filled only when valid."""

    ok: bool
    value: str
    problem: str | None  # "characters" | "length" | "id_part" | "category" | "level" | "id_mismatch"
    message: str
    category: str | None = None  # e.g. "肢体"
    level: int | None = None  # 1-4
    level_name: str | None = None  # e.g. "二级"


def describe_card(category: str, level: int) -> str:
    """Read category and level back, e.g. ("肢体", 2) → "肢体残疾二级"."""
    name = category.removesuffix("残疾")
    if name not in CATEGORIES.values() or level not in LEVEL_NAMES:
        raise ValueError(f"unknown disability category or level: {category!r}, {level!r}")
    return f"{name}残疾{LEVEL_NAMES[level]}"


def is_severe(level: int) -> bool:
    """一级 and 二级 are 重度 (severe); 三级 and 四级 are not."""
    if level not in LEVEL_NAMES:
        raise ValueError(f"disability level must be 1-4, not {level!r}")
    return level <= 2


def _fail(value: str, problem: str, message: str) -> CardCheck:
    return CardCheck(ok=False, value=value, problem=problem, message=message)


def validate_disability_card(raw: str, id_number: str | None = None, today: date | None = None) -> CardCheck:
    """Check a card number as typed or spoken; if `id_number` is given, the first 18 characters must equal it."""
    value = read_number(raw or "")
    if not value:
        if has_place_value_words(raw or ""):
            return _fail("", "characters", "残疾人证号请一位一位地说，不要说“十”“百”。请再说一遍。")
        return _fail("", "characters", "没听清残疾人证号。残疾人证号是20位数字。请一位一位地再说一遍。")
    if len(value) != CARD_LENGTH:
        return _fail(value, "length", f"残疾人证号应该是20位，您说的是{len(value)}位。请再说一遍。")
    if "X" in value[18:]:
        return _fail(value, "characters", "残疾人证号最后两位都是数字，不会是X。" + _AGAIN)
    id_check = validate_id_number(value[:18], today=today)
    if not id_check.ok:
        reason = _ID_PART_REASONS.get(id_check.problem or "", "这一段不对")
        return _fail(value, "id_part", f"残疾人证号的前18位就是身份证号，{reason}，可能有一位听错了。" + _AGAIN)
    category = CATEGORIES.get(value[18])
    if category is None:
        return _fail(value, "category", "残疾人证号倒数第二位表示残疾类别，应该是1到7。" + _AGAIN)
    level = int(value[19])
    if level not in LEVEL_NAMES:
        return _fail(value, "level", "残疾人证号最后一位表示残疾等级，应该是1到4。" + _AGAIN)
    if id_number is not None and value[:18] != (read_number(id_number) or id_number.strip().upper()):
        return _fail(value, "id_mismatch", "残疾人证号的前18位必须和身份证号一样，现在对不上。请核对后再说一遍。")
    return CardCheck(
        ok=True,
        value=value,
        problem=None,
        message=f"残疾人证号核对好了，是{describe_card(category, level)}。",
        category=category,
        level=level,
        level_name=LEVEL_NAMES[level],
    )


_LEVEL_WORDS = {"一": 1, "1": 1, "二": 2, "两": 2, "2": 2, "三": 3, "3": 3, "四": 4, "4": 4}
_LEVEL = re.compile(r"([一二两三四1234])级")
_CATEGORY = re.compile("(" + "|".join(CATEGORIES.values()) + ")")
_NEGATED_BEFORE = re.compile(r"(?:不是|而不是|没有|不算|以前是|原来是|之前是|从)\s*[\u4e00-\u9fff]{0,2}$")
_NEGATED_AFTER = re.compile(r"^(?:残疾)?(?:不对|错了|是错的)")


def _said(pattern: re.Pattern[str], text: str) -> set[str]:
    """What the pattern finds in the text, except what the text says is not so ("不是一级", "一级不对")."""
    found = set()
    for match in pattern.finditer(text):
        before, after = text[max(0, match.start() - 5) : match.start()], text[match.end() :]
        if not _NEGATED_BEFORE.search(before) and not _NEGATED_AFTER.match(after):
            found.add(match.group(1))
    return found


def regraded(card_number: str | None, text: str) -> str | None:
    """The card number with the level (and category) a resident says instead ("俺是二级 不是一级", "重新评了，
    现在是精神二级"): its last two digits are the category and the level. None when the text names no single new
    level or category, or nothing changes."""
    check = validate_disability_card(card_number or "")
    if not check.ok or check.level is None or check.category is None:
        return None
    levels = {_LEVEL_WORDS[w] for w in _said(_LEVEL, text)}
    categories = _said(_CATEGORY, text)
    if len(levels) > 1 or len(categories) > 1 or not (levels or categories):
        return None
    level = levels.pop() if levels else check.level
    category = categories.pop() if categories else check.category
    code = next(code for code, name in CATEGORIES.items() if name == category)
    new = f"{check.value[:18]}{code}{level}"
    return new if new != check.value else None
