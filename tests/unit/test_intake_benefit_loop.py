"""The question "which benefit?" never loops: told it got it wrong, or missed twice, the form hands over to a
person; a benefit named, a question about one, or a choice between two is no miss."""

from __future__ import annotations

from tests.unit.test_intake_dialogue import Chat


def opened(text: str = "俺想办个事") -> Chat:
    chat = Chat()
    chat.say(text, "apply")
    assert chat.asking == "benefit", chat.last.messages
    return chat


def test_told_it_got_it_wrong_hands_over() -> None:
    chat = opened()
    chat.say("就是那个 你们给的那个")
    assert chat.last.outcome != "handover" and chat.asking == "benefit"
    reply = chat.say("你咋老是听不懂俺说话呢")
    assert chat.last.outcome == "handover", reply


def test_a_first_no_that_is_not_it_hands_over_at_once() -> None:
    chat = opened()
    reply = chat.say("不对 不是你说的这些")
    assert chat.last.outcome == "handover", reply


def test_the_second_miss_hands_over() -> None:
    chat = opened()
    chat.say("嗯 就那个")
    assert chat.last.outcome != "handover" and chat.asking == "benefit"
    second = chat.say("那个那个 俺也说不上来")
    assert chat.last.outcome == "handover", second


def test_naming_a_benefit_after_a_miss_goes_on() -> None:
    chat = opened()
    chat.say("就那个")
    chat.say("护理补贴")
    assert chat.last.outcome != "handover" and chat.asking == "pi_consent"
