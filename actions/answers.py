"""Pick the answer variation for the user's region from the domain's responses."""

from __future__ import annotations

from typing import Any

from bot.rules.benefits import load_table

Variation = dict[str, Any]


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
