"""Understand one answer to one application question (pure functions; messages in plain Chinese).

Each parser returns Parsed(value, message): `value` is None when the answer cannot be used, and `message`
then says why and what to say instead. Shared number rules live in bot.rules (also used by the gateway).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from bot.rules.disability_card import describe_card, validate_disability_card
from bot.rules.id_card import validate_id_number
from bot.rules.phone import validate_phone
from bot.rules.regions import canonical_region
from bot.rules.spoken_numbers import extract_digit_run

YES = ("同意", "可以", "好的", "好", "是的", "是", "对", "行", "嗯", "确认", "确定", "愿意", "没问题", "提交", "没错")
NO = ("不同意", "不愿意", "不行", "不可以", "不是", "不对", "不要", "拒绝", "不", "没有", "错")
QUESTION_MARKERS = ("吗", "怎么", "什么", "哪", "多少", "能不能", "是不是", "?", "？", "为啥", "为什么")
_NAME = re.compile(r"^[\u4e00-\u9fff·•]{2,20}$")
_NAME_LEADS = re.compile(r"^(我叫|我是|叫|姓名是|名字是|申请人是|申请人叫|他叫|她叫|是)")
_RELATIONS = {"妈": "妈妈", "母亲": "妈妈", "爸": "爸爸", "父亲": "爸爸", "儿子": "儿子", "女儿": "女儿",
              "孩子": "孩子", "老伴": "老伴", "爱人": "爱人", "丈夫": "丈夫", "妻子": "妻子", "爷爷": "爷爷",
              "奶奶": "奶奶", "姥姥": "姥姥", "姥爷": "姥爷", "外婆": "外婆", "外公": "外公", "哥": "哥哥",
              "姐": "姐姐", "弟": "弟弟", "妹": "妹妹", "孙子": "孙子", "孙女": "孙女"}  # fmt: skip
HOUSEHOLDS = (("低保边缘", "低保边缘"), ("边缘", "低保边缘"), ("特困", "特困"), ("低保", "低保"))


@dataclass(frozen=True)
class Parsed:
    value: Any
    message: str | None = None


def looks_like_question(text: str) -> bool:
    return any(marker in text for marker in QUESTION_MARKERS)


def yes_or_no(text: str) -> bool | None:
    """True for yes, False for no, None when unclear (questions are never taken as an answer).

    Negative words are checked first (不同意 contains 同意); one-character words (是, 对, 好 …) count only at the
    start of a short answer, so "这是干什么用的" is not a yes."""
    clean = text.strip(" 。.!！,，~～")
    if not clean or looks_like_question(clean):
        return None
    if any(clean.startswith(word) for word in NO):
        return False
    for word in YES:
        if len(word) > 1 and word in clean:
            return True
        if len(word) == 1 and clean.startswith(word) and len(clean) <= 4:
            return True
    return None


def parse_consent(text: str, _slots: dict) -> Parsed:
    answer = yes_or_no(text)
    return Parsed(answer, None if answer is not None else "请说“同意”或“不同意”。")


def relation_in(text: str) -> str | None:
    """The family word in e.g. 帮我妈办 → 妈妈."""
    for word, relation in _RELATIONS.items():
        if word in text:
            return relation
    return None


def parse_for_self(text: str, _slots: dict) -> Parsed:
    if any(word in text for word in ("自己", "本人", "我自己")):
        return Parsed(True)
    if any(word in text for word in ("家人", "帮", "代", "替")) or relation_in(text):
        return Parsed(False)
    return Parsed(None, "请说“给自己”或“帮家人”。")


def parse_name(text: str, _slots: dict) -> Parsed:
    name = _NAME_LEADS.sub("", text.strip(" 。.!！,，")).strip()
    if looks_like_question(text) or not _NAME.match(name):
        return Parsed(None, "没听清姓名。请只说名字，比如“王秀英”。")
    return Parsed(name)


def parse_relation(text: str, _slots: dict) -> Parsed:
    relation = relation_in(text)
    if relation:
        return Parsed(relation)
    clean = text.strip(" 。.!！,，")
    if 1 <= len(clean) <= 8 and not looks_like_question(clean):
        return Parsed(clean)
    return Parsed(None, "申请人是您的什么人？比如妈妈、爸爸、孩子。")


def parse_phone(text: str, slots: dict, *, same_as: str | None = None) -> Parsed:
    if same_as and any(word in text for word in ("同上", "一样", "相同", "就是我的", "打我的")):
        return Parsed(slots.get(same_as))
    check = validate_phone(text)
    return Parsed(check.value, None) if check.ok else Parsed(None, check.message)


def parse_id_number(text: str, _slots: dict) -> Parsed:
    check = validate_id_number(text)
    return Parsed(check.value) if check.ok else Parsed(None, check.message)


def parse_has_card(text: str, _slots: dict) -> Parsed:
    if any(word in text for word in ("没有", "没", "无", "不")):
        return Parsed(False)
    if "有" in text or yes_or_no(text):
        return Parsed(True)
    return Parsed(None, "请说“有”或“没有”。")


def parse_card_number(text: str, slots: dict) -> Parsed:
    check = validate_disability_card(text, id_number=slots.get("id_number"))
    return Parsed(check.value) if check.ok else Parsed(None, check.message)


def card_description(card_number: str | None) -> str | None:
    """E.g. 肢体残疾二级, derived from the card number's last two digits."""
    if not card_number:
        return None
    check = validate_disability_card(card_number)
    return describe_card(check.category, check.level) if check.ok else None


