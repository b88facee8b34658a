"""A refusal of consent said inside a longer message — with a reason, with going in person instead — ends the form
and records nothing, whatever the NLU made of the rest; a question about refusing is still a question."""

from __future__ import annotations

import pytest

from bot.rules.field_values import parse_consent
from tests.unit.test_intake_dialogue import started


@pytest.mark.parametrize(
    "text",
    [
        "号码这些我不想在网上讲 不同意 我自己去窗口",
        "算了吧，不同意，过两天我去一趟残联",
        "那我不同意了",
        "我不愿意，网上说这些不放心",
        "这些我不想在手机上留，我直接上民政办",
        "个人信息不想告诉你们",
        "电话啥的都不想在网上说 不同意 回头我去民政",
    ],
)
def test_a_refusal_inside_a_longer_message_is_a_no(text: str) -> None:
    assert parse_consent(text).value is False


@pytest.mark.parametrize("text", ["同意", "同意，你问吧", "行 同意了"])
def test_a_yes_is_still_a_yes(text: str) -> None:
    assert parse_consent(text).value is True


@pytest.mark.parametrize("text", ["不同意会咋样", "要是不同意还能办吗", "不想在网上说身份证号 能不能去现场办？"])
def test_a_question_about_refusing_is_not_a_refusal(text: str) -> None:
    assert parse_consent(text).value is None  # answered as a question, then consent is asked again


@pytest.mark.parametrize("intent", [None, "out_of_scope", "faq"])
@pytest.mark.parametrize(
    "text", ["号码这些我不想在网上讲 不同意 我自己去窗口", "电话啥的都不想在网上说 不同意 回头我去民政"]
)
def test_the_form_ends_with_nothing_recorded_whatever_the_nlu_said(text: str, intent: str | None) -> None:
    chat = started("我儿子三十了 智力残疾 想给他办托养")
    reply = chat.say(text, intent, "faq/care_services" if intent == "faq" else None)
    assert chat.last.outcome == "no_consent", reply
    assert "回答不了" not in reply
    assert all(chat.last.slots.get(key) is None for key in ("applicant_name", "id_number", "phone", "address"))


def test_and_such_is_no_question_but_what_it_is_for_is() -> None:
    chat = started("我儿子三十了 智力残疾 想给他办托养")
    reply = chat.say("身份证这些是干啥的")
    assert chat.last.outcome != "no_consent" and chat.asking == "pi_consent", reply
