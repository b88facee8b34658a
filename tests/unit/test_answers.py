"""The answer for a resident whose region is not known yet (actions/answers.both_regions): each plan's own points,
named by region, when they are short — checked against every FAQ answer's fact check (tests/data/faq_cases.yml)."""

from __future__ import annotations

from actions.answers import MAX_MESSAGE_CHARS, both_regions, choose_variation
from bot.rules.routing import load_routing
from tests.knowledge import fact_cases, faq_responses


def _told(faq_key: str) -> list[str] | None:
    return both_regions(faq_responses()[f"utter_{faq_key}"], load_routing())


def test_most_answers_tell_both_plans_when_the_region_is_unknown() -> None:
    told = [key for key in faq_responses() if _told(key.removeprefix("utter_"))]
    assert len(told) >= 30


def test_both_plans_are_named_and_the_messages_stay_short() -> None:
    for key in faq_responses():
        messages = _told(key.removeprefix("utter_")) or []
        text = "\n".join(messages)
        assert not messages or ("绥芬河" in text and "潞城" in text), key
        assert all(len(m) <= MAX_MESSAGE_CHARS and "{" not in m for m in messages), key


def test_answers_that_ask_the_region_are_left_alone() -> None:
    for key, variations in faq_responses().items():
        common = choose_variation(variations, None)
        if common is None or (common.get("metadata") or {}).get("ask_region"):
            assert _told(key.removeprefix("utter_")) is None, key


def test_the_unknown_region_answer_keeps_its_facts() -> None:
    for case in fact_cases():
        messages = None if case.get("region") else _told(case["intent"])
        if not messages:
            continue
        text = "\n".join(messages)
        assert all(fact in text for fact in case["expect"]), (case["intent"], text)
        assert not any(w in text for w in (case.get("absent") or []) + (case.get("overstated") or [])), case["intent"]
