"""Check a mainland China phone number (mobile or landline) as typed or spoken, with plain-Chinese messages.

Mobile: 1 + [3-9] + 9 digits (11 digits); a leading +86 / 86 is stripped. Value: the 11 digits.
Landline: area code + 7 or 8 digit local number (not starting with 0 or 1), with or without a hyphen.
The area code is 3 characters for 010 and 02x (北京, 上海, 广州…) and 4 for all others (0453 牡丹江/绥芬河,
0355 长治/潞城); the hyphen the user typed is ignored and re-inserted there. Value: e.g. "0453-3921234".
Extensions are not supported.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.rules.spoken_numbers import has_place_value_words, read_number

_MOBILE = re.compile(r"1[3-9]\d{9}")
_LOCAL = re.compile(r"[2-9]\d{6,7}")

_SAY_AGAIN = "请再说一遍。"


@dataclass(frozen=True)
class PhoneCheck:
    """Result of validate_phone; `kind` is "mobile" or "landline" when ok, else None."""

    ok: bool
    value: str
    kind: str | None
    message: str


def _fail(value: str, message: str) -> PhoneCheck:
    return PhoneCheck(ok=False, value=value, kind=None, message=message)


def _landline(value: str) -> PhoneCheck:
    area_length = 3 if value[1] in "12" else 4
    area, local = value[:area_length], value[area_length:]
    if value[1] == "0" or not _LOCAL.fullmatch(local):
        return _fail(value, "座机号应该先说区号，比如0453，再说7位或8位号码。请核对后再说一遍。")
    return PhoneCheck(ok=True, value=f"{area}-{local}", kind="landline", message="电话号码核对好了。")


def validate_phone(raw: str) -> PhoneCheck:
    """Check a phone number as typed or spoken (lead-in words, spoken or full-width digits, spaces and hyphens)."""
    value = read_number(raw or "")
    if not value:
        if has_place_value_words(raw or ""):
            return _fail("", "电话号码请一位一位地说，比如“幺三八”，不要说“十”“百”。" + _SAY_AGAIN)
        return _fail("", "没听清电话号码。请一位一位地说数字。" + _SAY_AGAIN)
    if "X" in value:
        return _fail(value, "电话号码里只有数字。" + _SAY_AGAIN)
    if len(value) == 13 and value.startswith("861"):
        value = value[2:]
    if value.startswith("1"):
        if len(value) != 11:
            return _fail(value, f"手机号应该是11位，以1开头，您说的是{len(value)}位。" + _SAY_AGAIN)
        if not _MOBILE.fullmatch(value):
            return _fail(value, "手机号第二位应该是3到9，现在对不上。请核对后再说一遍。")
        return PhoneCheck(ok=True, value=value, kind="mobile", message="手机号核对好了。")
    if value.startswith("0") and len(value) > 1:
        return _landline(value)
    return _fail(value, "电话号码不对。手机号是11位，以1开头；座机号要先说区号，比如0453。" + _SAY_AGAIN)
