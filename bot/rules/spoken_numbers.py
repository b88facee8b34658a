"""Turn a number as typed or as speech recognition writes it (幺三八, １３８, 138-0013) into plain ASCII digits.

Accepted, digit by digit:
  ASCII and full-width digits; 零 〇 洞 → 0; 一 幺 么 → 1; 二 两 → 2; 三 → 3; 四 → 4; 五 → 5; 六 → 6;
  七 拐 → 7; 八 → 8; 九 勾 钩 → 9 (洞 幺 两 拐 勾 are the radio spelling of 0 1 2 7 9);
  叉 / x / X / 艾克斯 → X (the ID number's check character: at most one, never first).
  Separators between digits: spaces, hyphens and dashes, dots, middle dots, underscores and commas.
  A short lead-in such as "我的身份证号是", "电话是", "号码：" or a filler "嗯，" before the number.

Not accepted (the result is "" / None, so the bot asks again instead of guessing):
  Place-value words 十 百 千 万 亿: phone and ID numbers are read digit by digit, and "一百三十八" is ambiguous
  ("138"? "100308"?); 十 is also a frequent dialect/ASR confusion with 四 and 七.
  Shorthand such as "三个八" or "双八", Chinese financial numerals (壹贰叁), letters other than X, and any
  other words around the number (digits_from_speech only; extract_digit_run searches inside sentences).
"""

from __future__ import annotations

import re
import unicodedata

DIGIT_WORDS: dict[str, str] = {
    "零": "0", "〇": "0", "洞": "0", "一": "1", "幺": "1", "么": "1", "二": "2", "两": "2", "三": "3",
    "四": "4", "五": "5", "六": "6", "七": "7", "拐": "7", "八": "8", "九": "9", "勾": "9", "钩": "9", "叉": "X",
    "x": "X",
}  # fmt: skip
PLACE_VALUE_WORDS = "十百千万亿"

_INVISIBLE = re.compile("[\u200b-\u200d\u2060\ufeff]")
_NOT_ONE = re.compile(r"什么|怎么|这么|那么|多么|要么")  # 么 is 1 only when it stands among digits
_SEPARATORS = " \t-‐‑–—_.·,、"
_LEAD_IN = re.compile(
    r"^(?:(?:嗯|呃|啊|哦|那个|就是)[,、\s]*)*"
    r"(?:(?:我|俺|他|她|孩子|申请人|本人)(?:家)?的?)?"
    r"(?:身份证号码|身份证号|身份证|残疾人证号码|残疾人证号|残疾人证|残疾证号码|残疾证号|残疾证|证件号码|证件号|证号"
    r"|联系电话|手机号码|手机号|手机|电话号码|电话号|电话|座机号码|座机号|座机|号码|号)?"
    r"(?:是|为|叫)?[:\s]*"
)
_TRAILING = ".。!！"
_NUMBER = re.compile(r"\+?[0-9][0-9X]*")
_RUN = re.compile(rf"[0-9{PLACE_VALUE_WORDS}](?:[ \-‐‑–—_.·]*[0-9X{PLACE_VALUE_WORDS}])*")


def _to_ascii(text: str) -> str:
    """NFKC (full-width → ASCII), drop invisible characters, then map spoken digit words to digits."""
    text = _INVISIBLE.sub("", unicodedata.normalize("NFKC", text)).replace("艾克斯", "X")
    return "".join(DIGIT_WORDS.get(ch, ch) for ch in text)


def has_place_value_words(text: str) -> bool:
    """True if the text uses 十/百/千/万/亿, which these rules do not read as digits."""
    return any(ch in PLACE_VALUE_WORDS for ch in text)


def digits_from_speech(text: str) -> str:
    """The digits (and at most one X) of a text that is essentially one number, else "".

    "我的电话是幺三八 零零幺三 八零零零" → "13800138000"; "１１０１０５" → "110105"; "一百三十八" → "".
    A leading "+" (as in +86) is dropped; the caller decides what the digits mean.
    """
    clean = _to_ascii(text).strip()
    clean = _LEAD_IN.sub("", clean, count=1).rstrip(_TRAILING + _SEPARATORS)
    clean = "".join(ch for ch in clean if ch not in _SEPARATORS)
    if not _NUMBER.fullmatch(clean) or clean.count("X") > 1:
        return ""
    return clean.removeprefix("+")


def _digit_runs(text: str, min_length: int) -> list[str]:
    """Every number-like run of at least `min_length` characters, in order (runs touching 十/百… dropped)."""
    runs = []
    for match in _RUN.finditer(_to_ascii(_NOT_ONE.sub("的", text))):
        run = "".join(ch for ch in match.group() if ch not in _SEPARATORS)
        if not has_place_value_words(run) and run.count("X") <= 1 and len(run) >= min_length:
            runs.append(run)
    return runs


def extract_digit_run(text: str, *, min_length: int = 4) -> str | None:
    """The longest number-like run inside a sentence (the first one if several are equally long), or None.

    "电话错了，是幺三八零零幺三八零零零" → "13800138000". A run starts with a digit, may contain spaces,
    hyphens or dots between digits and one X; runs next to 十/百/千/万/亿 are ignored (ambiguous), and runs
    shorter than `min_length` are ignored (so the 一 of 一级 or the 两 of 两个 is not a number). Commas end a
    run here, because in a sentence they separate clauses.
    """
    runs = _digit_runs(text, min_length)
    return max(runs, key=len) if runs else None


def read_number(text: str) -> str:
    """The number a user gave: the whole text if it is one number, else the only number-like run in it, else ""."""
    whole = digits_from_speech(text)
    if whole:
        return whole
    runs = _digit_runs(text, 4)
    return runs[0] if len(runs) == 1 else ""


def _aligned_ascii(text: str) -> str:
    """Like _to_ascii, but exactly one output character per input character, so positions stay valid."""
    text = _NOT_ONE.sub(lambda m: "的" * len(m.group()), text)
    out = []
    for ch in text:
        if _INVISIBLE.match(ch):
            out.append(" ")
            continue
        folded = unicodedata.normalize("NFKC", ch)
        folded = folded if len(folded) == 1 else ch
        out.append(DIGIT_WORDS.get(folded, folded))
    return "".join(out)


def number_spans(text: str, *, min_length: int = 4) -> list[tuple[int, int, str]]:
    """(start, end, digits) of every number-like run in a sentence, in order (see extract_digit_run)."""
    spans = []
    for match in _RUN.finditer(_aligned_ascii(text)):
        run = "".join(ch for ch in match.group() if ch not in _SEPARATORS)
        if not has_place_value_words(run) and run.count("X") <= 1 and len(run) >= min_length:
            spans.append((match.start(), match.end(), run))
    return spans
