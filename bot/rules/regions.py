"""The regions AccessLine knows, and how to recognise them in what a resident says or an ASR transcript."""

from __future__ import annotations

import re

SUIFENHE = "绥芬河市"
LUCHENG = "潞城区"
REGIONS: tuple[str, ...] = (SUIFENHE, LUCHENG)

# Spellings seen in typed text and in speech-recognition output (homophones).
_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"绥芬河|绥芬|随芬河|绥分河|遂芬河"), SUIFENHE),
    (re.compile(r"潞城|路城区|鹿城区|潞成"), LUCHENG),
)


def detect_region(text: str | None) -> str | None:
    """Return the canonical region named in `text`, or None if none (or both) are named."""
    if not text:
        return None
    found = {region for pattern, region in _PATTERNS if pattern.search(text)}
    return found.pop() if len(found) == 1 else None


def canonical_region(value: str | None) -> str | None:
    """Map a slot or entity value (possibly a short or misspelled name) to a canonical region."""
    if value in REGIONS:
        return value
    return detect_region(value)
