"""Out-of-scope kinds the b6 development set showed answered with a clarifying question, an application form or a
status query (examples in other words, not from tests/blind/): the weather of a given week, winning the lottery,
someone's own letter or poem, politics and bride prices, heating, neighbours' noise, moving one's medical-insurance
registration, a traffic-fine lookup, a pain and what to take, a dose change. Questions that also ask for a service
keep the model's reading."""

from __future__ import annotations

import pytest

from bot.rules.intent_rules import rule_intent
from bot.rules.out_of_scope import GOVERNMENT, MEDICAL, OTHER, out_of_scope_intent, where_to_go


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("下星期升温不 想推我爸的轮椅去公园", OTHER),  # the wheelchair only says who goes out
        ("绥芬河这礼拜下雪不", OTHER),
        ("这彩票我买了能中吗 我是残疾人", OTHER),
        ("俺想中个大奖", OTHER),
        ("帮我给老师写一封感谢的贺卡", OTHER),
        ("替俺写个入团申请", OTHER),
        ("你觉得俄罗斯总统这人咋样", OTHER),
        ("闺女要出嫁 嫁妆给多少合适", OTHER),
        ("暖气片一点都不热 供热公司不管", GOVERNMENT),
        ("隔壁饭店天天闹腾到后半夜 找谁", GOVERNMENT),
        ("俺的医保要从北京转回来咋办", GOVERNMENT),
        ("腰疼得厉害 吃什么能好点", MEDICAL),
        ("他的降压药能不能自己减量", MEDICAL),
    ],
)
def test_declined_whatever_the_model_said(text: str, intent: str) -> None:
    assert out_of_scope_intent(text) == intent
    assert rule_intent(text, "faq") == intent
    assert rule_intent(text, "apply") == intent  # never "您想申请哪一项？"


@pytest.mark.parametrize(
    "text",
    [
        "明天下雪 残疾人有取暖补贴吗",
        "福利彩票公益金资助残疾人什么项目",
        "帮我写个申请 我想要护理补贴",
        "轮椅的医保能报多少",
        "残疾人医保关系转过来 补贴还能领吗",
        "邻居老占我家门口的坡道 吵了好几回了",  # a quarrel about a ramp, not noise
    ],
)
def test_service_questions_keep_the_models_reading(text: str) -> None:
    assert rule_intent(text, "faq") is None


def test_a_status_query_that_names_no_application_is_another_offices() -> None:
    assert rule_intent("帮我查查驾照扣了几分", "check_status") == GOVERNMENT
    assert rule_intent("查一下我申请的护理补贴到哪了", "check_status") is None
    assert rule_intent("12345678", "check_status") is None


def test_a_place_inside_a_weather_question_is_not_an_answer_to_where() -> None:
    assert rule_intent("潞城区明天刮风不", "region") == OTHER
    assert rule_intent("潞城区", "region") is None
    assert rule_intent("户口在潞城区", "region") is None


@pytest.mark.parametrize(
    ("text", "office"),
    [
        ("帮我写首诗", "不能"),
        ("拜登这个人怎么样", "不能评论"),
        ("彩礼要多少", "不能给建议"),
        ("医保关系怎么转", "医保局"),
        ("楼下广场舞太扰民", "城管"),
    ],
)
def test_the_decline_names_a_refusal_or_the_usual_office(text: str, office: str) -> None:
    assert office in (where_to_go(text) or "")
