"""A resident who doubts the answer ("不对吧") is offered the question's other likely topics (actions/doubts.py)."""

from __future__ import annotations

from typing import Any

import pytest

from actions.doubts import MAX_CHOICES, doubted_alternatives, only_doubt

KNOWN = {"faq/severe_care_subsidy", "faq/living_subsidy", "faq/two_subsidies", "faq/elderly_care", "faq/rehab"}


def _user(text: str, intent: str = "faq", chosen: str | None = None, ranking: list[str] | None = None) -> dict:
    parse: dict[str, Any] = {"intent": {"name": intent}, "text": text}
    if chosen:
        parse["response_selector"] = {
            "faq": {
                "response": {"intent_response_key": chosen, "confidence": 0.6},
                "ranking": [{"intent_response_key": k, "confidence": 0.1} for k in ranking or [chosen]],
            }
        }
    return {"event": "user", "text": text, "parse_data": parse}


def _button(key: str) -> dict:
    parse = {"intent": {"name": "choose_faq"}, "entities": [{"entity": "faq_topic", "value": key}]}
    return {"event": "user", "text": f'/choose_faq{{"faq_topic": "{key}"}}', "parse_data": parse}


RANKED = ["faq/severe_care_subsidy", "faq/living_subsidy", "faq/unknown_key", "faq/two_subsidies", "faq/elderly_care"]
QUESTION = _user("老人起不来炕 护理的钱咋领", chosen="faq/severe_care_subsidy", ranking=RANKED)
BOT = {"event": "bot", "text": "重度残疾人护理补贴……"}


@pytest.mark.parametrize("text", ["不对吧", "不是这个", "你说的不对", "我问的不是这个", "不对不对，错了", "答非所问啊"])
def test_a_bare_doubt_is_only_a_doubt(text: str) -> None:
    assert only_doubt(text)


@pytest.mark.parametrize("text", ["不是这个，我问的是低保", "不对 俺说的是残疾证咋办", "护理补贴", "没有", "好的", ""])
def test_a_message_with_its_own_question_or_no_doubt_is_not(text: str) -> None:
    assert not only_doubt(text)


def test_the_doubted_question_offers_its_other_likely_topics_without_the_answered_one() -> None:
    events = [QUESTION, BOT, _user("不对吧", intent="deny")]
    offered = doubted_alternatives(events, KNOWN)
    assert offered == ["faq/living_subsidy", "faq/two_subsidies", "faq/elderly_care"]
    assert len(offered) <= MAX_CHOICES and "faq/unknown_key" not in offered


def test_the_region_answer_and_a_pressed_topic_are_looked_past() -> None:
    region = _user("绥芬河", intent="inform_region")
    events = [QUESTION, BOT, region, BOT, _user("不是这个", chosen="faq/rehab", ranking=["faq/rehab"])]
    assert doubted_alternatives(events, KNOWN)[0] == "faq/living_subsidy"
    pressed = [QUESTION, BOT, _button("faq/living_subsidy"), BOT, _user("不对", intent="deny")]
    assert doubted_alternatives(pressed, KNOWN) == ["faq/severe_care_subsidy", "faq/two_subsidies", "faq/elderly_care"]


def test_nothing_to_offer_without_an_earlier_question_or_with_a_new_one() -> None:
    assert doubted_alternatives([_user("不对吧", intent="deny")], KNOWN) == []
    assert doubted_alternatives([_user("你好", intent="greet"), BOT, _user("不对", intent="deny")], KNOWN) == []
    assert doubted_alternatives([QUESTION, BOT, _user("不对，我问的是低保")], KNOWN) == []
    assert doubted_alternatives([], KNOWN) == []
