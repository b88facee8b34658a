import pytest

from voice.normalize import normalize_for_speech, read_digits, read_quantity


@pytest.mark.parametrize(
    ("text", "spoken"),
    [
        ("请拨打12385", "请拨打幺二三八五"),
        ("或者12345热线", "或者幺二三四五热线"),
        ("马上打110、120或119", "马上打幺幺零、幺二零或幺幺九"),
        ("2025年", "二零二五年"),
        ("适配率85%", "适配率百分之八十五"),
        ("16-59周岁", "十六到五十九周岁"),
        ("0-6岁", "零到六岁"),
        ("6个月", "六个月"),
        ("电话13800138000", "电话幺三八，零零幺三，八零零零"),
    ],
)
def test_numbers_are_spoken_the_hotline_way(text, spoken) -> None:
    assert normalize_for_speech(text) == spoken


def test_id_numbers_are_read_in_groups_with_x() -> None:
    assert normalize_for_speech("23108119900101001X") == "二三幺零，八幺幺九，九零零幺，零幺零零，幺叉"


@pytest.mark.parametrize(
    ("number", "words"), [(10, "十"), (16, "十六"), (105, "一百零五"), (2000, "两千"), (59, "五十九")]
)
def test_quantities(number, words) -> None:
    assert read_quantity(number) == words


def test_digits() -> None:
    assert read_digits("12385") == "幺二三八五"
    assert read_digits("2025", phone_style=False) == "二零二五"
