"""Round 5 of the escalation and out-of-scope rules: complaints told as what staff or others did (out of reach for
months, passed on, money held back, turned out), English complaints, "wrong again" counted, a hand-over's one-tap
region question, declines for small talk, shopping, school enrolment and English questions outside the remit, and
messages of emoji only. Development examples written for these tests (not from tests/blind/)."""

from __future__ import annotations

import pytest

from actions.handover_region import (
    HANDOVER_REGION_QUESTION,
    asked_region_for_handover,
    lines_by_region,
    matter_line,
)
from actions.repeats import times_told_wrong
from bot.rules.complaints import complaint_matter, is_complaint, is_grievance, misunderstood_again, wants_person
from bot.rules.intent_rules import rule_intent
from bot.rules.latin import only_symbols
from bot.rules.out_of_scope import GOVERNMENT, MEDICAL, OTHER, out_of_scope_intent, where_to_go
from bot.rules.pinyin_match import english_label
from bot.rules.routing import load_routing
from bot.rules.understanding import wants_to_apply_now


@pytest.mark.parametrize(
    "text",
    [
        "村里管事的俩月不回电话 俺娘的钱停了 这到底谁管",
        "物业说门口坡道的事不归他们管 让俺自己想办法",
        "你们给俺评评理 凭啥隔壁有俺没有",
        "组长把我的生活补贴扣下一百 说是辛苦费",
        "中介听说我老伴是智障 就把房子租给别人了",
        "找了街道好几回也不理 孩子上学的事一直拖着",
        "I want to complain about your office, nobody answered my letters",
        "This service is unacceptable",
    ],
)
def test_complaints_told_as_what_was_done(text: str) -> None:
    assert is_complaint(text), text
    assert rule_intent(text, "faq") == "complaint"


@pytest.mark.parametrize(
    "text",
    [
        "倒垃圾的时候滑了一跤 现在腿不行了 能申请护理补贴吗",
        "这个补贴管不管白内障手术？",
        "找工作也不好找 有没有培训",
        "问了也没办法 还有别的补贴吗",
        "要是补贴被扣了 能找谁评理",
        "垃圾分类的志愿者残疾人能报名吗",
    ],
)
def test_questions_with_the_same_words_are_not_complaints(text: str) -> None:
    assert not is_complaint(text), text


def test_an_angry_wish_to_apply_is_not_a_grievance() -> None:
    assert not is_grievance("跑了四五趟了 到底管不管！俺就想给俺爹办个护理补贴")
    assert not is_grievance("俺爹瘫了三年了 想办个护理补贴")
    assert is_grievance("申请了轮椅半年了还没消息")
    assert is_grievance("交了材料两个月了也没人打电话")


def test_asking_to_dial_a_line_is_a_request_for_a_person() -> None:
    assert wants_person("俺想打12345问问低保的事")
    assert wants_person("我得拨12385")
    assert not wants_person("12385怎么打")
    assert not wants_person("我要打12385是几号")


def test_wrong_the_nth_time_hands_over() -> None:
    assert misunderstood_again("你都第二回说错了")
    assert misunderstood_again("第三遍了还是不对")
    assert not misunderstood_again("第二次申请要带什么")


def _user(text: str, intent: str = "faq") -> dict:
    return {"event": "user", "text": text, "parse_data": {"intent": {"name": intent}}}


def test_you_do_not_understand_me_counts_as_told_wrong() -> None:
    events = [_user("钱 补贴 要"), _user("不 对"), _user("你 不 懂 俺 说 的")]
    assert times_told_wrong(events) == 2
    assert times_told_wrong([_user("托养"), _user("俺说的不是这个 是白天看人的")]) == 1
    assert times_told_wrong([_user("托养"), _user("听不明白你说的")]) == 1
    assert times_told_wrong([_user("我懂了 谢谢")]) == 0


def test_the_region_decides_the_line_unless_the_line_serves_everyone() -> None:
    routing = load_routing()
    assert lines_by_region(routing, None, None) == {"12385", "12345"}
    assert lines_by_region(routing, "12385", None) == {"12385", "12345"}, "潞城区 has no 12385"
    assert lines_by_region(routing, "12345", None) == {"12345"}
    assert lines_by_region(routing, None, "faq/minimum_living_allowance") == {"12345"}, "a general matter"


def _bot(text: str) -> dict:
    return {"event": "bot", "text": text}


