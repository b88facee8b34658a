import pytest

from bot.rules.regions import LUCHENG, SUIFENHE, canonical_region, detect_region


@pytest.mark.parametrize(
    ("text", "region"),
    [
        ("我在绥芬河", SUIFENHE),
        ("绥芬河市的护理补贴", SUIFENHE),
        ("随芬河", SUIFENHE),
        ("长治市潞城区", LUCHENG),
        ("我是潞城的", LUCHENG),
        ("路城区", LUCHENG),
        ("北京", None),
        ("绥芬河和潞城有什么不同", None),
        ("", None),
        (None, None),
    ],
)
def test_detect_region(text, region) -> None:
    assert detect_region(text) == region


def test_canonical_region_accepts_slot_values_and_short_names() -> None:
    assert canonical_region("潞城区") == LUCHENG
    assert canonical_region("绥芬河") == SUIFENHE
    assert canonical_region("上海") is None
