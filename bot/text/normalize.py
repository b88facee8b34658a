"""Normalise what residents type (or an ASR engine returns) before it reaches Rasa."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from opencc import OpenCC

_ZERO_WIDTH = re.compile("[\u200b-\u200f\u2028\u2029\u202a-\u202e\u2060-\u2064\ufeff\u00ad]")
_SURROGATES = re.compile("[\ud800-\udfff]")  # lone halves from JSON "\\ud800": not text, cannot be UTF-8 encoded
_SPACES = re.compile(r"\s+")


@lru_cache(maxsize=1)
def _traditional_to_simplified() -> OpenCC:
    return OpenCC("t2s")


def normalize_text(text: str) -> str:
    """Full-width → half-width (NFKC), traditional → simplified, zero-width and lone surrogates removed, spaces
    collapsed."""
    text = _SURROGATES.sub("", _ZERO_WIDTH.sub("", text))
    text = unicodedata.normalize("NFKC", text)
    text = _traditional_to_simplified().convert(text)
    return _SPACES.sub(" ", text).strip()
