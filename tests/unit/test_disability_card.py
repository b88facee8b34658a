"""Disability certificate numbers: ID part + category + level, read back in plain Chinese."""

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.rules.disability_card import CATEGORIES, LEVEL_NAMES, describe_card, is_severe, validate_disability_card
from bot.rules.id_card import PROVINCE_CODES, id_check_digit

TODAY = date(2024, 6, 1)
ID = "11010519491231002X"
SPOKEN = dict(zip("0123456789X", ["洞", "幺", "两", "三", "四", "五", "六", "拐", "八", "九", "叉"], strict=True))


def build_id(area: str, born: date, sequence: int) -> str:
    first17 = f"{area}{born:%Y%m%d}{sequence:03d}"
    return first17 + id_check_digit(first17)


valid_ids = st.builds(
    build_id,
    st.builds(
        lambda p, r: p + r, st.sampled_from(sorted(PROVINCE_CODES)), st.text("0123456789", min_size=4, max_size=4)
    ),
    st.dates(min_value=date(1900, 1, 1), max_value=TODAY),
    st.integers(0, 999),
)


def test_example_card_reads_back() -> None:
    check = validate_disability_card(ID + "42", id_number=ID, today=TODAY)
    assert check.ok and check.problem is None
    assert (check.value, check.category, check.level, check.level_name) == (ID + "42", "肢体", 2, "二级")
    assert check.message == "残疾人证号核对好了，是肢体残疾二级。"


def test_lower_case_x_spoken_and_spaced_forms() -> None:
    spoken = "".join(SPOKEN[ch] for ch in ID + "42")
    for text in [ID.lower() + "42", "我的残疾人证号是" + spoken, f"{ID[:6]} {ID[6:14]} {ID[14:]} 42"]:
        assert validate_disability_card(text, id_number=ID, today=TODAY).value == ID + "42"


@pytest.mark.parametrize(("category", "level", "text"), [("肢体", 2, "肢体残疾二级"), ("智力残疾", 4, "智力残疾四级")])
def test_describe_card(category: str, level: int, text: str) -> None:
    assert describe_card(category, level) == text


@pytest.mark.parametrize(("category", "level"), [("腿", 1), ("视力", 0), ("视力", 5)])
def test_describe_card_rejects_unknown_values(category: str, level: int) -> None:
    with pytest.raises(ValueError):
        describe_card(category, level)


def test_is_severe() -> None:
    assert [is_severe(level) for level in (1, 2, 3, 4)] == [True, True, False, False]
    with pytest.raises(ValueError):
        is_severe(5)


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("", "characters"),
        ("二十", "characters"),
        (ID + "4", "length"),
        (ID + "421", "length"),
        (ID[:17] + "0" + "42", "id_part"),  # wrong check character in the ID part
        ("110105194902300021" + "42", "id_part"),  # 2月30日
        (ID + "02", "category"),
        (ID + "82", "category"),
        (ID + "40", "level"),
        (ID + "45", "level"),
        (ID + "4X", "characters"),
    ],
)
def test_problems(text: str, problem: str) -> None:
    check = validate_disability_card(text, today=TODAY)
    assert (check.ok, check.problem) == (False, problem)
    assert check.category is None and check.level is None
    assert check.message.endswith("再说一遍。")


def test_messages_name_the_wrong_part() -> None:
    assert "您说的是19位" in validate_disability_card(ID + "4", today=TODAY).message
    assert "前18位就是身份证号" in validate_disability_card(ID[:17] + "042", today=TODAY).message
    assert "残疾类别" in validate_disability_card(ID + "92", today=TODAY).message
    assert "残疾等级" in validate_disability_card(ID + "49", today=TODAY).message


def test_mismatched_id_number() -> None:
    other = build_id("231081", date(1990, 1, 1), 12)
    check = validate_disability_card(ID + "42", id_number=other, today=TODAY)
    assert check.problem == "id_mismatch"
    assert "前18位必须和身份证号一样" in check.message
    # the ID slot may hold a lower-case or spoken form of the same number
    assert validate_disability_card(ID + "42", id_number=ID.lower(), today=TODAY).ok


@given(valid_ids, st.sampled_from(sorted(CATEGORIES)), st.integers(1, 4))
def test_every_category_and_level_validates_and_reads_back(id_number: str, code: str, level: int) -> None:
    check = validate_disability_card(id_number + code + str(level), id_number=id_number, today=TODAY)
    assert check.ok, check.message
    assert (check.category, check.level, check.level_name) == (CATEGORIES[code], level, LEVEL_NAMES[level])
    assert describe_card(check.category, check.level) == f"{CATEGORIES[code]}残疾{LEVEL_NAMES[level]}"
    assert describe_card(check.category, check.level) in check.message
    assert is_severe(level) == (level <= 2)


@given(valid_ids, valid_ids, st.sampled_from(sorted(CATEGORIES)), st.integers(1, 4))
def test_another_persons_id_is_a_mismatch(id_number: str, other: str, code: str, level: int) -> None:
    check = validate_disability_card(id_number + code + str(level), id_number=other, today=TODAY)
    assert check.ok == (id_number == other)
    if id_number != other:
        assert check.problem == "id_mismatch"


@given(valid_ids, st.sampled_from("089"), st.sampled_from("0156789"))
def test_bad_category_or_level_fails(id_number: str, code: str, level: str) -> None:
    assert validate_disability_card(id_number + code + level, today=TODAY).problem in ("category", "level")


@given(valid_ids, st.sampled_from(sorted(CATEGORIES)), st.integers(1, 4))
def test_spoken_round_trip(id_number: str, code: str, level: int) -> None:
    number = id_number + code + str(level)
    spoken = "".join(SPOKEN[ch] for ch in number)
    assert validate_disability_card(spoken, today=TODAY) == validate_disability_card(number, today=TODAY)
