"""The resident's region for this conversation: named in this message, remembered in the slot, named in any earlier
turn (even one the bot did not understand), the region of the channel the resident wrote to (a region's own WeChat
account), or the one region a single-region deployment serves."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from bot.rules.region_mentions import region_mentioned
from bot.rules.regions import canonical_region
from bot.rules.routing import load_routing

if TYPE_CHECKING:
    from rasa_sdk import Tracker


def region_in_message(message: dict[str, Any]) -> str | None:
    """The region a user message names: a region entity (the region buttons), else any mention in its text."""
    for entity in message.get("entities") or []:
        if entity.get("entity") == "region" and (region := canonical_region(str(entity.get("value")))):
            return region
    return region_mentioned(message.get("text"))


def region_in_history(events: list[dict[str, Any]]) -> str | None:
    """The region named in the latest earlier user turn that named one."""
    for event in reversed(events):
        if event.get("event") == "user" and (region := region_in_message(event.get("parse_data") or event)):
            return region
    return None


def channel_region(message: dict[str, Any]) -> str | None:
    """The region of the channel the message came through (config/escalation.yml `channel_regions`), if any."""
    metadata = message.get("metadata")
    channel = metadata.get("channel") if isinstance(metadata, dict) else None
    return load_routing().channel_regions.get(channel or "")


def conversation_region(tracker: Tracker) -> str | None:
    """This message's region, else the slot, else any earlier turn's, else the channel's, else the deployment's."""
    latest = tracker.latest_message or {}
    return (
        region_in_message(latest)
        or canonical_region(tracker.get_slot("region"))
        or region_in_history(tracker.events)
        or channel_region(latest)
        or load_routing().only_region
    )
