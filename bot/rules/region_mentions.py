"""Which region a message points to, from any mention: the region's name (bot/rules/regions.py), one of its towns,
a wider name (province, city), an ID number's area prefix or a telephone area code. The facts are in
config/places.yml; a message that points to both regions (or none) gives None."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from bot.rules.places import PLACES_FILE, find_town, region_of_id
from bot.rules.regions import detect_region

_ID_NUMBER = re.compile(r"(?<!\d)\d{6}(?:\d{8}|\d{11}[\dXx])(?!\d)")  # 15 or 18 characters (GB 11643)
_AREA_CODE = re.compile(r"(?<!\d)(0\d{3})(?:[-\s]?\d{7,8}(?!\d)|(?!\d))")


@dataclass(frozen=True)
class Pointers:
    area_codes: dict[str, str]  # "0453" → region
    names: tuple[tuple[str, str], ...]  # (wider name, region)


@lru_cache(maxsize=2)
def _pointers(path: str | None = None) -> Pointers:
    raw = yaml.safe_load(Path(path or PLACES_FILE).read_text(encoding="utf-8"))
    codes: dict[str, str] = {}
    names: list[tuple[str, str]] = []
    for region, spec in raw["regions"].items():
        codes.update({str(code): region for code in spec.get("area_codes") or ()})
        names += [(str(name), region) for name in spec.get("also_called") or ()]
    return Pointers(codes, tuple(names))


def region_mentioned(text: str | None) -> str | None:
    """The one region the message points to, or None."""
    if not text:
        return None
    text = text[:2000]
    found: set[str] = set()
    if region := detect_region(text):
        found.add(region)
    town = find_town(text)
    if town and town[1]:
        found.add(town[1])
    found |= {region for m in _ID_NUMBER.finditer(text) if (region := region_of_id(m.group(0)))}
    pointers = _pointers()
    found |= {pointers.area_codes[m.group(1)] for m in _AREA_CODE.finditer(text) if m.group(1) in pointers.area_codes}
    if not found:
        found = {region for name, region in pointers.names if name in text}
    return found.pop() if len(found) == 1 else None
