"""Intake round 6 failure kinds, in the owner's own resident-style sentences (never a blind script's):

- a town said last by its short name ("…12号 微子那边的") and a town the gazetteer lacked (史回镇, 史迴乡 until 2020);
- at the read-back, a new address told as a story first ("搬到X村了") and then said whole from its town: the whole
  address counts, and a village named after its town ("店上村") keeps its name behind the town;
- consent refused after a question that is its reason ("电话也要存？不同意 …");
- "我不申请" / "俺不办" said as a clause of its own (no 了), with its reason: nothing is kept;
- a name followed by a remark in brackets ("刘桂芝（繁体字打的）");
- consent given first, then a question about *another* benefit's eligibility ("同意 四级的话护理补贴能领吗");
- "is this the … programme?" asked during the form: what the benefit is, from the plans.
"""

from __future__ import annotations

import pytest

from actions.intake_understand import is_cancel
from bot.rules.field_values import parse_consent, parse_place, read_name, refuses_last
from bot.rules.places import find_town, normalise_address
from tests.unit.test_intake_dialogue import started
from tests.unit.test_intake_round4 import AUNT_CARD, AUNT_ID

PHONE = "13593301846"


# -- the town said last, and the town the gazetteer lacked ----------------------------------------------------------
@pytest.mark.parametrize(
    ("said", "stored", "town"),
    [
        ("后沟村十二号 微子那边的", "微子镇后沟村12号", "微子镇"),
        ("西坡二十三号 史回的", "史回镇西坡23号", "史回镇"),
        ("北街五号，店上镇上的", "店上镇北街5号", "店上镇"),
        ("史迴乡南庄村8号", "史回镇南庄村8号", "史回镇"),
    ],
)
def test_a_town_said_last_by_its_short_name_goes_in_front_once(said: str, stored: str, town: str) -> None:
    parsed = parse_place(said, {})
    assert parsed.value == stored
    assert parsed.also == {"town": town, "region": "潞城区"}


def test_shihui_is_a_town_of_lucheng() -> None:
    assert find_town("住史回村") == ("史回镇", "潞城区", 1, 3)


@pytest.mark.parametrize(
    ("address", "town", "stored"),
    [
        ("后沟村12号微子的", "微子镇", "微子镇后沟村12号"),  # the town asked for separately after the address
        ("后沟村12号微子那边", "微子镇", "微子镇后沟村12号"),
        ("后沟村12号", "微子镇", "微子镇后沟村12号"),
        ("微子镇", "微子镇", "微子镇"),  # nothing before it: nothing is dropped
    ],
)
def test_a_town_said_last_is_not_repeated_when_the_town_comes_separately(address: str, town: str, stored: str) -> None:
    assert normalise_address(address, town) == stored


# -- a village named after its town, and a whole address said again after a story ---------------------------------
@pytest.mark.parametrize(
    ("said", "stored"),
    [
        ("微子村北街12号", "微子镇微子村北街12号"),
        ("店上村东头4号", "店上镇店上村东头4号"),
        ("成家川村二组3号", "成家川街道成家川村二组3号"),
        ("店上镇店上村东头4号", "店上镇店上村东头4号"),
    ],
)
def test_a_village_named_after_its_town_keeps_its_name(said: str, stored: str) -> None:
    assert parse_place(said, {}).value == stored


@pytest.mark.parametrize(
    "said",
    [
        "我们去年搬家了 搬去微子村了 微子镇微子村北街12号",
        "老房子塌了 现在搬到微子村了，微子镇微子村北街12号",
        "住在微子村 微子镇微子村北街12号",
    ],
)
def test_an_address_said_whole_after_a_story_is_the_address(said: str) -> None:
    parsed = parse_place(said, {})
    assert parsed.value == "微子镇微子村北街12号"
    assert parsed.also["town"] == "微子镇"


def test_a_house_number_said_before_the_town_again_is_kept() -> None:
    # the story reached a house already: no restart at the town said again (the town said last is dropped)
    assert parse_place("阜宁镇红旗村三组2号 阜宁镇", {}).value == "阜宁镇红旗村三组2号"


def test_a_new_address_told_as_a_story_at_the_read_back() -> None:
    chat = started("我想申请护理补贴")
    for answer in ("同意", "我自己", "滕秀珍", AUNT_ID, AUNT_CARD, PHONE, "店上镇东邑村后巷7号", "低保户"):
        chat.say(answer)
    assert chat.asking == "confirmed"
    reply = chat.say("地址不对 早搬走了 搬到微子村了 微子镇微子村北街12号")
    assert chat.slots["address"] == "微子镇微子村北街12号", reply
    assert chat.slots["town"] == "微子镇" and chat.asking == "confirmed"


# -- consent refused after the question that is its reason -----------------------------------------------------------
@pytest.mark.parametrize(
    "text",
    [
        "电话也要存你们那?不同意 我自己去乡里办",
        "还得告诉你身份证号？那我不同意，回头去残联",
        "存这些干啥用?不愿意",
    ],
)
def test_a_refusal_after_its_reason_asked_as_a_question_is_a_no(text: str) -> None:
    assert parse_consent(text).value is False and refuses_last(text)


