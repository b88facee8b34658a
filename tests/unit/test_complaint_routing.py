"""Complaints go to the right line, high (issue 12): the line named by the complaint's own words (a city office or
service → the general line), else the region's disability line, never the topic guessed for an angry message; a
repeated misunderstanding goes to the region's disability line, high too. Development examples written for these
tests, not from tests/blind/."""

from __future__ import annotations

import pytest

from actions.handover_region import lines_by_region, matter_line
from bot.escalation.tickets import PRIORITY_OF_REASON
from bot.rules.complaints import complaint_matter, is_complaint, is_grievance, misunderstood_again
from bot.rules.intent_rules import rule_intent
from bot.rules.routing import load_routing

ROUTING = load_routing()


@pytest.mark.parametrize(
    "text",
    [
        "小区门口的盲道让卖菜的摊位占了 说了也没用 我要投诉",
        "社保局窗口那人冲我嚷嚷 太不像话了",
        "路灯坏了半年 俺拄拐晚上摔了好几回 没人管",
        "公积金中心推来推去的 我要举报",
    ],
)
def test_a_complaint_about_a_city_office_or_service_is_a_general_matter(text: str) -> None:
    assert is_complaint(text), text
    assert complaint_matter(text) == "general"
    assert matter_line(ROUTING, "绥芬河市", "complaint", text) == "12345"


@pytest.mark.parametrize(
    "text",
    [
        "村里那个委员把俺的补贴压着不给 我要投诉",
        "残联的人态度太差了 我要投诉",
        "低保材料交上去半年了 网格员一直不给报 我是二级肢体 俺要告他",
    ],
)
def test_a_complaint_with_no_office_named_goes_to_the_regions_disability_line(text: str) -> None:
    assert matter_line(ROUTING, "绥芬河市", "complaint", text) == "12385"
    assert matter_line(ROUTING, "潞城区", "complaint", text) == "12345", "潞城区 has one line for everything"
    assert matter_line(ROUTING, None, "complaint", text) == "12385", "region unknown: the default table's line"


def test_a_complaint_from_an_unknown_region_asks_the_region_unless_every_region_has_the_line() -> None:
    disability = matter_line(ROUTING, None, "complaint", "残联的人态度太差了")
    general = matter_line(ROUTING, None, "complaint", "供热公司不给减免 我要投诉")
    assert len(lines_by_region(ROUTING, disability, None)) == 2
    assert lines_by_region(ROUTING, general, None) == {"12345"}


def test_a_repeated_misunderstanding_goes_high_to_the_regions_disability_line() -> None:
    assert matter_line(ROUTING, "绥芬河市", "fallback", "你到底懂不懂") == "12385"
    assert matter_line(ROUTING, "潞城区", "fallback", None) == "12345"
    assert PRIORITY_OF_REASON["fallback"] == "high" and PRIORITY_OF_REASON["complaint"] == "high"
    assert matter_line(ROUTING, "绥芬河市", "request", "转人工") is None, "a plain request: the topic decides"


@pytest.mark.parametrize(
    "text",
    [
        "轮椅发下来没两个月就坏了 找了几回也没人来修",
        "给俺家配的助听器是坏的 根本听不见",
        "我妈的生活补贴让人冒领了好几个月",
        "坡道的钱交了 找施工队催了三回也不来",
        "拐杖是坏的 找谁都不管",
    ],
)
def test_broken_things_fraud_and_nobody_coming_are_complaints_and_grievances(text: str) -> None:
    assert is_complaint(text), text
    assert is_grievance(text), "a story of what happened: looked into, not a new application"


@pytest.mark.parametrize(
    "text",
    ["护理补贴申请俩月了一分钱也没见着 你们到底管不管", "燃油补贴交上去仨月了 一直没动静 到底给不给"],
)
def test_a_wait_since_applying_is_a_grievance(text: str) -> None:
    assert is_grievance(text)


@pytest.mark.parametrize("text", ["我想申请护理补贴", "到底能不能申请护理补贴！", "轮椅坏了找谁修", "找谁申请改造"])
def test_a_wish_to_apply_or_a_question_where_is_no_grievance(text: str) -> None:
    assert not is_grievance(text)


@pytest.mark.parametrize(
    "text",
    ["你到底懂不懂啊", "你是不是听不懂啊", "说了半天了还是这个", "你咋老问这个", "你咋老听不懂呢", "你 根本 不懂 俺"],
)
def test_said_to_the_bot_after_a_miss_is_misunderstood_again(text: str) -> None:
    assert misunderstood_again(text)


@pytest.mark.parametrize("text", ["我听不懂这个政策", "懂了 谢谢", "这个补贴问了半天才知道"])
def test_the_resident_not_understanding_is_not_the_bot_missing(text: str) -> None:
    assert not misunderstood_again(text)


def test_misunderstood_again_wins_over_a_deny_or_cancel_guess_but_not_a_form_answer() -> None:
    assert rule_intent("讲了三遍了 你到底懂不懂", "deny") == "request_human"
    assert rule_intent("讲了三遍了 你到底懂不懂", "cancel_application") == "request_human"
    assert rule_intent("说了三遍了 13912345678", "inform") is None
