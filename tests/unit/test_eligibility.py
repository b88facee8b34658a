"""The eligibility pre-check: never refuses, follows the plans' wording, always ends with who decides."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.rules.eligibility import BENEFIT_NAMES, FINAL_DECISION, PreCheck, precheck
from bot.rules.regions import LUCHENG, SUIFENHE

HOUSEHOLDS = ["低保", "低保边缘", "特困", "无", None]
CATEGORIES = ["视力", "听力", "言语", "肢体", "智力", "精神", "多重", None]


def check(benefit: str, **kwargs) -> PreCheck:
    args = {"region": SUIFENHE, "level": None, "category": None, "household": None, "child_age_years": None}
    return precheck(benefit, **{**args, **kwargs})


@pytest.mark.parametrize(
    ("household", "region", "likely"),
    [("低保", SUIFENHE, True), ("特困", LUCHENG, True), ("低保边缘", SUIFENHE, None), ("低保边缘", LUCHENG, None),
     ("无", SUIFENHE, None), (None, LUCHENG, None)],
)  # fmt: skip
def test_living_subsidy(household: str | None, region: str, likely: bool | None) -> None:
    assert check("living_subsidy", household=household, region=region).likely is likely


def test_living_subsidy_low_income_edge_follows_the_suifenhe_plan() -> None:
    notes = check("living_subsidy", household="低保边缘", region=SUIFENHE).notes
    assert "条件允许" in notes[0] and "低保边缘" in notes[0]


@pytest.mark.parametrize(("level", "likely"), [(1, True), (2, True), (3, False), (4, False), (None, None)])
def test_care_subsidy_by_level(level: int | None, likely: bool | None) -> None:
    assert check("care_subsidy", level=level, category="肢体", region=LUCHENG).likely is likely


@pytest.mark.parametrize("category", ["智力", "精神", "智力残疾"])
def test_suifenhe_direction_for_level_3_and_4_intellectual_and_mental(category: str) -> None:
    result = check("care_subsidy", level=3, category=category, region=SUIFENHE)
    assert result.likely is None
    assert any("三、四级智力、精神残疾人" in note and "方向" in note for note in result.notes)


def test_care_subsidy_direction_is_not_an_entitlement_elsewhere() -> None:
    assert check("care_subsidy", level=4, category="智力", region=LUCHENG).likely is False
    assert check("care_subsidy", level=3, category="肢体", region=SUIFENHE).likely is False


@pytest.mark.parametrize(
    ("level", "household", "likely"),
    [(1, "低保", True), (2, "特困", True), (1, "无", None), (3, "低保", None), (None, "低保", None), (3, "无", False)],
)
def test_home_modification_targets_poor_severe_families(level: int | None, household: str, likely: bool | None) -> None:
    assert check("home_modification", level=level, household=household).likely is likely


def test_assistive_devices() -> None:
    assert check("assistive_devices", level=3, category="视力").likely is True
    assert check("assistive_devices").likely is None
    assert any("福康工程" in note for note in check("assistive_devices", region=LUCHENG, level=2).notes)


@pytest.mark.parametrize(
    ("age", "likely"), [(0.0, True), (3.5, True), (6.9, True), (7.0, False), (12, False), (None, None)]
)
def test_child_rehab_in_suifenhe_is_0_to_6(age: float | None, likely: bool | None) -> None:
    assert check("child_rehab", child_age_years=age, region=SUIFENHE).likely is likely


@pytest.mark.parametrize("age", [None, 2, 10, 17])
def test_child_rehab_in_lucheng_has_no_stated_age_range(age: float | None) -> None:
    result = check("child_rehab", child_age_years=age, region=LUCHENG)
    assert result.likely is None
    assert "没有写" in result.notes[0]


def test_unknown_region_is_said() -> None:
    result = check("care_subsidy", level=1, region=None)
    assert result.likely is True
    assert any("绥芬河市还是潞城区" in note for note in result.notes)
    assert check("care_subsidy", level=1, region="绥芬河").notes == check("care_subsidy", level=1).notes


def test_bad_arguments() -> None:
    with pytest.raises(ValueError):
        check("pension")
    with pytest.raises(ValueError):
        check("child_rehab", child_age_years=-1)
    assert check("care_subsidy", level=9).likely is None  # an impossible level counts as unknown


@given(
    st.sampled_from(BENEFIT_NAMES),
    st.sampled_from([SUIFENHE, LUCHENG, None, "北京"]),
    st.sampled_from([1, 2, 3, 4, None]),
    st.sampled_from(CATEGORIES),
    st.sampled_from(HOUSEHOLDS),
    st.one_of(st.none(), st.floats(0, 18)),
)
def test_every_result_ends_with_who_decides(benefit, region, level, category, household, age) -> None:
    result = precheck(benefit, region=region, level=level, category=category, household=household, child_age_years=age)
    assert result.likely in (True, False, None)
    assert result.notes[-1] == FINAL_DECISION
    assert result.notes.count(FINAL_DECISION) == 1
    assert 2 <= len(result.notes) <= 5  # the gateway stores at most 10
    assert all(note.endswith("。") for note in result.notes)
    assert not any("元" in note for note in result.notes)  # never state amounts
