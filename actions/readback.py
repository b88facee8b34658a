"""Read an application back before it is submitted, and say a value the way a resident can check it by ear."""

from __future__ import annotations

from typing import Any

from bot.rules.benefits import BenefitTable
from bot.rules.disability_card import describe_card, validate_disability_card

MAX_MESSAGE = 150


def group_digits(value: str, size: int = 4) -> str:
    """1380013800 → 1380 0138 00: easier to follow when read aloud."""
    return " ".join(value[i : i + size] for i in range(0, len(value), size))


def group_phone(value: str) -> str:
    """13800138000 → 138 0013 8000 (mobile); landlines are left as they are."""
    return f"{value[:3]} {value[3:7]} {value[7:]}" if len(value) == 11 and value.startswith("1") else value


def card_description(card_number: str | None) -> str | None:
    """E.g. 肢体残疾二级, derived from the card number's last two digits."""
    if not card_number:
        return None
    check = validate_disability_card(card_number)
    return describe_card(check.category, check.level) if check.ok and check.category and check.level else None


def spoken_value(table: BenefitTable, key: str, slots: dict[str, Any]) -> str | None:
    """One field's value as the read-back says it (None when the field has no value)."""
    value = slots.get(key)
    kind = table.fields[key].kind
    if kind == "disability_card":
        if slots.get("has_card") is False:
            return "没有"
        description = card_description(value)
        return f"{description}，证号{group_digits(value)}" if description and value else None
    if value in (None, ""):
        return None
    if value == "none":
        return "还没定"
    if kind == "benefit":
        return table.name_of(value)
    if kind == "for_self":
        return "给自己申请" if value else "帮家人申请"
    if kind == "id_number":
        return group_digits(str(value))
    if kind == "phone":
        return group_phone(str(value))
    if kind == "household":
        return "都不是" if value == "无" else str(value)
    if kind == "date":
        year, month, day = str(value).split("-")
        return f"{int(year)}年{int(month)}月{int(day)}日"
    return str(value)


def readback_messages(table: BenefitTable, fields: tuple[str, ...], slots: dict[str, Any]) -> list[str]:
    """Short messages (one idea each, at most 150 characters) that read the whole application back."""
    parts = [f"申请项目：{table.name_of(slots.get('benefit'))}"]
    for key in fields:
        spec = table.fields[key]
        if not spec.applies(slots) or spec.stored == "false" or spec.kind == "benefit":
            continue
        said = spoken_value(table, key, slots)
        if said is not None:
            parts.append(f"{spec.label}：{said}")
    messages: list[str] = []
    current = "请核对您的申请。"
    for part in parts:
        piece = part + "。"
        if len(current) + len(piece) > MAX_MESSAGE:
            messages.append(current)
            current = ""
        current += piece
    messages.append(current)
    return messages
