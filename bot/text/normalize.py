"""Normalise what residents type (or an ASR engine returns) before it reaches Rasa.

Two forms of one message: `as_typed` is the text as the resident wrote it, only made clean (full-width → half-width,
invisible characters dropped, spaces collapsed); `simplified` turns traditional characters into simplified ones for
understanding. `normalize_text` is both. A value that must be stored as written (a name in traditional characters)
is read from the simplified text and taken back from the written one with `as_written` (no OpenCC needed there: the
action server's environment has none)."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import Any

_ZERO_WIDTH = re.compile("[\u200b-\u200f\u2028\u2029\u202a-\u202e\u2060-\u2064\ufeff\u00ad]")
_SURROGATES = re.compile("[\ud800-\udfff]")  # lone halves from JSON "\\ud800": not text, cannot be UTF-8 encoded
_SPACES = re.compile(r"\s+")


@lru_cache(maxsize=1)
def _traditional_to_simplified() -> Any:
    from opencc import OpenCC  # the gateway's environment only (requirements/gateway.txt)

    return OpenCC("t2s")


def as_typed(text: str) -> str:
    """The text as written: full-width → half-width (NFKC), zero-width and lone surrogates removed, spaces collapsed;
    traditional characters kept."""
    text = _SURROGATES.sub("", _ZERO_WIDTH.sub("", text))
    text = unicodedata.normalize("NFKC", text)
    return _SPACES.sub(" ", text).strip()


def simplified(text: str) -> str:
    """Traditional characters → simplified (for understanding and matching)."""
    return _traditional_to_simplified().convert(text)


def normalize_text(text: str) -> str:
    """The text for understanding: `as_typed`, then `simplified`."""
    return simplified(as_typed(text))


def as_written(value: str, text: str, written: str | None) -> str:
    """`value`, read from `text` (the simplified message), as the resident wrote it: the same characters of `written`
    (the message as typed; simplifying keeps every character in its place) — "金宝山" read from "我爸叫金宝山" is
    "金寶山" when "我爸叫金寶山" was written. `value` itself when the written text was not kept or does not line up."""
    if not value or not written:
        return value
    for said, kept in ((text, written), (_SPACES.sub("", text), _SPACES.sub("", written))):
        if len(said) != len(kept):
            continue
        found = {kept[at : at + len(value)] for at in _places(said, value)}
        if len(found) == 1:
            return found.pop()
        if found:
            return value
    return value


def _places(text: str, value: str) -> list[int]:
    return [at for at in range(len(text) - len(value) + 1) if text.startswith(value, at)]
