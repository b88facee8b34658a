"""Compare a stored application with the script's expected record, and find values that are not valid at all.

The validity checks are deliberately independent of the form code's parsers: a name is 2–4 Han characters (or
names joined by ·) and never a command or filler word; numbers follow their national formats."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from bot.rules.disability_card import validate_disability_card
from bot.rules.id_card import validate_id_number
from bot.rules.phone import validate_phone

NAME = re.compile(r"^(?:[\u4e00-\u9fff]{2,4}|[\u4e00-\u9fff]{1,10}(?:·[\u4e00-\u9fff]{1,10})+)$")
NOT_NAMES = frozenset({
    "提交", "确认", "确定", "取消", "不知道", "是的", "好的", "可以", "同意", "不同意", "没有", "对的", "不对",
    "谢谢", "你好", "您好", "知道", "不是", "是我", "本人", "自己", "给自己", "帮家人", "低保", "特困", "都不是",
    "不用", "不要", "算了", "行了", "没错", "嗯嗯", "对对", "对对对", "重新", "再说", "不清楚", "忘了", "人工",
    "转人工", "不办了", "退出", "申请", "我爸", "我妈", "爸爸", "妈妈", "儿子", "女儿", "老伴", "俺爹", "俺娘",
})  # fmt: skip
REGIONS = ("绥芬河市", "潞城区")
HOUSEHOLDS = ("低保", "低保边缘", "特困", "无")
COMPARED = ("for_self", "applicant_name", "id_number", "card_number", "phone", "region", "town", "address",
            "household")  # fmt: skip


def _same(expected: Any, stored: Any) -> bool:
    if isinstance(expected, str) and isinstance(stored, str):
        return expected.strip().upper() == stored.strip().upper()
    if expected in (None, "") and stored in (None, ""):
        return True
    return expected == stored


def compare(
    expected: dict[str, Any],
    record: dict[str, Any],
    benefit_fields: tuple[str, ...] = (),
    extra_value: Callable[[str, Any, dict[str, Any]], tuple[str, Any, Any] | None] = lambda key, value, record: None,
) -> list[str]:
    """Every field that differs, as "field: expected → stored". `benefit_fields` are compared too (device,
    child_birth_date …); `extra_value(key, value, record)` gives (field, expected, stored) for an `extra` fact."""
    keys = list(COMPARED)
    keys += ["proxy_name", "proxy_relation", "proxy_phone"]
    keys += [key for key in ("child_birth_date", "device") if key in benefit_fields or expected.get(key)]
    problems = []
    if expected.get("benefit") and record.get("benefit") != expected["benefit"]:
        problems.append(f"benefit: {expected['benefit']!r} → {record.get('benefit')!r}")
    for key in keys:
        want = expected.get(key)
        if key.startswith("proxy_") and expected.get("for_self"):
            want = None
        if key == "card_number" and want:
            want = str(want)
        if not _same(want, record.get(key)):
            problems.append(f"{key}: {want!r} → {record.get(key)!r}")
    for key, value in (expected.get("extra") or {}).items():
        found = extra_value(key, value, record)
        if found is None:
            problems.append(f"extra {key}: {value!r} → (no such field)")
        elif not _same(found[1], found[2]):
            problems.append(f"extra {key} ({found[0]}): {found[1]!r} → {found[2]!r}")
    return problems


def invalid_values(record: dict[str, Any]) -> list[str]:
    """Stored values that cannot be right whatever the facts were (non-names, broken numbers, unknown codes)."""
    bad = []
    for key in ("applicant_name", "proxy_name"):
        name = record.get(key)
        if name is not None and (not NAME.match(name) or name in NOT_NAMES):
            bad.append(f"{key}={name!r}")
    id_number = record.get("id_number") or ""
    if not validate_id_number(id_number).ok:
        bad.append("id_number")
    for key in ("phone", "proxy_phone"):
        if record.get(key) is not None and not validate_phone(record[key]).ok:
            bad.append(key)
    if record.get("card_number") and not validate_disability_card(record["card_number"], id_number=id_number).ok:
        bad.append("card_number")
    if record.get("region") not in REGIONS:
        bad.append(f"region={record.get('region')!r}")
    if record.get("household") not in HOUSEHOLDS:
        bad.append(f"household={record.get('household')!r}")
    for key in ("town", "address"):
        value = record.get(key) or ""
        if not value.strip() or NAME.match(value) and value in NOT_NAMES or re.fullmatch(r"[\d\s]+", value):
            bad.append(f"{key}={value!r}")
    return bad
