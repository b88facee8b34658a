"""Messages written only in Latin letters (pinyin without tones, English): the bot reads Chinese characters, so when
it does not understand such a message it says so in both languages and shows how to go on."""

from __future__ import annotations

import re

_LETTERS = re.compile(r"[A-Za-z]")
_HAN = re.compile(r"[\u4e00-\u9fff]")
_ONLY_DIGITS = re.compile(r"[\d\s\-+#*.,，。]+")

LATIN_REPLY = (
    "对不起，我没听懂：我只看得懂汉字。请用汉字写您想问的政策或想办的事；要找工作人员，说“转人工”。"
    "\nSorry, I can only read Chinese. Please write your question in Chinese characters,"
    " or press 人工客服 for a person."
)

DIGITS_REPLY = (
    "我只收到了一串数字，不知道您想问什么。请用一句话说说您想问的政策或想办的事；要找工作人员，说“转人工”。"
    "身份证号、电话这些，办申请时我会再问您。"
)


SYMBOLS_REPLY = (
    "我看到了您发的表情或符号。我只看得懂文字：请用一句话说说您想问的政策或想办的事；要找工作人员，说“转人工”。"
)


def only_symbols(text: str | None) -> bool:
    """A message of emoji, symbols or punctuation only ("👍", "♿❓", "😭😭"): no letter, digit or character."""
    stripped = (text or "").strip()
    return bool(stripped) and not any(ch.isalnum() for ch in stripped)


def is_latin_only(text: str | None) -> bool:
    """True for a message of letters without Chinese characters ("hu li bu tie", "how do I apply")."""
    if not text or _HAN.search(text):
        return False
    return len(_LETTERS.findall(text)) >= 3


def only_digits(text: str | None) -> bool:
    """A message of digits (and spaces or punctuation) only: a phone or ID number, a hotline, "0000"."""
    stripped = (text or "").strip()
    return bool(stripped and _ONLY_DIGITS.fullmatch(stripped) and re.search(r"\d", stripped))


def has_english_words(text: str | None) -> bool:
    """True for a message in characters with a word of Latin letters in it ("我 deaf 想要 hearing aid")."""
    return bool(_HAN.search(text or "")) and bool(re.search(r"[A-Za-z]{3,}", text or ""))
