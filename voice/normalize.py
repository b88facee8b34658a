"""Chinese text normalisation before speech synthesis: say numbers the way a hotline operator would.

Hotline numbers and other service numbers are read digit by digit with 幺 for 1 (12385 → 幺二三八五);
phone and ID numbers digit by digit in groups; years digit by digit (2025年 → 二零二五年);
percentages (85% → 百分之八十五); other quantities as Chinese numbers (16-59周岁 → 十六到五十九周岁).
"""

from __future__ import annotations

import re

_DIGITS = "零一二三四五六七八九"
_PHONE_DIGITS = "零幺二三四五六七八九"
_HOTLINES = ("12385", "12345", "110", "120", "119")


def read_digits(number: str, *, phone_style: bool = True) -> str:
    """Digit by digit: 12385 → 幺二三八五 (phone style) or 一二三八五."""
    table = _PHONE_DIGITS if phone_style else _DIGITS
    return "".join(table[int(c)] if c.isdigit() else ("叉" if c in "Xx" else c) for c in number)


def read_quantity(number: int) -> str:
    """0–9999 as a Chinese number: 16 → 十六, 105 → 一百零五, 2000 → 两千."""
    if number == 0:
        return "零"
    units = ["", "十", "百", "千"]
    digits = [int(c) for c in str(number)]
    out: list[str] = []
    zero_pending = False
    for position, digit in enumerate(digits):
        unit = units[len(digits) - position - 1]
        if digit == 0:
            zero_pending = bool(out)
            continue
        if zero_pending:
            out.append("零")
            zero_pending = False
        word = "两" if digit == 2 and unit in ("百", "千") else _DIGITS[digit]
        out.append(word + unit)
    text = "".join(out)
    return text[1:] if text.startswith("一十") else text


def _group(digits: str, size: int = 4) -> str:
    return "，".join(read_digits(digits[i : i + size]) for i in range(0, len(digits), size))


_PATTERNS: tuple[tuple[re.Pattern[str], object], ...] = (
    (re.compile(r"\d{17}[\dXx]\d{0,2}"), lambda m: _group(m.group(0))),  # ID / disability card numbers
    (re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)"), lambda m: _group(m.group(0)[:3], 3) + "，" + _group(m.group(0)[3:])),
    (re.compile(r"(?<!\d)(?:" + "|".join(_HOTLINES) + r")(?!\d)"), lambda m: read_digits(m.group(0))),
    (re.compile(r"(\d{4})年"), lambda m: read_digits(m.group(1), phone_style=False) + "年"),
    (re.compile(r"(\d{1,4})%"), lambda m: "百分之" + read_quantity(int(m.group(1)))),
    (
        re.compile(r"(\d{1,4})\s*[-—至到]\s*(\d{1,4})"),
        lambda m: f"{read_quantity(int(m.group(1)))}到{read_quantity(int(m.group(2)))}",
    ),
    (re.compile(r"\d{5,}"), lambda m: _group(m.group(0))),  # any other long number: digit by digit
    (re.compile(r"\d{1,4}"), lambda m: read_quantity(int(m.group(0)))),
)


def normalize_for_speech(text: str) -> str:
    """Rewrite digits, percentages and ranges into words so that any TTS engine reads them correctly."""
    for pattern, replace in _PATTERNS:
        text = pattern.sub(replace, text)  # type: ignore[arg-type]
    return text.replace("“", "").replace("”", "").replace("（", "，").replace("）", "，")
