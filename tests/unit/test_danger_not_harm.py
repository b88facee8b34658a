"""Words that look like danger but are not (no false emergencies): a card lost is not a person lost, phoning several
times is not a blow. Development examples written for these tests, not from tests/blind/."""

from __future__ import annotations

import pytest

from bot.rules.complaints import tells_of_harm
from bot.rules.danger import assess


@pytest.mark.parametrize("text", ["我证丢了怎么办", "俺 卡 丢了 咋补", "他本丢了 能补吗", "我钱包丢了"])
def test_a_lost_card_or_book_is_not_a_missing_person(text: str) -> None:
    assert assess(text) is None


@pytest.mark.parametrize("text", ["俺娃丢了", "我儿子 丢了", "老人丢了 快帮帮忙"])
def test_a_lost_person_still_is(text: str) -> None:
    found = assess(text)
    assert found is not None and found.kind == "missing"


@pytest.mark.parametrize(
    "text", ["打了好几次电话都没人管 我要投诉", "俺打了三回热线 没人接", "打了一上午电话 占线", "打了他们电话也不接"]
)
def test_phoning_again_and_again_is_not_harm(text: str) -> None:
    assert not tells_of_harm(text)
    assert assess(text) is None


@pytest.mark.parametrize("text", ["护工打了我弟弟 胳膊青了 我要投诉", "康复老师打得孩子直哭", "养老院的人动手推倒俺妈"])
def test_someone_hit_is_still_harm_in_a_complaint(text: str) -> None:
    assert tells_of_harm(text)
