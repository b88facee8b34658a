"""Out-of-scope questions point to 12345; two misunderstandings in a row offer a person."""

from __future__ import annotations

import pytest

from tests.conftest import joined_text, new_sender


@pytest.mark.stack
@pytest.mark.parametrize("text", ["今天天气怎么样", "帮我订一张去北京的火车票", "护照怎么办理"])
def test_out_of_scope_declines_politely_and_points_to_12345(chat, text) -> None:
    answer = joined_text(chat(new_sender(), text))
    assert "12345" in answer
    assert "回答不了" in answer


@pytest.mark.stack
def test_two_misunderstandings_in_a_row_hand_over_to_a_person(chat) -> None:
    sender = new_sender()
    first = chat(sender, "qwxz plmk vbnt").json()
    assert "没听懂" in first["messages"][0]["text"]
    assert any(b["payload"] == "/request_human" for b in first["messages"][0]["buttons"]), "人工客服 is offered"
    assert first["handoff"] is None
    second = chat(sender, "zzkq wpxr jjfh").json()
    assert "人工客服" in second["messages"][0]["text"]
    assert second["handoff"] is not None and second["handoff"]["priority"] == "normal"
