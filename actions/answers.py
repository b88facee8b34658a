"""Pick the answer variation for the user's region from the domain's responses."""

from __future__ import annotations

from typing import Any

from bot.rules.benefits import load_table
from bot.rules.routing import RoutingTable

Variation = dict[str, Any]
BOTH_REGIONS_MAX_CHARS = 300  # region-specific substance of both plans together, up to which both are told at once
MAX_MESSAGE_CHARS = 150  # one chat message (nlu_data/faq header; bot/staff/validation)
_SHORT_NAMES = {"绥芬河市": "绥芬河", "潞城区": "潞城"}


def _region_condition(variation: Variation) -> str | None:
    for condition in variation.get("condition") or []:
        if condition.get("type") == "slot" and condition.get("name") == "region":
            return condition.get("value")
    return None


def needs_region(variations: list[Variation]) -> bool:
    """True when the answer differs by region (no variation that fits everyone)."""
    return bool(variations) and all(_region_condition(v) is not None for v in variations)


def choose_variation(variations: list[Variation], region: str | None) -> Variation | None:
    """The variation for `region`, else the region-independent one; None when the region must be asked."""
    for variation in variations:
        if region is not None and _region_condition(variation) == region:
            return variation
    for variation in variations:
        if not variation.get("condition"):
            return variation
    return None


def split_messages(text: str) -> list[str]:
    """One chat message per paragraph (blank-line separated): one idea per message."""
    return [part.strip() for part in text.split("\n\n") if part.strip()]


def apply_button_for(faq_key: str) -> dict[str, str] | None:
    """A "我要申请…" button under the FAQ answer about a benefit residents can apply for here (config/benefits.yml
    names each benefit's FAQ)."""
    for spec in load_table().benefits.values():
        if spec.faq == faq_key:
            return {"title": f"我要申请{spec.short_name}", "payload": f"我想申请{spec.short_name}"}
    return None


def both_regions(variations: list[Variation], routing: RoutingTable) -> list[str] | None:
    """For a resident whose region is not known yet: each plan's own substance, named by region, then the
    region-free answer's last paragraph (where to ask, both offices) — instead of a merged answer that drops what each
    plan says. Only for answers that fit everyone (no `ask_region`, not the answer about the lines) when each plan's
    substance is short; None else.

    A region's substance is its answer without its last paragraph (that region's office and hotline)."""
    common = next((v for v in variations if not v.get("condition")), None)
    if common is None or (common.get("metadata") or {}).get("ask_region"):
        return None
    if "{hotline}" in (common.get("text") or "") and "{general_hotline}" in (common.get("text") or ""):
        return None  # an answer about the lines themselves names each region's line already
    substances: dict[str, list[str]] = {}
    for region in routing.served:
        variation = next((v for v in variations if _region_condition(v) == region), None)
        paragraphs = split_messages(variation.get("text") or "") if variation else []
        if len(paragraphs) < 2:
            return None
        substances[region] = [routing.fill_hotlines(p, region) for p in paragraphs[:-1]]
    shared = [p for p in next(iter(substances.values())) if all(p in s for s in substances.values())]
    messages = list(shared)  # what every plan says, once and first
    for region, substance in substances.items():
        own = [p for p in substance if p not in shared]
        if own and _SHORT_NAMES.get(region, region) not in own[0]:
            own[0] = f"{region}：{own[0]}"
        messages += own
    if sum(len(m) for m in messages) > BOTH_REGIONS_MAX_CHARS or any(len(m) > MAX_MESSAGE_CHARS for m in messages):
        return None
    contact = split_messages(common.get("text") or "")[-1:]
    return messages + [routing.fill_hotlines(p, None, one_line=True) for p in contact]