@pytest.mark.parametrize("text", ["存这些干啥?不同意的话还能办吗", "不同意 那会怎样?"])
def test_a_question_after_the_refusal_still_asks(text: str) -> None:
    assert not refuses_last(text)


@pytest.mark.parametrize("intent", [None, "faq", "out_of_scope"])
def test_the_form_ends_and_keeps_nothing_when_the_refusal_follows_a_question(intent: str | None) -> None:
    chat = started("俺是二级肢体 想申请护理补贴")
    reply = chat.say("电话也要存你们那?不同意 我自己去乡里办", intent)
    assert chat.last.outcome == "no_consent", reply
    assert "回答不了" not in reply


# -- "我不申请" as a clause of its own ---------------------------------------------------------------------------------
@pytest.mark.parametrize("text", ["我不申请 就是打听打听", "俺不办 俺闺女说先别报名字", "那就不弄 我再想想", "不办"])
def test_not_applying_said_as_a_clause_is_a_cancel(text: str) -> None:
    assert is_cancel(text)


@pytest.mark.parametrize("text", ["不办证能申请吗", "能不能不办残疾证", "办不办都行吗", "不申请的话有影响吗"])
def test_not_applying_inside_a_question_is_no_cancel(text: str) -> None:
    assert not is_cancel(text)


@pytest.mark.parametrize("intent", [None, "faq", "out_of_scope"])
def test_not_applying_at_the_name_question_keeps_nothing(intent: str | None) -> None:
    chat = started("我想申请生活补贴")
    chat.say("同意")
    chat.say("给我自己")
    assert chat.asking == "applicant_name"
    reply = chat.say("我不申请 就是打听打听 家里不让乱报名字", intent)
    assert chat.last.outcome == "cancelled", reply
    assert chat.slots.get("applicant_name") is None


# -- a name with a remark in brackets --------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("said", "name"),
    [
        ("刘桂芝（繁体字打的）", "刘桂芝"),
        ("刘桂芝(就是刘桂芝)", "刘桂芝"),
        ("（我叫）孙兰", "孙兰"),
        ("（简体）孙兰", "孙兰"),
    ],
)
def test_a_name_with_a_remark_in_brackets(said: str, name: str) -> None:
    assert read_name(said) == name


def test_a_remark_in_brackets_alone_is_no_name() -> None:
    assert read_name("（繁体字打的）") is None


def test_the_name_with_a_remark_is_taken_at_once() -> None:
    chat = started("我想申请燃油补贴")
    chat.say("同意")
    chat.say("给我自己")
    reply = chat.say("刘桂芝（繁体字打的）")
    assert chat.slots["applicant_name"] == "刘桂芝", reply
    assert chat.asking == "id_number"


# -- consent first, then a question ----------------------------------------------------------------------------------
@pytest.mark.parametrize("intent", [None, "faq", "out_of_scope"])
def test_consent_then_a_question_on_another_benefits_levels(intent: str | None) -> None:
    chat = started("我想申请生活补贴")
    reply = chat.say("同意 四级的话护理补贴能领吗 不能就还办生活补贴", intent)
    assert "一级、二级" in reply and "回答不了" not in reply, reply
    assert chat.slots["pi_consent"] is True and chat.slots["benefit"] == "living_subsidy"
    assert chat.asking == "for_self"


def test_consent_then_a_question_about_the_process() -> None:
    chat = started("我想申请生活补贴")
    reply = chat.say("可以 批下来要多久?")
    assert "申请编号" in reply and chat.slots["pi_consent"] is True and chat.asking == "for_self", reply


def test_a_yes_that_is_the_question_is_not_a_yes() -> None:
    assert parse_consent("同意是啥意思?").value is None
    chat = started("我想申请生活补贴")
    chat.say("同意是啥意思")
    assert chat.asking == "pi_consent" and not chat.slots.get("pi_consent")


# -- "is this the … programme?" ------------------------------------------------------------------------------------
@pytest.mark.parametrize("question", ["先问下 这是啥项目", "这个是不是残联搞的那个什么工程", "你们这是哪个计划里的"])
@pytest.mark.parametrize("intent", [None, "out_of_scope"])
def test_what_this_application_is_comes_from_the_plans(question: str, intent: str | None) -> None:
    chat = started("想给我妈配个助听器")
    reply = chat.say(question, intent)
    assert "辅助器具适配是给有需要的残疾人的" in reply and "回答不了" not in reply, reply
    assert "福康工程" in reply  # the 潞城 plan's name for it (the region is not known yet: both plans' notes)
    assert chat.asking == "pi_consent"


# -- how many it reaches, asked without naming the benefit -------------------------------------------------------------
@pytest.mark.parametrize("intent", [None, "out_of_scope"])
def test_how_many_it_reaches_is_this_benefits_answer(intent: str | None) -> None:
    chat = started("我哥智力二级 想给他报个托养")
    reply = chat.say("同意是同意 先问下 你们这一年能收多少人", intent)
    assert "[FAQ faq/care_services]" in reply and "回答不了" not in reply, reply
    assert chat.slots["pi_consent"] is True