def parse_region(text: str, _slots: dict) -> Parsed:
    region = canonical_region(text)
    return Parsed(region, None if region else "目前只能办理绥芬河市和潞城区的申请。请说“绥芬河市”或“潞城区”。")


def parse_place(text: str, _slots: dict, *, min_len: int, max_len: int, what: str) -> Parsed:
    clean = text.strip(" 。.!！,，")
    if looks_like_question(clean) or not (min_len <= len(clean) <= max_len):
        return Parsed(None, f"请说一下{what}。")
    return Parsed(clean)


def parse_town(text: str, slots: dict) -> Parsed:
    return parse_place(text, slots, min_len=2, max_len=30, what="乡镇或街道的名字")


def parse_address(text: str, slots: dict) -> Parsed:
    return parse_place(text, slots, min_len=3, max_len=100, what="详细地址，比如哪个村、哪个小区、门牌号")


def parse_household(text: str, _slots: dict) -> Parsed:
    for word, status in HOUSEHOLDS:
        if word in text:
            return Parsed(status)
    if any(word in text for word in ("都不是", "不是", "没有", "都没有", "无", "普通")):
        return Parsed("无")
    return Parsed(None, "请说“低保”“低保边缘”“特困”或“都不是”。")


_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8,
              "九": 9}  # fmt: skip


def _cn_number(token: str) -> int | None:
    """Arabic digits, or Chinese numerals up to 99 (十二, 二十一) or digit by digit (二零二零)."""
    if token.isdigit():
        return int(token)
    if "十" in token:
        tens, _, ones = token.partition("十")
        return (_CN_DIGITS.get(tens, 1) if tens else 1) * 10 + (_CN_DIGITS.get(ones, 0) if ones else 0)
    if all(ch in _CN_DIGITS for ch in token):
        return int("".join(str(_CN_DIGITS[ch]) for ch in token)) if token else None
    return None


_DATE = re.compile(r"([0-9零〇一二两三四五六七八九]{4})\s*[年\-./]\s*([0-9一二三四五六七八九十]{1,3})\s*[月\-./]"
                   r"\s*([0-9一二三四五六七八九十]{1,3})")  # fmt: skip


def parse_birth_date(text: str, _slots: dict, *, today: date | None = None) -> Parsed:
    today = today or date.today()
    match = _DATE.search(text.replace("号", "日"))
    parts = [_cn_number(g) for g in match.groups()] if match else []
    try:
        born = date(parts[0], parts[1], parts[2]) if len(parts) == 3 and None not in parts else None
    except ValueError:
        born = None
    if born is None:
        return Parsed(None, "没听清日期。请按“2020年5月1日”这样说年、月、日。")
    if born > today or born.year < today.year - 30:
        return Parsed(None, "这个出生日期不对，请再说一遍。")
    return Parsed(born.isoformat())


def parse_reference(text: str, _slots: dict) -> Parsed:
    digits = extract_digit_run(text) or ""
    return Parsed(digits) if len(digits) == 8 else Parsed(None, "申请编号是8位数字，请再说一遍。")


def parse_last4(text: str, _slots: dict) -> Parsed:
    digits = extract_digit_run(text) or ""
    return Parsed(digits[-4:]) if len(digits) >= 4 else Parsed(None, "请说电话号码的最后4位数字。")
