"""Complaint, anger and "I want a person" rules (development examples, not from tests/blind/)."""

import pytest

from bot.rules.complaints import asked_line, is_complaint, is_grievance, wants_person
from bot.rules.intent_rules import rule_intent

COMPLAINTS = [
    "我要投诉你们",
    "你们到底管不管",
    "都说了三遍了根本没人管！",
    "太不像话了",
    "这什么破系统",
    "单位歧视我 不让我上班",
    "俺娃在学校被歧视",
    "跑了好几趟都没办成",
    "工作人员态度太差",
    "申请了半年都没消息",
    "凭什么不给我办",
    "妈的 又是这句",
    "你们就是在糊弄人",
    "我很生气",
]
NOT_COMPLAINTS = [
    "护理补贴怎么申请",
    "就业歧视怎么维权",
    "邻居欺负我残疾",
    "我弟弟精神残疾没人管",
    "检察院管不管无障碍的事",
    "跑了好几趟事没办成去哪反映",
    "我妈的残疾证在哪办",
    "12345是干啥的",
    "笑死了",
]
PERSON = {"转人工": None, "找真人": None, "给我接12385": "12385", "帮我转12345": "12345", "我要跟人工客服说": None,
          "叫你们工作人员来": None, "人工": None}  # fmt: skip


@pytest.mark.parametrize("text", COMPLAINTS)
def test_complaints_are_recognised(text) -> None:
    assert is_complaint(text) and rule_intent(text, "faq") == "complaint"


@pytest.mark.parametrize("text", NOT_COMPLAINTS)
def test_policy_questions_are_not_complaints(text) -> None:
    assert not is_complaint(text)


@pytest.mark.parametrize(("text", "line"), PERSON.items())
def test_asking_for_a_person_and_which_line(text, line) -> None:
    assert wants_person(text) and asked_line(text) == line
    assert rule_intent(text, "faq") == "request_human"


def test_rules_order_danger_first_and_hypotheticals_to_policy() -> None:
    assert rule_intent("你们到底管不管，我不想活了", "complaint") == "danger"
    assert rule_intent("要是地震了残疾人咋办", "danger") == "faq"
    assert rule_intent('/inform_region{"region": "潞城区"}', "inform_region") is None
    assert rule_intent("12385是什么电话", "faq") is None and not wants_person("12385是什么电话")


def test_latin_only_messages_get_the_bilingual_redirect() -> None:
    from bot.rules.latin import LATIN_REPLY, is_latin_only

    assert is_latin_only("hu li bu tie zen me shen qing") and is_latin_only("How do I get a disability card?")
    assert not is_latin_only("护理补贴 app 怎么用") and not is_latin_only("12385") and not is_latin_only(None)
    assert "汉字" in LATIN_REPLY and "Chinese" in LATIN_REPLY


def test_complaint_and_person_words_behind_homophones() -> None:
    assert is_complaint("我要头诉你们") and wants_person("转人公")
    assert not is_complaint("残疾人养殖户农业保险")


@pytest.mark.parametrize(
    "text",
    [
        "我要投诉 生活补贴交了材料俩月了没消息",
        "辅具说好的给配 一直不发 你们就知道糊弄人",
        "托养中心的人态度太差了 我要告他们",
    ],
)
def test_a_grievance_about_what_happened_is_not_a_new_application(text) -> None:
    assert is_complaint(text) and is_grievance(text)


@pytest.mark.parametrize("text", ["到底能不能给俺爹办护理补贴！", "气死了 我就想申请个轮椅 咋这么费劲"])
def test_an_angry_wish_to_apply_is_not_a_grievance(text) -> None:
    assert not is_grievance(text)
