"""Questions the FAQ has no entry for are answered from the resident's own plan (actions/plan_answers.py): the
plan's sentence verbatim, where it is in the plan, and the hotline; a question about something else is not."""

from __future__ import annotations

import httpx
import pytest

from bot.rules.routing import load_routing
from bot.rules.understanding import faq_titles, judge
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
            "潞城残疾孩子上义务教育的比例要达到多少",
            "残疾儿童、青少年接受义务教育率达到95%以上",
            "第一部分“发展现状”",
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


def model_verdict(stack, question: str):  # noqa: ANN001, ANN201 - the stack fixture; bot.rules.understanding's verdict
    """What the FAQ model alone makes of `question` (Rasa's /model/parse, judged as the actions judge it)."""
    parse = httpx.post(
        f"http://127.0.0.1:{stack.config.rasa_port}/model/parse",
        params={"token": stack.token},
        json={"text": question},
        timeout=30,
    ).json()
    return judge(parse)


@pytest.mark.stack
def test_the_plan_settles_the_faq_choice_and_the_other_topics_stay_offered(stack) -> None:
    """The FAQ model offers choices for this phrasing (checked first, so a retrained model that reads it otherwise
    fails here with the reason); the two sentences of the 绥芬河 plan nearest to it are both quoted by the
    mental-health answer: that answer is given, and the other choices are still offered under it."""
    question = "精神病人家里人照顾不过来 有没有社区帮着管的"
    verdict = model_verdict(stack, question)
    offered = verdict.kind == "clarify" and "faq/mental_health" in verdict.choices
    assert offered, f"the model reads it otherwise: {verdict}"
    talk = Conversation(stack.url)
    try:
        talk.expect("我在绥芬河市", "绥芬河")
        answer = talk.say(question)
        buttons = talk.buttons()
    finally:
        talk.close()
    assert "随访管理" in answer and "精神卫生福利" in answer, answer
    assert "您是想问" not in answer, answer
    others = [faq_titles()[c] for c in verdict.choices if c != "faq/mental_health"]
    assert others and all(title in buttons for title in others), buttons
    assert faq_titles()["faq/mental_health"] not in buttons, buttons


@pytest.mark.stack
def test_an_faq_answer_is_followed_by_the_plans_own_sentence_on_it(stack) -> None:
    """The 潞城 answer about 托养 is followed by the 潞城 plan's sentence it rests on, verbatim, with its place; never
    the other plan's."""
    talk = Conversation(stack.url)
    try:
        answer = talk.say("我在潞城，重度残疾人托养服务谁能去")
    finally:
        talk.close()
    assert "潞城的规划" in answer and "写着：“" in answer, answer
    assert "第三部分（一）第3条" in answer, answer
    assert "绥芬河的规划" not in answer, answer


@pytest.mark.stack
def test_a_doubted_answer_gets_the_questions_other_topics(stack) -> None:
    """“不对吧” after an answer: the other likely topics of that question are offered, not the same answer again."""
    talk = Conversation(stack.url)
    try:
        first = talk.say("我在绥芬河，护理补贴谁能领")
        doubted = talk.say("不对吧")
        buttons = talk.buttons()
    finally:
        talk.close()
    assert "护理补贴" in first, first
    assert "可能我理解错了" in doubted, doubted
    assert buttons and faq_titles()["faq/severe_care_subsidy"] not in buttons, buttons


@pytest.mark.stack
def test_a_clarifying_question_shows_the_plans_nearest_sentence_for_reference(stack) -> None:
    """The FAQ model offers choices for this phrasing (checked first, so a retrained model that reads it otherwise
    fails here with the reason) and no plan passage is confident: the 绥芬河 plan's nearest sentence is shown "for
    reference" above the question, verbatim with its place, and the topic buttons stay."""
    question = "绥芬河残疾人体育锻炼的地方收不收钱"
    verdict = model_verdict(stack, question)
    assert verdict.kind == "clarify", f"the model reads it otherwise: {verdict}"
    talk = Conversation(stack.url)
    try:
        answer = talk.say(question)
        buttons = talk.buttons()
    finally:
        talk.close()
    assert "最接近的是这一句，供您参考" in answer and "绥芬河的规划（征求意见稿）" in answer, answer
    assert "康复体育健身" in answer and "潞城的规划" not in answer, answer
    assert "您是想问" in answer and LEAD_IN not in answer, answer  # still a question, not a plan answer
    titles = [faq_titles()[c] for c in verdict.choices]
    assert titles and all(title in buttons for title in titles), buttons
