"""Questions the FAQ has no entry for are answered from the resident's own plan (actions/plan_answers.py): the
plan's sentence verbatim, where it is in the plan, and the hotline; a question about something else is not."""

from __future__ import annotations

import pytest

from bot.rules.routing import load_routing
from tests.stack.conversation import Conversation

LEAD_IN = "里是这样写的"


@pytest.mark.stack
@pytest.mark.parametrize(
    ("region", "question", "sentence", "section"),
    [
        (
            "绥芬河市",
            "绥芬河残联机关里残疾人干部要占多少？",
            "市残联机关干部队伍中要有15%以上(含15%)的残疾人",
            "专栏4第1项",
        ),
        (
            "潞城区",
            "潞城对没人抚养的残疾孩子，看病上学有照顾吗",
            "加强残疾孤儿、事实无人抚养残疾儿童医疗、康复、教育等服务",
            "第三部分（一）第4条",
        ),
    ],
)
def test_long_tail_question_is_answered_with_the_plans_sentence(stack, region, question, sentence, section) -> None:
    talk = Conversation(stack.url)
    try:
        answer = talk.say(question)
    finally:
        talk.close()
    assert LEAD_IN in answer and sentence in answer, answer
    assert section in answer, answer
    assert load_routing().hotline_phrase(region) in answer, answer
    other = "12385" if region == "潞城区" else None  # the other region's disability line must not be given
    assert other is None or other not in answer, answer


@pytest.mark.stack
def test_off_topic_question_is_not_answered_from_the_plan(stack) -> None:
    talk = Conversation(stack.url)
    try:
        answer = talk.say("帮我推荐一部好看的电视剧")
    finally:
        talk.close()
    assert LEAD_IN not in answer, answer
