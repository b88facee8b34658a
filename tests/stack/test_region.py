"""The region is taken from the question, or asked once when the answer differs, then remembered."""

from __future__ import annotations

import pytest

from tests.conftest import joined_text, new_sender
from tests.knowledge import faq_responses, question_without_region, region_dependent_faqs


def _text_for(faq_key: str, region: str) -> str:
    for variation in faq_responses()[faq_key]:
        conditions = variation.get("condition") or []
        if any(c.get("value") == region for c in conditions) or not conditions:
            return variation["text"]
    raise AssertionError(f"no variation of {faq_key} for {region}")


def _first_message(faq_key: str, region: str) -> str:
    return _text_for(faq_key, region).split("\n\n")[0].strip()


_question = question_without_region


@pytest.mark.stack
def test_region_is_asked_once_then_remembered(chat) -> None:
    sender = new_sender()
    dependent = region_dependent_faqs()
    assert len(dependent) >= 2, "the plans differ on several topics"
    first, second = dependent[0], dependent[1]

    asked = chat(sender, _question(first)).json()["messages"]
    assert "哪里" in asked[0]["text"]
    assert {b["title"] for b in asked[0]["buttons"]} == {"绥芬河市", "潞城区"}

    answer = joined_text(chat(sender, "潞城区"))
    assert _first_message(first, "潞城区") in answer

    again = joined_text(chat(sender, _question(second)))
    assert _first_message(second, "潞城区") in again, "the region is remembered"


@pytest.mark.stack
def test_region_button_payload_answers_the_pending_question(chat) -> None:
    sender = new_sender()
    faq_key = region_dependent_faqs()[-1]
    chat(sender, _question(faq_key))
    answer = joined_text(chat(sender, '/inform_region{"region": "绥芬河市"}'))
    assert _first_message(faq_key, "绥芬河市") in answer


@pytest.mark.stack
def test_region_named_in_the_question_is_used_without_asking(chat) -> None:
    faq_key = region_dependent_faqs()[0]
    answer = joined_text(chat(new_sender(), "我在绥芬河，" + _question(faq_key)))
    assert _first_message(faq_key, "绥芬河市") in answer
