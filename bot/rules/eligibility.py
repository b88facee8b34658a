"""A friendly PRE-CHECK of whether a benefit is likely to fit, with plain-Chinese notes. It never refuses.

The rules are in config/benefits.yml (`precheck` of each benefit), each with its source in the plans: every rule
whose `when` holds adds its note, in order; the first that says `likely` decides it (True probably fits, False
probably not under the present rules, None cannot tell). The notes always end with FINAL_DECISION. No amounts.

A `when` names what it looks at: region, household, level (1–4 or "unknown"), category (视力 … 多重 or "unknown"),
age ({min, max} in whole years, or "unknown"; the applicant's age from the ID number or the child's birth date), or
any field of the application (a list of values).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from bot.rules.benefits import PrecheckRule, load_table
from bot.rules.disability_card import LEVEL_NAMES
from bot.rules.id_card import validate_id_number
from bot.rules.regions import canonical_region

FINAL_DECISION = "最终能不能办，以残联和民政部门审核为准。"
UNKNOWN_REGION = "不同地区的规定不完全一样，请告诉我您在绥芬河市还是潞城区。"
UNKNOWN = "unknown"


@dataclass(frozen=True)
class PreCheck:
    """likely: True / None (unsure) / False; notes: plain sentences, the last one is always FINAL_DECISION."""

    likely: bool | None
    notes: list[str] = field(default_factory=list)


def _holds(condition: Any, value: Any) -> bool:
    if condition == UNKNOWN:
        return value is None
    if isinstance(condition, dict):  # an age range: min ≤ value < max
        if value is None:
            return False
        return condition.get("min", 0) <= value < condition.get("max", 1000)
    if isinstance(condition, list):
        return (value is None and UNKNOWN in condition) or value in condition
    return value == condition


def _matches(rule: PrecheckRule, facts: dict[str, Any]) -> bool:
    return all(_holds(condition, facts.get(key)) for key, condition in rule.when.items())


def _age(record: dict[str, Any], today: date) -> int | None:
    born: date | None = None
    if record.get("child_birth_date"):
        born = date.fromisoformat(str(record["child_birth_date"]))
    else:
        check = validate_id_number(record.get("id_number") or "", today=today)
        born = check.birth_date if check.ok else None
    if born is None:
        return None
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


def applicant_age(record: dict[str, Any], today: date) -> int | None:
    """The applicant's age in whole years (the child's birth date, else the ID number), None when unknown."""
    return _age(record, today)


def age_holds(condition: Any, age: int | None) -> bool:
    """True when an age condition of a rule ({min, max} or "unknown") holds for `age`."""
    return _holds(condition, age)


def condition_holds(condition: Any, value: Any) -> bool:
    """True when one condition of a rule's `when` (a value, a list, a range or "unknown") holds for `value`."""
    return _holds(condition, value)


def evaluate(benefit: str, facts: dict[str, Any]) -> PreCheck:
    """Run a benefit's rules over prepared facts (region, household, level, category, age, fields)."""
    spec = load_table().benefit(benefit)
    if spec is None:
        raise ValueError(f"unknown benefit: {benefit!r}")
    likely: bool | None = None
    decided = False
    notes: list[str] = []
    values = {k: v for k, v in facts.items() if v is not None}
    values["level_name"] = LEVEL_NAMES.get(facts.get("level") or 0, "")
    for rule in spec.precheck:
        if not _matches(rule, facts):
            continue
        if rule.note:
            note = rule.note.format_map(_Blank(values))
            if note not in notes:
                notes.append(note)
        if rule.likely is not None and not decided:
            likely, decided = bool(rule.likely), True
    if facts.get("region") is None and UNKNOWN_REGION not in notes:
        notes.append(UNKNOWN_REGION)
    return PreCheck(likely=likely, notes=[*notes[:4], FINAL_DECISION])


class _Blank(dict):
    def __missing__(self, key: str) -> str:
        return ""


def precheck_for(
    benefit: str, record: dict[str, Any], *, level: int | None, category: str | None, today: date | None = None
) -> PreCheck:
    """Pre-check an application record (the card's level and category read from its number by the caller)."""
    facts = dict(record)
    facts.update(
        region=canonical_region(record.get("region")),
        level=level if level in (1, 2, 3, 4) else None,
        category=category.removesuffix("残疾") if category else None,
        age=_age(record, today or date.today()),
    )
    return evaluate(benefit, facts)


def precheck(
    benefit: str,
    *,
    region: str | None,
    level: int | None,
    category: str | None,
    household: str | None,
    child_age_years: float | None,
) -> PreCheck:
    """Pre-check from the main facts alone (a level outside 1-4 counts as unknown; a negative age is an error)."""
    if child_age_years is not None and child_age_years < 0:
        raise ValueError("child_age_years must not be negative")
    facts = {
        "region": canonical_region(region),
        "household": household,
        "level": level if level in (1, 2, 3, 4) else None,
        "category": category.removesuffix("残疾") if category else None,
        "age": child_age_years,
    }
    return evaluate(benefit, facts)


BENEFIT_NAMES = tuple(load_table().benefits)
