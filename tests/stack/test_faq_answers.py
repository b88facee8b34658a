"""Every FAQ topic, asked in each region, answers with that region's facts (real stack)."""

from __future__ import annotations

import pytest

from tests.conftest import joined_text, new_sender
from tests.knowledge import fact_cases

CASES = fact_cases()


@pytest.mark.stack
@pytest.mark.parametrize("case", CASES, ids=[f"{c['intent']}@{c['region']}" for c in CASES])
def test_topic_answer_has_the_regions_facts(chat, case) -> None:
    answer = joined_text(chat(new_sender(), case["question"]))
    for fact in case["expect"]:
        assert fact in answer, f"{case['question']!r} → {answer!r} lacks {fact!r}"
    for wrong in case.get("absent") or []:
        assert wrong not in answer, f"{case['question']!r} → {answer!r} must not say {wrong!r}"


@pytest.mark.stack
def test_every_topic_and_region_has_a_case() -> None:
    from tests.knowledge import faq_responses

    covered = {(c["intent"], c["region"]) for c in CASES}
    for key in faq_responses():
        intent = key.removeprefix("utter_")
        for region in ("绥芬河市", "潞城区"):
            assert (intent, region) in covered, f"no fact check for {intent} in {region}"


@pytest.mark.stack
def test_answers_are_short_plain_messages(chat) -> None:
    case = CASES[0]
    messages = chat(new_sender(), case["question"]).json()["messages"]
    assert len(messages) >= 2, "an answer is several short messages, one idea each"
    for message in messages:
        assert len(message["text"]) <= 160
        assert not any(mark in message["text"] for mark in ("**", "|", "##", "- "))
