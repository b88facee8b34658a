"""Read an application back before it is submitted, and understand a correction such as "电话错了，是…"."""

from __future__ import annotations

import re

from actions.intake_fields import card_description
from bot.rules.benefits import BENEFITS

# Words that name a field, most specific first.
FIELD_WORDS: tuple[tuple[tuple[str, ...], str], ...] = (
    (("代办人电话", "我的电话", "代办电话"), "proxy_phone"),
    (("代办人名字", "代办人姓名", "我的名字"), "proxy_name"),
    (("关系",), "proxy_relation"),
    (("身份证",), "id_number"),
    (("残疾人证", "残疾证", "证号"), "card_number"),
    (("电话", "手机", "号码"), "phone"),
    (("名字", "姓名"), "applicant_name"),
    (("乡镇", "街道", "镇"), "town"),
    (("地址", "住址", "门牌", "村", "小区"), "address"),
    (("低保", "特困", "家庭情况", "家庭"), "household"),
    (("出生", "生日"), "child_birth_date"),
    (("地区", "绥芬河", "潞城", "哪里"), "region"),
)
_NEW_VALUE = re.compile(r"(?:应该是|改成|改为|换成|是|为|：|:)\s*(.+)$")


def group_digits(value: str, size: int = 4) -> str:
    """1380013800 → 1380 0138 00: easier to follow when read aloud."""
    return " ".join(value[i : i + size] for i in range(0, len(value), size))


def group_phone(value: str) -> str:
    """13800138000 → 138 0013 8000 (mobile); landlines are left as they are."""
    return f"{value[:3]} {value[3:7]} {value[7:]}" if len(value) == 11 and value.startswith("1") else value


def parse_correction(text: str) -> tuple[str, str | None] | None:
    """(slot, new value or None) when the text names a field to correct; None otherwise.

    The field named first in the sentence wins ("住址错了，是潞城镇…" is the address, not the town)."""
    found: list[tuple[int, int, str, str]] = []
    for words, slot in FIELD_WORDS:
        for word in words:
            at = text.find(word)
            if at >= 0:
                found.append((at, -len(word), slot, word))
    if not found:
        return None
    at, _, slot, word = min(found)
    match = _NEW_VALUE.search(text[at + len(word) :])
    value = match.group(1).strip(" 。.!！") if match else None
    return slot, value or None


def readback_messages(slots: dict) -> list[str]:
    """Short messages (one idea each) that read the whole application back."""
    benefit = BENEFITS.get(slots.get("benefit") or "", "申请")
    first = f"请核对您的申请。申请项目：{benefit}。申请人：{slots.get('applicant_name')}。"
    first += f"身份证号：{group_digits(slots.get('id_number') or '')}。"
    messages = [first]
    second = ""
    card = card_description(slots.get("card_number"))
    second += f"残疾人证：{card}，证号后两位{slots['card_number'][-2:]}。" if card else "残疾人证：没有。"
    second += f"电话：{group_phone(slots.get('phone') or '')}。"
    messages.append(second)
    household = slots.get("household")
    household_text = "都不是" if household == "无" else household
    messages.append(
        f"住址：{slots.get('region')}{slots.get('town')}，{slots.get('address')}。家庭情况：{household_text}。"
    )
    if slots.get("for_self") is False:
        messages.append(
            f"代办人：{slots.get('proxy_name')}，申请人是您的{slots.get('proxy_relation')}，"
            f"代办人电话：{group_phone(slots.get('proxy_phone') or '')}。"
        )
    if slots.get("child_birth_date"):
        messages.append(f"孩子的出生日期：{slots['child_birth_date']}。")
    return messages


CONFIRM_QUESTION = "都对吗？对的话请说“确认”。哪一项不对，直接说，比如“电话错了，是……”。不办了请说“取消”。"