def test_the_region_question_of_a_hand_over_is_recognised_only_right_after_it() -> None:
    asked = _bot(HANDOVER_REGION_QUESTION)
    region = _user('/inform_region{"region": "潞城区"}', "inform_region")
    assert asked_region_for_handover([_user("转人工"), asked, region])
    assert not asked_region_for_handover([_user("转人工"), asked, region, _bot("好的"), _user("潞城区")])
    assert not asked_region_for_handover([_user("转人工"), _bot("正在为您转接"), region])


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("新农合一年交几百块", GOVERNMENT),
        ("孩子读初中怎么报名", GOVERNMENT),
        ("房子过户要带啥", GOVERNMENT),
        ("去韩国的签证好办不", GOVERNMENT),
        ("你喜欢看电视不", OTHER),
        ("陪俺唠会嗑", OTHER),
        ("人工智能以后能干啥", OTHER),
        ("帮我点一份外卖", OTHER),
        ("来首歌听听", OTHER),
        ("户口想从村里迁到县城 咋办", GOVERNMENT),
        ("养老金认证在哪弄", GOVERNMENT),
        ("退休的养老金每年都要认证 去哪", GOVERNMENT),
        ("能借俺点钱不 过几天就还", OTHER),
        ("哪儿有卖糖葫芦的", OTHER),
        ("What's the dose of ibuprofen for kids?", MEDICAL),
        ("Where can I get a visa?", GOVERNMENT),
        ("Tell me a joke", OTHER),
    ],
)
def test_more_outside_the_remit(text: str, intent: str) -> None:
    assert out_of_scope_intent(text) == intent


@pytest.mark.parametrize(
    "text",
    [
        "残疾孩子上小学怎么报名",
        "她说给俺买一个轮椅 俺先不办了",
        "转人工",
        "Can my blind father get a subsidy?",
        "I want to talk to a person",
        "新农合残疾人有补贴不",
        "哪儿有卖轮椅的",
    ],
)
def test_the_domain_keeps_the_models_reading(text: str) -> None:
    assert out_of_scope_intent(text) is None


@pytest.mark.parametrize(
    ("text", "word"),
    [
        ("这两天天汽好不", "天气预报"),
        ("周末冷不", "天气预报"),
        ("明天有雨没", "天气预报"),
        ("房子过户咋办", "不动产"),
        ("签证去哪办", "出入境"),
    ],
)
def test_the_usual_office_even_through_a_homophone(text: str, word: str) -> None:
    assert word in (where_to_go(text) or "")


def test_only_emoji_or_symbols() -> None:
    assert only_symbols("👍") and only_symbols("♿❓") and only_symbols("😭 😭") and only_symbols("。。？")
    assert not only_symbols("好👍") and not only_symbols("123") and not only_symbols("")


def test_a_question_about_a_benefit_is_not_a_request_to_apply() -> None:
    assert not wants_to_apply_now("三级智力的能领护理补贴不")
    assert wants_to_apply_now("我想申请护理补贴")
    assert wants_to_apply_now("帮俺娘办个护理补贴")


@pytest.mark.parametrize(
    ("text", "label"),
    [
        (
            "Can someone help make my mother's home accessible? She uses a wheelchair",
            "faq/home_accessibility_modification",
        ),
        ("We need a ramp and grab bars at home", "faq/home_accessibility_modification"),
        ("We are on dibao, could our flat get a ramp?", "faq/home_accessibility_modification"),
        ("May my guide dog come on the train with me?", "faq/public_transport"),
        ("I need a new wheelchair", "faq/assistive_devices"),
        ("Where is the bus station", None),
    ],
)
def test_english_topic_words(text: str, label: str | None) -> None:
    assert english_label(text) == label


def test_a_complaints_own_words_say_its_line() -> None:
    routing = load_routing()
    heating = "物业说暖气不热不归他们管 俺家老人冻得不行 你们管不管"
    insulted = "售票员嫌我拄拐慢 骂我瘸子 不让上车"
    assert complaint_matter(heating) == "general" and complaint_matter(insulted) == "disability"
    assert complaint_matter("跑了三趟了没人管") is None, "the topic last understood decides"
    assert lines_by_region(routing, None, "faq/public_transport", "disability") == {"12385", "12345"}, "ask where"
    assert lines_by_region(routing, None, None, "general") == {"12345"}, "the same line everywhere: no question"
    assert matter_line(routing, "绥芬河市", "complaint", insulted) == "12385"
    assert matter_line(routing, "绥芬河市", "complaint", heating) == "12345"
    assert matter_line(routing, "潞城区", "complaint", insulted) == "12345"
    assert matter_line(routing, "绥芬河市", "request", heating) is None


def test_asking_the_assistants_name_is_not_a_request() -> None:
    from bot.rules.complaints import asks_if_human

    assert asks_if_human("你叫啥名")
    assert not asks_if_human("叫个真人来")
