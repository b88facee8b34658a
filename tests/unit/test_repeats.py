"""Told twice that the answer was wrong → a person; the hand-over is routed by the topic the bot last understood
(development examples, not from tests/blind/)."""

from __future__ import annotations

from actions.repeats import RESTATEMENTS_BEFORE_HANDOVER, handover_topic, times_asked_in_a_row, times_told_wrong


def _user(text: str, key: str | None = None, intent: str = "faq") -> dict:
    selector = {"faq": {"response": {"intent_response_key": key, "confidence": 0.9}}} if key else {}
    return {"event": "user", "text": text, "parse_data": {"intent": {"name": intent}, "response_selector": selector}}


def test_two_not_what_i_asked_hand_over() -> None:
    events = [_user("燃油补贴咋领", "faq/a"), _user("不对 俺问的是三轮车加油的钱", "faq/b")]
    assert times_told_wrong(events) == 1
    events.append(_user("不是这个 是油钱", "faq/c"))
    assert times_told_wrong(events) == 2
    assert times_asked_in_a_row(events, "faq/c") > RESTATEMENTS_BEFORE_HANDOVER


def test_spaced_words_and_a_hand_over_in_between() -> None:
    events = [_user("不 对。 不是 这个"), {"event": "action", "name": "action_escalate"}, _user("错了 是上学")]
    assert times_told_wrong(events) == 1, "what was said before the last hand-over has been dealt with"
    assert times_told_wrong([_user("护理补贴咋申请", "faq/a")]) == 0


def test_only_the_last_few_messages_count() -> None:
    events = [_user("不对"), *[_user(f"问题{i}", "faq/a") for i in range(4)], _user("不对 是托养")]
    assert times_told_wrong(events) == 1


def _parsed(key: str, confidence: float, intent: str = "faq") -> dict:
    ranking = [
        {"intent_response_key": key, "confidence": confidence},
        {"intent_response_key": "faq/x", "confidence": 0.0},
    ]
    selector = {"faq": {"response": {"intent_response_key": key, "confidence": confidence}, "ranking": ranking}}
    e5 = {"labels": [["faq/other", 0.9], [key, 0.89]], "in_domain": 0.9}  # the nearest example names another topic
    parse = {"intent": {"name": intent}, "response_selector": selector, "e5": e5}
    return {"event": "user", "text": "…", "parse_data": parse}


def test_a_hand_over_is_routed_by_the_topic_last_understood() -> None:
    understood, guessed = _parsed("faq/nursing_subsidy", 0.95), _parsed("faq/housing", 0.3, "request_human")
    assert handover_topic([understood, guessed]) == "faq/nursing_subsidy"
    assert handover_topic([guessed]) is None, "nothing understood: the caller falls back on the selector's guess"
    assert handover_topic([understood, _parsed("faq/housing", 0.97, "complaint")]) == "faq/housing"
