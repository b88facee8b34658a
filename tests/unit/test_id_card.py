"""Resident ID numbers (GB 11643-1999): structure, check character, plain-Chinese messages."""

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.rules.id_card import CHECK_CHARS, PROVINCE_CODES, WEIGHTS, id_check_digit, validate_id_number

TODAY = date(2024, 6, 1)
EXAMPLE = "11010519491231002X"  # the worked example of GB 11643-1999
SPOKEN = dict(zip("0123456789", ["洞", "幺", "两", "三", "四", "五", "六", "拐", "八", "九"], strict=True))
FULL_WIDTH = str.maketrans("0123456789X", "０１２３４５６７８９Ｘ")


def build_id(area: str, born: date, sequence: int) -> str:
    first17 = f"{area}{born:%Y%m%d}{sequence:03d}"
    return first17 + id_check_digit(first17)


areas = st.builds(
    lambda province, rest: province + rest,
    st.sampled_from(sorted(PROVINCE_CODES)),
    st.text(alphabet="0123456789", min_size=4, max_size=4),
)
past_dates = st.dates(min_value=date(1900, 1, 1), max_value=TODAY)
valid_ids = st.builds(build_id, areas, past_dates, st.integers(0, 999))


def test_weights_are_powers_of_two_mod_11() -> None:
    assert WEIGHTS == tuple(2 ** (17 - i) % 11 for i in range(17))
    assert CHECK_CHARS == "10X98765432"


def test_standard_example_is_valid() -> None:
    check = validate_id_number(EXAMPLE, today=TODAY)
    assert check.ok and check.problem is None
    assert check.value == EXAMPLE
    assert check.birth_date == date(1949, 12, 31)
    assert check.sex == "女"
    assert id_check_digit(EXAMPLE[:17]) == "X"


def test_default_today_is_used() -> None:
    assert validate_id_number(EXAMPLE).ok


@pytest.mark.parametrize("bad", ["1101051949123100", "1101051949123100a", "１" * 17, "110105194912310021"])
def test_id_check_digit_needs_17_ascii_digits(bad: str) -> None:
    with pytest.raises(ValueError):
        id_check_digit(bad)


def test_lower_case_x_spoken_and_full_width_forms_are_accepted() -> None:
    for text in [
        "11010519491231002x",
        "我的身份证号是11010519491231002X",
        "幺幺洞幺洞五幺九四九幺两三幺洞洞两叉",
        "110105 19491231 002X",
        EXAMPLE.translate(FULL_WIDTH),
    ]:
        check = validate_id_number(text, today=TODAY)
        assert check.ok, text
        assert check.value == EXAMPLE


def test_sex_comes_from_the_17th_digit() -> None:
    assert validate_id_number(build_id("231081", date(1990, 1, 1), 1), today=TODAY).sex == "男"
    assert validate_id_number(build_id("231081", date(1990, 1, 1), 2), today=TODAY).sex == "女"


def test_wrong_length_says_how_many_digits() -> None:
    check = validate_id_number(EXAMPLE[1:], today=TODAY)
    assert (check.ok, check.problem) == (False, "length")
    assert check.message == "身份证号应该是18位，您说的是17位。请再说一遍。"
    assert check.birth_date is None and check.sex is None


@pytest.mark.parametrize("text", ["", "不知道", "一百一十", "11010519491231002XX"])
def test_not_a_number_is_a_characters_problem(text: str) -> None:
    check = validate_id_number(text, today=TODAY)
    assert (check.ok, check.problem) == (False, "characters")
    assert check.message.endswith("再说一遍。")


def test_place_value_words_get_a_specific_hint() -> None:
    assert "不要说“十”“百”" in validate_id_number("一百一十零", today=TODAY).message


def test_x_only_allowed_last() -> None:
    first17 = "1101051949123100X"
    check = validate_id_number(first17 + "2", today=TODAY)
    assert check.problem == "characters"


