"""Pick the answer variation for the user's region from the domain's responses."""

from __future__ import annotations

from typing import Any

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


# FAQ topics after which the answer offers to start the matching application.
APPLY_AFTER_FAQ: dict[str, tuple[str, str]] = {
    "faq/living_subsidy": ("我要申请生活补贴", "我想申请生活补贴"),
    "faq/severe_care_subsidy": ("我要申请护理补贴", "我想申请护理补贴"),
    "faq/home_accessibility_modification": ("我要申请无障碍改造", "我想申请无障碍改造"),
    "faq/assistive_devices": ("我要申请辅助器具", "我想申请辅助器具"),
    "faq/child_rehabilitation": ("我要申请康复救助", "我想申请儿童康复救助"),
}


def apply_button_for(faq_key: str) -> dict[str, str] | None:
    """A "我要申请…" button for FAQ answers about a benefit residents can apply for here."""
    pair = APPLY_AFTER_FAQ.get(faq_key)
    return {"title": pair[0], "payload": pair[1]} if pair else None
