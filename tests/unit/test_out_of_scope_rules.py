"""Questions plainly outside the remit are declined whatever the model says; anything touching disability services,
and any answer inside a form, keeps the model's reading (examples written for development, not from tests/blind/)."""

from __future__ import annotations

import pytest

from bot.rules.intent_rules import rule_intent
from bot.rules.out_of_scope import GOVERNMENT, OTHER, out_of_scope_intent, where_to_go


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("明儿个下雪不 俺要出门", OTHER),
        ("这周末气温多少度啊", OTHER),
        ("天气预报说啥了", OTHER),
        ("双色球这期开的多少", OTHER),
        ("昨晚大乐透中奖号码是啥", OTHER),
        ("闺女结婚证丢了咋补", GOVERNMENT),
        ("想把户口迁回老家 找哪个部门", GOVERNMENT),
        ("公积金能取出来不", GOVERNMENT),
        ("办护照要多久", GOVERNMENT),
        ("老年证在哪办", GOVERNMENT),
    ],
)
def test_plainly_out_of_scope(text: str, intent: str) -> None:
    assert out_of_scope_intent(text) == intent
    assert rule_intent(text, "faq") == intent
    assert rule_intent(text, "apply") == intent  # "您想申请哪一项？" was the wrong reply


@pytest.mark.parametrize(
    "text",
    [
        "户口不在本地 残疾人补贴能领吗",
        "下雪天盲道被雪盖住了谁管",
        "福利彩票公益金有没有给残疾人的",
        "残疾人办结婚证有优惠吗",
        "明天下雨 送教上门的老师还来吗",  # 送教上门: in scope (education)
        "护理补贴怎么申请",
        "今天天气不好 我腿疼 能申请轮椅吗",
    ],
)
def test_questions_touching_the_domain_keep_the_models_reading(text: str) -> None:
    assert rule_intent(text, "faq") is None


def test_answers_inside_a_form_are_never_re_read() -> None:
    assert rule_intent("户口迁到城里了 现在住南街3号", "inform") is None
    assert rule_intent("户口迁到城里了 现在住南街3号", "faq") == GOVERNMENT


def test_danger_and_a_person_still_come_first() -> None:
    assert rule_intent("明天下雪 我爸摔倒了起不来", "faq") == "danger"
    assert rule_intent("天气预报我不问了 给我转人工", "faq") == "request_human"


@pytest.mark.parametrize(
    ("text", "office"),
    [
        ("后天下不下雪", "天气预报"),
        ("帮俺挑几个双色球号", "预测不了"),
        ("孙女上户口去哪", "派出所"),
        ("身份证过期了咋换", "派出所"),
        ("护照丢了", "出入境"),
        ("想查查公积金", "公积金管理中心"),
        ("开个小卖部要营业执照", "市场监管"),
        ("社保卡密码忘了", "人社局"),
    ],
)
def test_a_decline_says_where_to_go(text: str, office: str) -> None:
    said = where_to_go(text)
    assert said is not None and office in said


def test_nothing_to_add_for_other_questions() -> None:
    assert where_to_go("你吃饭了没") is None and where_to_go("") is None and where_to_go(None) is None


@pytest.mark.parametrize(
    ("text", "intent", "office"),
    [
        ("降压药和感冒药能一起吃吗", "oos_medical", None),
        ("俺这胳膊麻是咋回事", "oos_medical", None),
        ("布洛芬一次吃几片", "oos_medical", None),
        ("社保卡丢了去哪补", GOVERNMENT, "人社局"),
        ("俺的退休金今年涨了没", GOVERNMENT, "人社局"),
        ("闺女转学要啥手续", GOVERNMENT, "教育局"),
        ("摩托车年检去哪", GOVERNMENT, "车管所"),
        ("宅基地的事找谁", GOVERNMENT, "乡镇政府"),
        ("帮我写篇作文 题目是我的妈妈", OTHER, "不能帮您做"),
        ("把“我要申请轮椅”翻译成英语", OTHER, "不能帮您做"),  # a task, whatever it is about
        ("基金明天涨不涨", OTHER, "预测不了"),
        ("去北京的高铁票怎么买", OTHER, "12306"),
        ("哪家超市鸡蛋便宜", OTHER, "不能推荐"),
        ("后天冷吗", OTHER, "天气预报"),
    ],
)
def test_more_questions_outside_the_remit(text: str, intent: str, office: str | None) -> None:
    assert out_of_scope_intent(text) == intent and rule_intent(text, "faq") == intent
    if office:
        said = where_to_go(text)
        assert said is not None and office in said


@pytest.mark.parametrize(
    "text",
    [
        "俺儿右手少两根指头 能考驾照不",  # a question about driving with a disability
        "吃药的钱能报销吗",
        "腿疼得厉害 能申请轮椅吗",
        "残疾人坐火车有优惠吗",
        "治病花了好几万 有没有医疗救助",
    ],
)
def test_health_and_travel_questions_about_the_domain_keep_the_models_reading(text: str) -> None:
    assert out_of_scope_intent(text) is None
