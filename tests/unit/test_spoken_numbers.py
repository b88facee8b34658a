"""Spoken, typed and full-width numbers become plain ASCII digits; place-value words are not guessed."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.rules.spoken_numbers import digits_from_speech, extract_digit_run, has_place_value_words, read_number

SPOKEN = {
    "0": "0零〇洞",
    "1": "1一幺么",
    "2": "2二两",
    "3": "3三",
    "4": "4四",
    "5": "5五",
    "6": "6六",
    "7": "7七拐",
    "8": "8八",
    "9": "9九",
}
FULL_WIDTH = str.maketrans("0123456789X", "０１２３４５６７８９Ｘ")


@st.composite
def spoken(draw, digits: str) -> str:
    """One way a person (or an ASR engine) may say `digits`, with optional spaces or hyphens between digits."""
    parts = []
    for digit in digits:
        parts.append(draw(st.sampled_from(SPOKEN[digit])))
        parts.append(draw(st.sampled_from(["", "", "", " ", "-"])))
    return "".join(parts).strip(" -")


digit_strings = st.text(alphabet="0123456789", min_size=1, max_size=24)


@pytest.mark.parametrize(
    ("text", "digits"),
    [
        ("13800138000", "13800138000"),
        ("幺三八零零幺三八零零零", "13800138000"),
        ("我的电话是幺三八 零零幺三 八零零零", "13800138000"),
        ("电话是：138-0013-8000。", "13800138000"),
        ("手机号码 138.0013.8000", "13800138000"),
        ("嗯，号码是幺三八，零零幺三，八零零零", "13800138000"),
        ("１３８００１３８０００", "13800138000"),
        ("洞幺两三四五六拐八九", "0123456789"),
        ("我的身份证号是11010519491231002x", "11010519491231002X"),
        ("身份证号 一一零一零五一九四九一二三一零零二叉", "11010519491231002X"),
        ("11010519491231002艾克斯", "11010519491231002X"),
        ("+86 138 0013 8000", "8613800138000"),
        ("护\u200b理1234", ""),
    ],
)
def test_digits_from_speech(text: str, digits: str) -> None:
    assert digits_from_speech(text) == digits


@pytest.mark.parametrize(
    "text",
    ["一百三十八", "幺三八十", "两千零二十", "三个八", "我不知道", "", "电话是", "12X3X", "X", "138abc"],
)
def test_not_a_number_gives_empty_string(text: str) -> None:
    assert digits_from_speech(text) == ""


def test_place_value_words_are_detected() -> None:
    assert has_place_value_words("一百三十八")
    assert not has_place_value_words("幺三八")


@pytest.mark.parametrize(
    ("text", "run"),
    [
        ("电话错了，是幺三八零零幺三八零零零", "13800138000"),
        ("我是一级肢体残疾，电话138 0013 8000，谢谢", "13800138000"),
        ("最后四位是八零零零", "8000"),
        ("编号3827 5190", "38275190"),
        ("身份证是11010519491231002x对吧", "11010519491231002X"),
        ("怎么幺三八", None),  # 么 of 怎么 is not a 1, and 138 alone is too short
        ("要两个拐杖", None),
        ("一百三十八万", None),
        ("号码是幺三八零零十三八", None),  # a run touching 十 is ambiguous
        ("没有号码", None),
    ],
)
def test_extract_digit_run(text: str, run: str | None) -> None:
    assert extract_digit_run(text) == run


def test_longest_run_wins_and_ties_go_to_the_first() -> None:
    assert extract_digit_run("1949年出生，电话13800138000") == "13800138000"
    assert extract_digit_run("1234还是5678") == "1234"
    assert extract_digit_run("是138", min_length=3) == "138"


def test_read_number_takes_the_only_run_but_not_one_of_several() -> None:
    assert read_number("幺三八零零幺三八零零零") == "13800138000"
    assert read_number("电话错了，是幺三八零零幺三八零零零") == "13800138000"
    assert read_number("不是13800138000，是13900139000") == ""


@given(st.data(), digit_strings)
def test_spoken_round_trip(data: st.DataObject, digits: str) -> None:
    assert digits_from_speech(data.draw(spoken(digits))) == digits


@given(digit_strings)
def test_full_width_round_trip(digits: str) -> None:
    assert digits_from_speech(digits.translate(FULL_WIDTH)) == digits


@given(st.data(), st.text(alphabet="0123456789", min_size=4, max_size=20))
def test_run_found_inside_a_sentence(data: st.DataObject, digits: str) -> None:
    sentence = "电话错了，是" + data.draw(spoken(digits)) + "，谢谢。"
    assert extract_digit_run(sentence) == digits
    assert read_number(sentence) == digits


@given(
    st.text(alphabet="0123456789零一幺两三拐八九十百千万亿 -", max_size=10),
    st.sampled_from("十百千万亿"),
    st.text(alphabet="0123456789零一幺两三拐八九十百千万亿 -", max_size=10),
)
def test_place_value_words_never_become_digits(before: str, place: str, after: str) -> None:
    text = before + place + after
    assert digits_from_speech(text) == ""
    assert read_number(text) == ""  # every run here touches the place-value word
