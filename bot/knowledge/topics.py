"""Which FAQ answers rest on which plan passages. Every FAQ answer names the plan sentences it rests on (`sources`
→ `quote`, docs/knowledge.md); the passages holding one of those quotes are that answer's passages.

This lets the plan confirm the FAQ: when the FAQ model is unsure between a few answers, and the two plan passages
nearest to the question are both quoted by exactly one of those answers, two independent signals (the FAQ model,
trained on residents' phrasings, and the plan search, on the plan's own words) name the same answer
(actions/understand.py)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from bot.knowledge.index import PassageIndex
from bot.knowledge.passages import Passage
from bot.rules.plans import squash

# Chosen on development items (b2–b6 policy, docs/understanding.md): with the nearest passage alone the settled answer
# held the fact in 59–74% (too many wrong-topic answers); with the two nearest both quoted by it, in 77–83%.
NEAREST_PASSAGES = 2
MIN_QUOTE = 8  # characters: a shorter quote ("阳光家园") names a measure, not a sentence — it would tie many passages


def quotes_of(variations: Iterable[Mapping[str, Any]]) -> list[tuple[str, str]]:
    """(plan file, quote without spaces) of every source of every variation of one answer."""
    found: list[tuple[str, str]] = []
    for variation in variations:
        metadata = variation.get("metadata") if isinstance(variation.get("metadata"), Mapping) else {}
        for source in metadata.get("sources") or []:
            quote = squash(str(source.get("quote") or ""))
            if len(quote) >= MIN_QUOTE:
                found.append((str(source.get("file")), quote))
    return found


def quoted_passages(
    passages: Sequence[Passage], responses: Mapping[str, Sequence[Mapping[str, Any]]]
) -> dict[str, frozenset[int]]:
    """FAQ key ("faq/<name>") → indices in `passages` of the passages that hold one of its quotes, or that one of its
    quotes holds (a quote may run over a sentence the index cut at a semicolon). Answers without quotes are left out.
    `responses` is the domain's responses ("utter_faq/<name>" → variations)."""
    by_file: dict[str, list[int]] = {}
    for i, passage in enumerate(passages):
        by_file.setdefault(passage.file, []).append(i)
    quoted: dict[str, frozenset[int]] = {}
    for name, variations in responses.items():
        if not name.startswith("utter_faq/"):
            continue
        held = {
            i
            for file, quote in quotes_of(variations)
            for i in by_file.get(file, [])
            if quote in passages[i].text or passages[i].text in quote
        }
        if held:
            quoted[name.removeprefix("utter_")] = frozenset(held)
    return quoted


def confirmed_choice(
    choices: Sequence[str], nearest: Iterable[Sequence[int]], quoted: Mapping[str, frozenset[int]]
) -> str | None:
    """The one FAQ key among `choices` that quotes every one of the nearest passages of a plan (`nearest`: for each
    plan asked, its NEAREST_PASSAGES best passages); None when no choice does, or several do."""
    confirmed = {key for found in nearest if found for key in choices if set(found) <= quoted.get(key, frozenset())}
    return next(iter(confirmed)) if len(confirmed) == 1 else None


Responses = Mapping[str, Sequence[Mapping[str, Any]]]  # the domain's responses: name → variations
_quoted_cache: dict[tuple[int, int], dict[str, frozenset[int]]] = {}


def faq_passages(index: PassageIndex, responses: Responses) -> dict[str, frozenset[int]]:
    """quoted_passages of the FAQ answers in `responses`, worked out once per index and set of quotes (an action
    server gets the domain with every call; an FAQ edit brings new quotes)."""
    faq = {name: variations for name, variations in responses.items() if name.startswith("utter_faq/")}
    key = (id(index), hash(tuple(sorted((name, tuple(quotes_of(v))) for name, v in faq.items()))))
    if key not in _quoted_cache:
        _quoted_cache.clear()
        _quoted_cache[key] = quoted_passages(index.passages, faq)
    return _quoted_cache[key]


def settled_choice(
    index: PassageIndex,
    text: str | None,
    regions: list[str],
    choices: Sequence[str],
    responses: Responses,
) -> str | None:
    """The one FAQ key among `choices` that quotes the NEAREST_PASSAGES passages of one of `regions`' plans nearest to
    `text`, or None."""
    if not choices or not (text or "").strip():
        return None
    nearest = [index.nearest(str(text), region, NEAREST_PASSAGES) for region in regions]
    return confirmed_choice(choices, nearest, faq_passages(index, responses))
