"""An address ends at its house number when what follows after a pause is a remark (a landmark, the disability), not
a number or a town (intake blind b8's address kind, tested in other words)."""

from __future__ import annotations

import pytest

from bot.rules.field_values import parse_place


@pytest.mark.parametrize(
    ("said", "stored"),
    [
        ("翟店镇西贾村四组12号 小卖部对门那家", "翟店镇西贾村四组12号"),
        ("绥芬河镇建华社区7号 俺是肢体二级", "绥芬河镇建华社区7号"),
        ("南马村 东头 3号 店上的", "店上镇南马村东头3号"),  # a town said last is not a remark
        ("合兴镇合兴村8号 3单元", "合兴镇合兴村8号3单元"),
    ],
)
def test_a_remark_after_the_house_number_is_not_stored(said: str, stored: str) -> None:
    assert parse_place(said, {}).value == stored
