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
