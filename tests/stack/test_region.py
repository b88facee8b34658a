"""The region is taken from the question, or asked once when the answer differs, then remembered."""

from __future__ import annotations

import pytest

from bot.rules.regions import REGIONS
from tests.conftest import joined_text, new_sender
from tests.knowledge import question_without_region, region_dependent_faqs, variation_for


def _last_message(faq_key: str, region: str) -> str:
    """The region's own last paragraph (said after the region is known; the hotline placeholder left out)."""
    return variation_for(faq_key, region)["text"].split("\n\n")[-1].split("{")[0].strip()


def _asks_region(messages: list[dict]) -> bool:
    last = messages[-1]
    return "哪里" in last["text"] and {b["title"] for b in last["buttons"]} == set(REGIONS)


_question = question_without_region


@pytest.mark.stack
def test_region_is_asked_once_then_remembered(chat) -> None:
    sender = new_sender()
    dependent = region_dependent_faqs()
    assert len(dependent) >= 2, "the plans differ on several topics"
    first, second = dependent[0], dependent[1]

    asked = chat(sender, _question(first)).json()["messages"]
    assert _asks_region(asked), asked

    answer = joined_text(chat(sender, "潞城区"))
    assert _last_message(first, "潞城区") in answer

    again = chat(sender, _question(second)).json()["messages"]
    assert not _asks_region(again) and _last_message(second, "潞城区") in "\n".join(m["text"] for m in again), (
        "the region is remembered"
    )


@pytest.mark.stack
def test_region_button_payload_answers_the_pending_question(chat) -> None:
    sender = new_sender()
    faq_key = region_dependent_faqs()[-1]
    chat(sender, _question(faq_key))
    answer = joined_text(chat(sender, '/inform_region{"region": "绥芬河市"}'))
    assert _last_message(faq_key, "绥芬河市") in answer


@pytest.mark.stack
def test_region_named_in_the_question_is_used_without_asking(chat) -> None:
    faq_key = region_dependent_faqs()[0]
    answer = chat(new_sender(), "我在绥芬河，" + _question(faq_key)).json()["messages"]
    assert not _asks_region(answer) and _last_message(faq_key, "绥芬河市") in "\n".join(m["text"] for m in answer)


@pytest.mark.stack
def test_unknown_region_gets_each_plans_own_points_without_asking(chat) -> None:
    """An answer that fits everyone but whose plans differ (not `ask_region`): both plans' points, named, at once."""
    from actions.answers import both_regions
    from bot.rules.routing import load_routing
    from tests.knowledge import faq_responses

    told = [k for k, v in faq_responses().items() if both_regions(v, load_routing())]
    faq_key = told[0].removeprefix("utter_")
    sender = new_sender()
    response = chat(sender, _question(faq_key))
    offered = [b for m in response.json()["messages"] for b in m.get("buttons") or [] if faq_key in b["payload"]]
    if offered:  # the model was unsure and offered topics: the resident presses this one
        response = chat(sender, offered[0]["payload"])
    messages = response.json()["messages"]
    text = joined_text(response)
    assert "绥芬河" in text and "潞城" in text and not _asks_region(messages), text


@pytest.mark.stack
@pytest.mark.parametrize("text", ["俺爹二级残疾 护理的那个补贴他能领不", "机动轮椅车燃油补贴外地户口能办不"])
def test_asking_whether_a_benefit_applies_gets_the_answer_not_the_form(chat, text) -> None:
    answer = joined_text(chat(new_sender(), text))
    assert "同意吗" not in answer and "申请编号" not in answer, answer
    assert "补贴" in answer, answer
