"""Danger the rules let through still gets the numbers first (actions/safety_net.py): messages that sound like an
injury, smoke or self-harm in words the danger rules do not list are answered with 110/120/119 — 12356 for
self-harm — before anything else; an ordinary question is not. (Should the rules learn one of these phrasings, the
gateway hands it over as an emergency instead, which names the numbers too: the test holds either way.)"""

from __future__ import annotations

import pytest

from tests.stack.conversation import Conversation

SAFETY_LINE = "如果现在有危险"  # the start of actions/safety_net.NUMBERS (rasa_sdk is not importable here)


def first_reply(stack, text: str) -> str:
    talk = Conversation(stack.url)
    try:
        return talk.say(text)
    finally:
        talk.close()


@pytest.mark.stack
@pytest.mark.parametrize(
    ("text", "numbers"),
    [
        ("我家瞎眼老娘在院子里滑了 脑袋磕出个大口子", ("120",)),
        ("屋里头一股焦糊味 烟越来越大", ("119",)),
        ("我把这些年的药都留着呢 今晚都吃了就清净了", ("12356", "120")),
    ],
)
def test_danger_in_other_words_gets_the_numbers_first(stack, text, numbers) -> None:
    reply = first_reply(stack, text)
    first_line = reply.split("\n")[0]
    for number in numbers:
        assert number in first_line, reply


@pytest.mark.stack
@pytest.mark.parametrize("text", ["残疾人护理补贴一个月多少钱", "孩子摔伤了做康复能报销吗", "明天降温吗"])
def test_an_ordinary_message_gets_no_safety_line(stack, text) -> None:
    reply = first_reply(stack, text)
    assert SAFETY_LINE not in reply and "12356" not in reply, reply
