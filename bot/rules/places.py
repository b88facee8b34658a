"""Where an applicant lives: town (乡镇/街道) and region from an address, region from the ID number's area code.

The gazetteer is config/places.yml. A town the gazetteer does not know is still read when it ends in 镇, 乡 or
街道 (the region is then asked)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from bot.rules.regions import detect_region

PLACES_FILE = Path(__file__).resolve().parents[2] / "config" / "places.yml"
_TOWN_SUFFIXED = re.compile(r"([\u4e00-\u9fff]{2,5}?(?:街道|镇|乡))")
_NOT_IN_TOWN_NAMES = set("我你他她俺咱住在是的到了和个那这哪啥甚去回城里上下边们要想给帮办就还也都")
_DETAIL_MARKS = re.compile(
    r"[0-9]+|[一二三四五六七八九十百两零幺]+(?=号|组|队|单元|栋|幢|楼|层|室|排|户|巷|条|道|里)|村|屯|小区|社区|路|街|巷|胡同|庄|大院|家属院|楼|公寓|花园|新城|宿舍|区|里|湾|沟|坡|"
    r"岭|营|堡|寨|店|场|厂|站|所|矿|队|门|院|苑|园|府|居|广场|大厦|组|号|排|户|坊|桥|口|台|山|河|城|屋|铺"
)


@dataclass(frozen=True)
class Gazetteer:
    towns: dict[str, tuple[str, str]]  # spelling → (canonical town, region)
    id_prefixes: dict[str, str]  # area code → region
    address_prefixes: tuple[str, ...]


@lru_cache(maxsize=2)
def gazetteer(path: str | None = None) -> Gazetteer:
    raw = yaml.safe_load(Path(path or PLACES_FILE).read_text(encoding="utf-8"))
    towns: dict[str, tuple[str, str]] = {}
    prefixes: dict[str, str] = {}
    for region, spec in raw["regions"].items():
        for code in spec.get("id_prefixes") or ():
            prefixes[str(code)] = region
        for town, spellings in (spec.get("towns") or {}).items():
            for spelling in (town, *spellings):
                towns[spelling] = (town, region)
    order = sorted(raw.get("address_prefixes") or (), key=len, reverse=True)
    return Gazetteer(towns, prefixes, tuple(order))


def region_of_id(id_number: str | None) -> str | None:
    """The region whose area code the ID number carries (where it was issued), or None."""
    return gazetteer().id_prefixes.get((id_number or "")[:6])


def find_town(text: str) -> tuple[str, str | None, int, int] | None:
    """(town, its region or None, start, end) of the first town named in the text."""
    best: tuple[int, int, str, str | None] | None = None
    for spelling, (town, region) in gazetteer().towns.items():
        at = text.find(spelling)
        if at >= 0 and (best is None or (at, -len(spelling)) < (best[0], -best[1])):
            best = (at, len(spelling), town, region)
    if best is not None:
        return best[2], best[3], best[0], best[0] + best[1]
    for match in _TOWN_SUFFIXED.finditer(text):
        name = match.group(1)
        if not (set(name) & _NOT_IN_TOWN_NAMES) and not name.startswith("乡镇"):
            return name, None, match.start(1), match.end(1)
    return None


def strip_region_prefix(text: str) -> str:
    """Drop the province, city and region names said before the town ("绥芬河市阜宁镇…" → "阜宁镇…")."""
    changed = True
    while changed:
        changed = False
        if any(text.startswith(spelling) for spelling in gazetteer().towns):
            break  # 绥芬河镇… is a town, not the region's name
        for prefix in gazetteer().address_prefixes:
            if text.startswith(prefix):
                text = text[len(prefix) :].lstrip("，, 的")
                changed = True
    return text


def has_detail(text: str) -> bool:
    """True when an address says more than the town (a village, street, building or number)."""
    found = find_town(text)
    rest = text[found[3] :] if found else text
    return bool(_DETAIL_MARKS.search(rest))


_CN = {"零": "0", "〇": "0", "洞": "0", "一": "1", "幺": "1", "二": "2", "两": "2", "三": "3", "四": "4", "五": "5",
       "六": "6", "七": "7", "拐": "7", "八": "8", "九": "9"}  # fmt: skip
_NUMERAL = r"[零〇洞一幺二两三四五六七八九拐十百]+"
_UNIT_NUMBER = re.compile(rf"({_NUMERAL})(?=号|单元|室|栋|幢|层|楼|排|户)")
_TRAILING_DIGITS = re.compile(r"(?<=[号元室栋幢层楼排户\d])([零〇洞一幺二两三四五六七八九拐]{2,4})$")


def _numeral_value(token: str) -> str | None:
    """二十七 → 27, 二零幺 → 201, 十 → 10; None when it is not a plain number."""
    if "百" in token:
        hundreds, _, rest = token.partition("百")
        if len(hundreds) != 1 or hundreds not in _CN or "百" in rest:
            return None
        rest = rest.removeprefix("零").removeprefix("〇")
        if not rest:
            return str(int(_CN[hundreds]) * 100)
        below = _numeral_value(rest if "十" in rest or len(rest) > 1 else rest)
        if below is None or int(below) > 99:
            return None
        if "十" not in rest and not token.partition("百")[2].startswith(("零", "〇")):
            below = str(int(below) * 10)  # 一百五 = 150
        return str(int(_CN[hundreds]) * 100 + int(below))
    if "十" in token:
        tens, _, ones = token.partition("十")
        if len(tens) > 1 or len(ones) > 1:
            return None
        return str(int(_CN.get(tens, "1") if tens else "1") * 10 + int(_CN.get(ones, "0") if ones else "0"))
    return "".join(_CN[ch] for ch in token) if all(ch in _CN for ch in token) else None


def tidy_numbers(address: str) -> str:
    """House numbers as people write them: 长白路二十七号三单元二零幺 → 长白路27号3单元201 (a village group stays
    as said: 三组, 3组)."""
    address = _UNIT_NUMBER.sub(lambda m: _numeral_value(m.group(1)) or m.group(1), address)
    return _TRAILING_DIGITS.sub(lambda m: _numeral_value(m.group(1)) or m.group(1), address)


# After a town's short name, a place named after the town ("店上村", "微子社区"): the village's name, not the town.
_NAMED_AFTER_TOWN = re.compile(r"^(?:村|屯|庄|社区|小区|街(?!道)|路|大街|新村)")
# What may follow a town's name said last ("…27号 史回的", "…3号 店上那边"): nothing more of the address.
_TOWN_TAIL = r"(?:镇|乡|街道)?(?:上|里|那边|这边|那块|那儿|那里|附近)?(?:的|了|呢|啊|吧|哈)*"


def _without_town_said_last(address: str, town: str) -> str:
    """ "东村27号史回的" with the town 史回镇 known: the town said last, by its name without 镇/乡/街道, is dropped
    (the stored address starts with the town)."""
    stem = re.sub(r"(?:街道|镇|乡)$", "", town)
    if len(stem) < 2:
        return address
    match = re.search(re.escape(stem) + _TOWN_TAIL + "$", address)
    return address[: match.start()] if match and has_detail(address[: match.start()]) else address


def normalise_address(text: str, town: str | None) -> str:
    """The stored address: without the region names in front, starting with the town, numbers as written. A village
    named after its town ("店上村…") keeps its name behind the town ("店上镇店上村…"); a town said last by its short
    name ("东村27号 史回的") is not repeated at the end."""
    address = tidy_numbers(strip_region_prefix(re.sub(r"\s+", "", text.strip(" ，,。.!！"))))
    found = find_town(address)
    if found and found[2] == 0:
        town, rest = found[0], address[found[3] :]  # the canonical spelling of the town
        if _NAMED_AFTER_TOWN.match(rest) and not re.search(r"(?:街道|镇|乡)$", address[: found[3]]):
            rest = address  # "店上村南街9号": the village 店上村 in 店上镇
    elif town:
        rest = address.removeprefix(town)
    else:
        return address
    return town + _without_town_said_last(rest, town)


def region_in(text: str) -> str | None:
    """The region named in the text, directly or through one of its towns."""
    region = detect_region(text)
    if region:
        return region
    found = find_town(text)
    return found[1] if found else None
