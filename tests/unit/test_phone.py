"""Phone numbers: mobile and landline grammars, spoken digits, plain-Chinese messages."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.rules.phone import validate_phone

SPOKEN = dict(zip("0123456789", ["洞", "幺", "两", "三", "四", "五", "六", "拐", "八", "九"], strict=True))
digits = st.text(alphabet="0123456789", min_size=1, max_size=1)
mobiles = st.builds(
    lambda second, rest: "1" + second + rest, st.sampled_from("3456789"), st.text("0123456789", min_size=9, max_size=9)
)
areas = st.one_of(
    st.just("010"),
    st.builds(lambda d: "02" + d, st.sampled_from("0123456789")),
    st.builds(lambda a, b: "0" + a + b, st.sampled_from("3456789"), st.text("0123456789", min_size=2, max_size=2)),
)
locals_ = st.builds(
    lambda first, rest: first + rest, st.sampled_from("23456789"), st.text("0123456789", min_size=6, max_size=7)
)


@pytest.mark.parametrize(
    ("text", "value", "kind"),
    [
        ("13800138000", "13800138000", "mobile"),
        ("我的手机号是幺三八 零零幺三 八零零零", "13800138000", "mobile"),
        ("+86 138-0013-8000", "13800138000", "mobile"),
        ("8613800138000", "13800138000", "mobile"),
        ("１３８００１３８０００", "13800138000", "mobile"),
        ("0453-3921234", "0453-3921234", "landline"),
        ("04533921234", "0453-3921234", "landline"),
        ("电话是洞三五五 五六七八九零幺", "0355-5678901", "landline"),
        ("010-62345678", "010-62345678", "landline"),
        ("02162345678", "021-62345678", "landline"),
    ],
)
def test_valid_numbers(text: str, value: str, kind: str) -> None:
    check = validate_phone(text)
    assert (check.ok, check.value, check.kind) == (True, value, kind)


@pytest.mark.parametrize(
    ("text", "hint"),
    [
        ("1380013800", "手机号应该是11位，以1开头，您说的是10位。"),
        ("138001380001", "您说的是12位"),
        ("12800138000", "第二位应该是3到9"),
        ("10800138000", "第二位应该是3到9"),
        ("0453-123456", "座机号应该先说区号"),
        ("0453-1234567", "座机号应该先说区号"),  # local numbers do not start with 1
        ("0086-13800138000", "座机号应该先说区号"),
        ("5678901", "手机号是11位"),
        ("幺三八十", "不要说“十”“百”"),
        ("我不知道", "没听清电话号码"),
        ("1380013800X", "只有数字"),
    ],
)
def test_invalid_numbers_say_what_is_wrong(text: str, hint: str) -> None:
    check = validate_phone(text)
    assert not check.ok and check.kind is None
    assert hint in check.message
    assert check.message.endswith("再说一遍。")


@given(mobiles, st.sampled_from(["", "+86", "86", "+86 "]), st.sampled_from(["", " ", "-"]))
def test_generated_mobiles_validate(mobile: str, prefix: str, sep: str) -> None:
    text = prefix + sep.join([mobile[:3], mobile[3:7], mobile[7:]])
    assert validate_phone(text) == validate_phone(mobile)
    check = validate_phone(text)
    assert (check.ok, check.value, check.kind) == (True, mobile, "mobile")


@given(mobiles)
def test_spoken_mobiles_validate(mobile: str) -> None:
    assert validate_phone("电话是" + "".join(SPOKEN[d] for d in mobile)).value == mobile


@given(areas, locals_, st.booleans())
def test_generated_landlines_validate(area: str, local: str, hyphen: bool) -> None:
    check = validate_phone(area + ("-" if hyphen else "") + local)
    assert (check.ok, check.value, check.kind) == (True, f"{area}-{local}", "landline")


@given(mobiles, st.integers(0, 10))
def test_dropping_a_digit_fails(mobile: str, position: int) -> None:
    assert not validate_phone(mobile[:position] + mobile[position + 1 :]).ok


@given(mobiles, st.integers(0, 11), digits)
def test_adding_a_digit_fails(mobile: str, position: int, extra: str) -> None:
    longer = mobile[:position] + extra + mobile[position:]
    assert not validate_phone(longer).ok


@given(mobiles)
def test_12_and_10_prefixes_fail(mobile: str) -> None:
    assert not validate_phone("12" + mobile[2:]).ok
    assert not validate_phone("10" + mobile[2:]).ok


@given(areas, locals_)
def test_landline_with_a_too_short_or_too_long_local_number_fails(area: str, local: str) -> None:
    assert not validate_phone(f"{area}-{local[:5]}").ok
    assert not validate_phone(f"{area}-{local}123").ok