@pytest.mark.parametrize(
    "province", ["00", "99", "10", "16", "20", "47", "55", "60", "66", "70", "72", "80", "84", "91"]
)
def test_unknown_province_is_an_area_problem(province: str) -> None:
    check = validate_id_number(build_id(province + "0105", date(1980, 5, 6), 12), today=TODAY)
    assert check.problem == "area"
    assert "开头两位" in check.message


@pytest.mark.parametrize("province", ["71", "81", "82", "83", "23", "14"])
def test_taiwan_hong_kong_macao_and_region_codes_are_accepted(province: str) -> None:
    assert validate_id_number(build_id(province + "0000", date(1980, 5, 6), 12), today=TODAY).ok


@pytest.mark.parametrize(
    ("birth", "reason"),
    [("19490230", "没有这个日子"), ("19491301", "没有这个日子"), ("18991231", "年份太早了"), ("20240602", "还没到")],
)
def test_bad_birth_dates(birth: str, reason: str) -> None:
    first17 = f"110105{birth}002"
    check = validate_id_number(first17 + id_check_digit(first17), today=TODAY)
    assert check.problem == "birth_date"
    assert check.message.startswith("出生日期那一段不对")
    assert reason in check.message


def test_born_today_and_on_1900_01_01_are_accepted() -> None:
    assert validate_id_number(build_id("110105", TODAY, 1), today=TODAY).ok
    assert validate_id_number(build_id("110105", date(1900, 1, 1), 1), today=TODAY).ok


def test_wrong_check_character() -> None:
    check = validate_id_number(EXAMPLE[:17] + "0", today=TODAY)
    assert check.problem == "check_digit"
    assert check.message == "最后一位校验位对不上，可能有一位数字听错了。请看着身份证核对后，再说一遍。"


def test_mod_11_catches_every_single_digit_substitution() -> None:
    """Exhaustive: a change d → d' at position i shifts the sum by w_i·(d'−d); 11 is prime, 0 < |d'−d| < 11, w_i ≠ 0."""
    for weight in WEIGHTS:
        for old in range(10):
            for new in range(10):
                if old != new:
                    assert (weight * (new - old)) % 11 != 0


@given(valid_ids)
def test_generated_ids_validate(id_number: str) -> None:
    check = validate_id_number(id_number, today=TODAY)
    assert check.ok, check.message
    assert check.value == id_number
    assert check.birth_date == date(int(id_number[6:10]), int(id_number[10:12]), int(id_number[12:14]))
    assert check.sex == ("男" if int(id_number[16]) % 2 else "女")


@given(valid_ids, st.integers(0, 17), st.sampled_from("0123456789X"))
def test_any_single_substitution_is_rejected(id_number: str, position: int, new: str) -> None:
    if new == id_number[position]:
        return
    changed = id_number[:position] + new + id_number[position + 1 :]
    assert not validate_id_number(changed, today=TODAY).ok


@given(valid_ids, st.integers(0, 15))
def test_adjacent_transpositions_in_the_first_17_are_rejected(id_number: str, position: int) -> None:
    a, b = id_number[position], id_number[position + 1]
    if a == b:
        return
    swapped = id_number[:position] + b + a + id_number[position + 2 :]
    assert not validate_id_number(swapped, today=TODAY).ok


@given(areas, st.dates(min_value=TODAY + timedelta(days=1), max_value=date(2199, 12, 31)), st.integers(0, 999))
def test_future_birth_dates_are_rejected(area: str, born: date, sequence: int) -> None:
    check = validate_id_number(build_id(area, born, sequence), today=TODAY)
    assert check.problem == "birth_date"


@given(valid_ids, st.sampled_from(["", "我的身份证号是", "身份证号码：", "嗯，身份证是"]), st.booleans())
def test_spoken_and_full_width_round_trip(id_number: str, lead_in: str, spaced: bool) -> None:
    spoken = (" " if spaced else "").join(SPOKEN.get(ch, "叉") for ch in id_number)
    expected = validate_id_number(id_number, today=TODAY)
    assert validate_id_number(lead_in + spoken, today=TODAY) == expected
    assert validate_id_number(id_number.translate(FULL_WIDTH), today=TODAY) == expected
    assert validate_id_number(id_number.lower(), today=TODAY) == expected
