"""Mask sensitive personal information (ID numbers, phone numbers) before text reaches a log."""

from __future__ import annotations

import re

# 18-character resident ID (last may be X), 20-digit disability certificate number, mainland mobile numbers.
_ID_LIKE = re.compile(r"(?<![0-9A-Za-z])(\d{6})(\d{8,11})(\d{3}[\dXx])(?![0-9A-Za-z])")
_MOBILE = re.compile(r"(?<!\d)(1[3-9]\d)(\d{4})(\d{4})(?!\d)")
_LANDLINE = re.compile(r"(?<!\d)(0\d{2,3}-?)(\d{3,4})(\d{4})(?!\d)")


def mask_sensitive(text: str) -> str:
    """Keep the first 4 and last 4 characters of ID-like numbers and the ends of phone numbers."""
    text = _ID_LIKE.sub(lambda m: m.group(1)[:4] + "*" * (len(m.group(0)) - 8) + m.group(3)[-4:], text)
    text = _MOBILE.sub(lambda m: m.group(1) + "****" + m.group(3), text)
    return _LANDLINE.sub(lambda m: m.group(1) + "****" + m.group(3), text)
