"""Hand-over in the middle of an application through the real stack: asked for in words the NLU may not know, or
after the same question failed four times (never a stuck loop); a question whether something is covered is
answered, not taken for a complaint. Nothing is stored in either case."""

from __future__ import annotations

import pytest

from tests.stack.conversation import Conversation
from tests.stack.test_intake import count_for


def _chat(c: Conversation, text: str) -> dict:
    response = c.resident.chat(c.sender_id, text)
    assert response.status_code == 200, response.text
    return response.json()


@pytest.mark.stack
def test_asking_for_someone_to_fill_it_in_hands_over_and_stores_nothing(stack) -> None:
    before = count_for(stack)
    c = Conversation(stack.url)
    c.expect("我想给俺娘申请生活补贴", "同意吗")
    c.expect("同意", "姓名")
    body = _chat(c, "俺弄不明白 你们派个人来帮俺填吧")
    assert body.get("handoff"), body
    assert count_for(stack) == before


@pytest.mark.stack
def test_the_fourth_miss_of_one_question_hands_over(stack) -> None:
    c = Conversation(stack.url)
    c.expect("我要申请生活补贴", "同意吗")
    c.expect("同意", "给自己")
    c.expect("给自己", "姓名")
    c.expect("郝秀兰", "身份证号")
    replies = [_chat(c, "身份证找不着了") for _ in range(4)]
    assert not any(r.get("handoff") for r in replies[:3])
    assert "转人工" in " ".join(m["text"] for m in replies[1]["messages"])
    assert replies[3].get("handoff"), replies[3]


@pytest.mark.stack
def test_whether_a_cost_is_covered_is_a_question_not_a_complaint(stack) -> None:
    c = Conversation(stack.url)
    c.expect("我想给孩子申请康复救助", "同意吗")
    c.expect("同意", "姓名")
    body = _chat(c, "先问一句 孩子做康复住院费和路费管不管？")
    assert not body.get("handoff"), body
    assert "接着填" in " ".join(m["text"] for m in body["messages"])
