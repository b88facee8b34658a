"""Parsing one answer to one application question, and corrections at read-back (pure functions)."""

from datetime import date

import pytest

from actions import intake_fields as f
from actions.readback import parse_correction, readback_messages
from bot.rules.id_card import id_check_digit

ID = "14042619750315002" + id_check_digit("14042619750315002")


@pytest.mark.parametrize(("text", "value"), [("同意", True), ("好的", True), ("不同意", False), ("不", False)])
def test_consent(text, value) -> None:
    assert f.parse_consent(text, {}).value is value


def test_unclear_consent_asks_again() -> None:
    assert f.parse_consent("嗯？这是干啥", {}).value is None
    assert f.parse_consent("这是干什么用的", {}).value is None
    assert f.parse_consent("嗯嗯", {}).value is True


def test_family_words_mean_a_proxy() -> None:
    assert f.parse_for_self("帮我妈申请", {}).value is False
    assert f.parse_for_self("给自己", {}).value is True
    assert f.relation_in("帮我妈办个轮椅") == "妈妈"


def test_names() -> None:
    assert f.parse_name("我叫王秀英", {}).value == "王秀英"
    assert f.parse_name("欧阳·春梅", {}).value == "欧阳·春梅"
    assert f.parse_name("护理补贴怎么申请", {}).value is None
    assert f.parse_name("13800138000", {}).value is None


def test_id_number_spoken_and_with_spaces() -> None:
    spoken = "".join("零幺二三四五六七八九"[int(c)] for c in ID)
    assert f.parse_id_number(spoken, {}).value == ID
    assert f.parse_id_number(f"{ID[:6]} {ID[6:14]} {ID[14:]}", {}).value == ID
    wrong = f.parse_id_number(ID[:-1] + ("1" if ID[-1] != "1" else "2"), {})
    assert wrong.value is None and "校验" in wrong.message


def test_card_must_match_the_id() -> None:
    assert f.parse_card_number(ID + "41", {"id_number": ID}).value == ID + "41"
    other = "23108119900101002" + id_check_digit("23108119900101002")
    assert f.parse_card_number(other + "41", {"id_number": ID}).value is None
    assert f.card_description(ID + "52") == "智力残疾二级"


def test_phone_same_as_proxy() -> None:
    slots = {"proxy_phone": "13912345678"}
    assert f.parse_phone("同上", slots, same_as="proxy_phone").value == "13912345678"
    assert f.parse_phone("幺三八 零零幺三 八零零零", {}).value == "13800138000"


def test_household_and_region() -> None:
    assert f.parse_household("低保边缘户", {}).value == "低保边缘"
    assert f.parse_household("都不是", {}).value == "无"
    assert f.parse_region("长治市潞城区", {}).value == "潞城区"
    assert f.parse_region("北京", {}).value is None


@pytest.mark.parametrize(
    ("text", "iso"),
    [("2020年5月1日", "2020-05-01"), ("二零二零年六月一日", "2020-06-01"), ("2019-12-31", "2019-12-31"),
     ("二零一九年十二月二十一号", "2019-12-21")],
)  # fmt: skip
def test_birth_dates(text, iso) -> None:
    assert f.parse_birth_date(text, {}, today=date(2026, 11, 22)).value == iso


def test_future_or_impossible_birth_dates_are_refused() -> None:
    assert f.parse_birth_date("2030年1月1日", {}, today=date(2026, 11, 22)).value is None
    assert f.parse_birth_date("2020年2月30日", {}, today=date(2026, 11, 22)).value is None


def test_corrections_name_the_field_first_mentioned() -> None:
    assert parse_correction("电话错了，是幺三九零零幺三九零零零") == ("phone", "幺三九零零幺三九零零零")
    assert parse_correction("住址错了，是潞城镇东街") == ("address", "潞城镇东街")
    assert parse_correction("身份证号不对") == ("id_number", None)
    assert parse_correction("都对") is None


def test_readback_groups_numbers_and_names_the_proxy() -> None:
    slots = {"benefit": "assistive_devices", "applicant_name": "王秀英", "id_number": ID, "card_number": ID + "41",
             "phone": "13800138000", "region": "潞城区", "town": "潞华街道", "address": "东街12号",
             "household": "无", "for_self": False, "proxy_name": "李明", "proxy_relation": "妈妈",
             "proxy_phone": "13912345678"}  # fmt: skip
    text = "\n".join(readback_messages(slots))
    assert "辅助器具适配" in text and "肢体残疾一级" in text and "138 0013 8000" in text
    assert "代办人：李明" in text and "妈妈" in text and "都不是" in text
    assert all(len(message) <= 150 for message in readback_messages(slots))
