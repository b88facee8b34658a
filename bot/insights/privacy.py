"""Make a resident's question safe to keep: mask it, drop anything that looks like an ID, phone or address, and keep
no text at all when it names a person or the scrubber is otherwise unsure (`scrub` answers None)."""

from __future__ import annotations

import re

from bot.insights.names import names_in
from bot.rules.masking import mask_sensitive

MAX_KEPT_CHARS = 80
MAX_INPUT_CHARS = 400  # bounded before any work: a longer question is cut first
REMOVED = "＊"

# After masking, any run of digits/letters with masked parts or long digit runs is personal: drop it whole.
_NUMBERISH = re.compile(r"[0-9A-Za-z*＊\-－ ]*(?:\*{2,}|\d{5,})[0-9A-Za-z*＊\-－ ]*")
# Addresses: a place word followed by numbers (…路12号, 3栋2单元501, …村5组), or a street/estate with a name before it.
_ADDRESS = re.compile(
    r"[^\s，。,;；:：!！?？住在是到的]{0,10}(?:路|街|巷|道|胡同|小区|花园|公寓|大厦|村|屯|社区)"
    r"[\u4e00-\u9fa5A-Za-z0-9\-－#]*?(?:\d+|[一二三四五六七八九十百]+)\s*(?:号|栋|幢|楼|单元|室|组|户|层)"
    r"(?:[\dA-Za-z\-－一二三四五六七八九十]*(?:号|栋|幢|楼|单元|室|组|户|层))*[\dA-Za-z]*"
)
_HOUSE_NUMBER = re.compile(r"\d+\s*(?:号楼|号院|号|栋|幢|单元|室|组|户)")
# "我叫王小明", "姓名是…", "名字叫…": the name itself goes.
_NAME = re.compile(r"(我叫|我的名字[是叫]|名字[是叫]|姓名[是:：]?|本人)\s*[\u4e00-\u9fa5·]{2,4}")
_EMAIL = re.compile(r"\S+@\S+")


def scrub(text: str) -> str | None:
    """The question without personal data; None when nothing useful is left or when it may name a person (a name
    cannot be masked reliably, so the whole text goes) or still looks personal after scrubbing."""
    text = text[:MAX_INPUT_CHARS]
    if _NAME.search(text):
        return None
    text = mask_sensitive(text)
    text = _EMAIL.sub(REMOVED, text)
    text = _NAME.sub(lambda m: m.group(1) + REMOVED, text)
    text = _ADDRESS.sub(REMOVED, text)
    text = _HOUSE_NUMBER.sub(REMOVED, text)
    text = _NUMBERISH.sub(lambda m: REMOVED if m.group(0).strip() else m.group(0), text)
    text = re.sub(f"{REMOVED}+", REMOVED, text).strip()
    if names_in(text.replace(REMOVED, "，")):
        return None  # addresses and numbers are gone: what still looks like a name is one
    if not re.search(r"[\u4e00-\u9fa5A-Za-z]", text.replace(REMOVED, "")) or looks_personal(text):
        return None
    return text[:MAX_KEPT_CHARS]


def looks_personal(text: str) -> bool:
    """True when the text still holds something like an ID/phone number, a house number or a name statement."""
    return bool(re.search(r"\d{5,}", text) or _HOUSE_NUMBER.search(text) or _NAME.search(text.replace(REMOVED, "")))


def as_example(text: str) -> str | None:
    """A stored question made fit to train on: the clauses that held removed personal data are left out."""
    clauses = [c.strip() for c in re.split(r"[，,。；;！!]", text) if c.strip() and REMOVED not in c]
    example = "，".join(clauses)
    return example if re.search(r"[\u4e00-\u9fa5]{2,}", example) else None
