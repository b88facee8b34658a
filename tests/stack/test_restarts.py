"""Faults: Rasa or the action server down → 503 with the hotlines; a Rasa restart keeps the conversation."""

from __future__ import annotations

import httpx
import pytest

from tests.conftest import new_sender
from tests.knowledge import question_without_region, region_dependent_faqs, variation_for

_question_without_region = question_without_region


@pytest.mark.stack
def test_rasa_restart_mid_conversation_continues_it(stack, chat) -> None:
    sender = new_sender()
    faq_key = region_dependent_faqs()[0]
    asked = chat(sender, _question_without_region(faq_key)).json()["messages"]
    assert "哪里" in asked[-1]["text"]

    stack.stop_one("rasa")
    down = chat(sender, "潞城区")
    assert down.status_code == 503
    assert "12385" in down.json()["detail"] and "12345" in down.json()["detail"]
    ready = httpx.get(f"{stack.url}/readyz")
    assert ready.status_code == 503 and ready.json()["down"] == ["rasa"]

    stack.start_rasa()
    stack.wait_ready()
    answer = "\n".join(m["text"] for m in chat(sender, "潞城区").json()["messages"])
    lucheng = variation_for(faq_key, "潞城区")["text"].split("\n\n")[-1].split("{")[0].strip()
    assert lucheng in answer, "the pending question survived the restart"


@pytest.mark.stack
def test_action_server_down_gives_503_with_hotlines(stack, chat) -> None:
    stack.stop_one("actions")
    try:
        response = chat(new_sender(), "我在潞城区，怎么办残疾人证")
        assert response.status_code == 503
        assert response.json()["down"] == "action_server"
        assert "12385" in response.json()["detail"]
        assert httpx.get(f"{stack.url}/readyz").json()["down"] == ["action_server"]
    finally:
        stack.start_actions()
        stack.wait_ready()
    assert chat(new_sender(), "我在潞城区，怎么办残疾人证").status_code == 200
