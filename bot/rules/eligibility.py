"""A friendly PRE-CHECK of whether a benefit is likely to fit, with plain-Chinese notes. It never refuses.

`likely` is True (probably fits), None (cannot tell yet) or False (probably not under the present rules); the
application is accepted either way, and the notes always end with FINAL_DECISION. The wording follows the
national rules for the 两项补贴 and the two regions' 十四五 残疾人保障和发展规划; no amounts are stated.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.rules.disability_card import LEVEL_NAMES
from bot.rules.regions import LUCHENG, SUIFENHE, canonical_region

FINAL_DECISION = "最终能不能办，以残联和民政部门审核为准。"
BENEFIT_NAMES = ("living_subsidy", "care_subsidy", "home_modification", "assistive_devices", "child_rehab")
POOR_HOUSEHOLDS = ("低保", "特困", "低保边缘")
_UNKNOWN_REGION = "不同地区的规定不完全一样，请告诉我您在绥芬河市还是潞城区。"


@dataclass(frozen=True)
class PreCheck:
    """likely: True / None (unsure) / False; notes: plain sentences, the last one is always FINAL_DECISION."""

    likely: bool | None
    notes: list[str] = field(default_factory=list)


def _living_subsidy(region: str | None, household: str | None) -> tuple[bool | None, list[str]]:
    if household in ("低保", "特困"):
        return True, [f"困难残疾人生活补贴是给生活困难的残疾人的，您家是{household}家庭，符合这个方向。"]
    if household == "低保边缘":
        if region == SUIFENHE:
            return None, [
                "绥芬河市的规划说，条件允许时会把生活补贴逐步扩大到低保边缘家庭的残疾人。请问一问市残联现在能不能办。"
            ]
        if region == LUCHENG:
            return None, ["潞城区的规划说要逐步扩大补贴对象范围。低保边缘家庭现在能不能办，请问一问区残联。"]
        return None, ["生活补贴主要给低保家庭里的残疾人，低保边缘家庭要看当地规定。", _UNKNOWN_REGION]
    return None, ["困难残疾人生活补贴主要给低保家庭里的残疾人。如果家里生活困难，可以先问一问残联。"]


def _care_subsidy(region: str | None, level: int | None, category: str | None) -> tuple[bool | None, list[str]]:
    if level is None:
        return None, ["重度残疾人护理补贴是给一级、二级残疾人的。还不知道您的残疾等级，请看一下残疾人证。"]
    if level <= 2:
        return True, [f"您是{LEVEL_NAMES[level]}残疾，属于重度，符合护理补贴的等级要求。一般还要看是不是需要长期照护。"]
    notes = ["重度残疾人护理补贴现在主要给一级、二级残疾人。"]
    if region == SUIFENHE:
        notes.append(
            "绥芬河市的规划提到，条件允许时可以把护理补贴扩大到三、四级智力、精神残疾人或其他残疾人。"
            "这是今后的方向，还不是现在就能领。"
        )
        return (None if category in ("智力", "精神") else False), notes
    if region == LUCHENG:
        notes.append("潞城区的规划说要逐步扩大补贴对象范围，可以问一问区残联。")
    return False, notes


def _home_modification(region: str | None, level: int | None, household: str | None) -> tuple[bool | None, list[str]]:
    severe = level is not None and level <= 2
    poor = household in POOR_HOUSEHOLDS
    notes = ["家庭无障碍改造的重点是困难重度残疾人家庭，也就是家里生活困难、残疾等级是一级或二级。"]
    if region == SUIFENHE:
        notes.append(
            "绥芬河市的规划把农村困难重度残疾人家庭作为重点，也推进农村困难残疾人家庭和城市低保残疾人家庭的改造。"
        )
    elif region == LUCHENG:
        notes.append("潞城区的规划是按上级分配的名额，为重度残疾人家庭做无障碍改造。")
    if severe and poor:
        return True, notes
    if severe or poor or level is None:
        return None, notes
    return False, notes


def _assistive_devices(region: str | None, level: int | None, category: str | None) -> tuple[bool | None, list[str]]:
    notes = ["辅助器具适配是给有需要的残疾人的，比如轮椅、助听器、拐杖。"]
    if region == SUIFENHE:
        notes.append("绥芬河市的规划提到要推广基本型辅助器具，并制定辅助器具适配补贴政策。")
    elif region == LUCHENG:
        notes.append("潞城区的规划提到“福康工程”，为有需要的困难残疾人适配助听器、助视器、轮椅、腋杖等。")
    if level is None and category is None:
        notes.append("还不知道您的残疾类别和等级，请看一下残疾人证。")
        return None, notes
    return True, notes


def _child_rehab(region: str | None, age: float | None) -> tuple[bool | None, list[str]]:
    if region == LUCHENG:
        return None, ["潞城区的规划没有写康复救助的年龄范围。孩子这个年龄能不能申请，请问一问区残联。"]
    if region != SUIFENHE:
        return None, ["残疾儿童康复救助的年龄范围各地不一样。", _UNKNOWN_REGION]
    if age is None:
        return None, ["绥芬河市的规划写的是为0到6岁的残疾儿童提供康复救助。请告诉我孩子的出生日期。"]
    if age < 7:
        return True, ["绥芬河市的规划写的是为0到6岁的残疾儿童提供康复救助，孩子在这个年龄里。"]
    return False, [
        "绥芬河市的规划写的是0到6岁，孩子已经超过6岁了。规划也说以后会适时扩大救助年龄范围，可以问一问市残联。"
    ]


def precheck(
    benefit: str,
    *,
    region: str | None,
    level: int | None,
    category: str | None,
    household: str | None,
    child_age_years: float | None,
) -> PreCheck:
    """Pre-check one benefit. A level outside 1-4 counts as unknown; a negative child age is an error."""
    if benefit not in BENEFIT_NAMES:
        raise ValueError(f"unknown benefit: {benefit!r}")
    if child_age_years is not None and child_age_years < 0:
        raise ValueError("child_age_years must not be negative")
    region = canonical_region(region)
    level = level if level in (1, 2, 3, 4) else None
    category = category.removesuffix("残疾") if category else None
    if benefit == "living_subsidy":
        likely, notes = _living_subsidy(region, household)
    elif benefit == "care_subsidy":
        likely, notes = _care_subsidy(region, level, category)
    elif benefit == "home_modification":
        likely, notes = _home_modification(region, level, household)
    elif benefit == "assistive_devices":
        likely, notes = _assistive_devices(region, level, category)
    else:
        likely, notes = _child_rehab(region, child_age_years)
    if region is None and _UNKNOWN_REGION not in notes:
        notes.append(_UNKNOWN_REGION)
    return PreCheck(likely=likely, notes=[*notes, FINAL_DECISION])
