"""Intake round 4 failure kinds, in the owner's own resident-style sentences (never a blind script's): radio-style
digits, corrections by place or by "是B不是A", the one field a wrong part fits at the read-back, a regraded card, a
house number said twice, a benefit switched with "给我办…" or after "…不中", names with rare surnames, and a value
the gateway refuses (asked again, then a person)."""

from __future__ import annotations

import pytest

from actions.intake_dialogue import refused
from bot.rules.benefits import detect_benefit, load_table, said_no_to, switch_target, wants_to_apply
from bot.rules.disability_card import regraded
from bot.rules.field_values import drop_repeated_number, parse_place, replace_unit_numbers, swap_in
from bot.rules.id_card import id_check_digit
from bot.rules.names import is_name, name_at
from bot.rules.number_fix import fix_number
from bot.rules.phone import validate_phone
from bot.rules.spoken_numbers import digits_from_speech
from bot.services.applications import InvalidApplication, Submission, checked_values
from tests.unit.test_intake_dialogue import Chat, started

AUNT_17 = "14040619620817042"
AUNT_ID = AUNT_17 + id_check_digit(AUNT_17)  # female, born 1962-08-17, 潞城 prefix
AUNT_CARD = AUNT_ID + "41"  # 肢体一级


def phone_ok(number: str) -> bool:
    return validate_phone(number).ok


def test_radio_digits_gou_for_nine() -> None:
    assert digits_from_speech("幺勾八 洞拐钩勾 两三四五") == "19807992345"


@pytest.mark.parametrize(
    ("said", "fixed"),
    [
        ("第四位是八", "15683345678"),
        ("倒数第二位应该是0", "15633345608"),
        ("第三位不是6 是9", "15933345678"),
        ("错了一个 最后是幺", "15633345671"),
        ("最后那个数是五", "15633345675"),
        ("末尾是两 不是八", "15633345672"),
    ],
)
def test_a_phone_corrected_by_the_place_of_the_digit(said: str, fixed: str) -> None:
    assert fix_number("15633345678", said, phone_ok) == fixed


@pytest.mark.parametrize(
    ("current", "said", "fixed"),
    [
        ("微子镇南街村27号", "应该是72号 不是27号", "微子镇南街村72号"),
        ("阜宁镇永和路3号2单元101", "是3单元，不是2单元", "阜宁镇永和路3号3单元101"),
        ("阜宁镇永和路3号2单元101", "不是二单元 是四单元", "阜宁镇永和路3号4单元101"),
        ("店上镇北村五组9号", "是六组9号 不是五组", "店上镇北村六组9号"),
    ],
)
def test_the_right_part_said_first_replaces_the_wrong_part(current: str, said: str, fixed: str) -> None:
    assert swap_in(current, said) == fixed


@pytest.mark.parametrize(
    ("said", "kept"),
    [
        ("南街村27号 二十七", "南街村27号"),
        ("永和路3号2单元101，幺零幺", "永和路3号2单元101"),
        ("北村五组9号 就是九号", "北村五组9号"),
        ("新华路3号楼1单元11", "新华路3号楼1单元11"),  # a room number is not a repetition
        ("光明街12号 21号", "光明街12号 21号"),
    ],
)
def test_a_house_number_said_again_in_other_words_is_kept_once(said: str, kept: str) -> None:
    assert drop_repeated_number(said) == kept


def test_an_address_answer_with_the_number_said_twice() -> None:
    assert parse_place("微子镇南街村27号 二十七", {}).value == "微子镇南街村27号"


@pytest.mark.parametrize(
    ("said", "card"),
    [
        ("去年重新评了 现在是二级", AUNT_ID + "42"),
        ("等级说错了 是三级不是一级", AUNT_ID + "43"),
        ("不是肢体 是视力残疾一级", AUNT_ID + "11"),
        ("我是一级", None),  # nothing changes
        ("一级还是二级 记不清了", None),  # two levels: not a regrade
    ],
)
def test_a_card_regraded_by_its_level_or_category_words(said: str, card: str | None) -> None:
    assert regraded(AUNT_CARD, said) == card


def _self_at_readback(opening: str, phone: str = "15633345678", address: str = "潞城区微子镇南街村27号") -> Chat:
    chat = started(opening)
    chat.say("同意")
    chat.say("我自己")
    chat.say("滕秀珍")
    chat.say(AUNT_ID)
    chat.say(AUNT_CARD)
    chat.say(phone)
    chat.say(address)
    chat.say("低保户")
    assert chat.asking == "confirmed"
    return chat


def test_a_correction_at_the_read_back_without_naming_the_field() -> None:
    chat = _self_at_readback("我想申请护理补贴")
    reply = chat.say("是72号 不是27号")
    assert chat.slots["address"] == "微子镇南街村72号" and "改好了" in reply and chat.asking == "confirmed"


def test_a_wrong_part_found_in_two_fields_is_not_guessed() -> None:
    chat = _self_at_readback("我想申请护理补贴", phone="15633345627", address="潞城区微子镇南街村27号")
    chat.say("是72 不是27")
    assert chat.slots["address"] == "微子镇南街村27号" and chat.slots["phone"] == "15633345627"


def test_the_phone_corrected_with_how_many_digits_are_wrong() -> None:
    chat = _self_at_readback("我想申请护理补贴")
    chat.say("电话 错 一个。 最后 是 1。 不 是 8")
    assert chat.slots["phone"] == "15633345671"


def test_the_card_regraded_at_the_read_back() -> None:
    chat = _self_at_readback("我想申请护理补贴")
    reply = chat.say("残疾证上的等级错了 俺是二级 不是一级")
    assert chat.slots["card_number"] == AUNT_ID + "42" and "肢体残疾二级" in reply


@pytest.mark.parametrize(
    ("said", "current", "target"),
    [
        ("俺不是低保户 生活补贴怕是不中 那就给俺办护理补贴吧", "living_subsidy", "care_subsidy"),
        ("给她申请托养吧 护理补贴办不了", "care_subsidy", "care_service"),
    ],
)
def test_a_switch_said_as_a_request_after_a_benefit_that_will_not_do(said: str, current: str, target: str) -> None:
    assert switch_target(said, current) == target


def test_a_benefit_that_will_not_do_is_said_no_to_but_not_a_question_about_it() -> None:
    assert said_no_to("生活补贴不中 那算了", "living_subsidy")
    assert not said_no_to("生活补贴不中吗", "living_subsidy")


@pytest.mark.parametrize("name", ["傅红梅", "水清河", "晁明远", "钟离秀英", "第五文博"])
def test_rare_and_compound_surnames_are_names(name: str) -> None:
    assert is_name(name)


def test_a_rare_surname_found_inside_a_sentence() -> None:
    assert name_at("我是他闺女傅红梅，电话", 5) == "傅红梅"


def _record(applicant: str) -> dict:
    return {"benefit": "care_subsidy", "for_self": True, "applicant_name": applicant, "id_number": AUNT_ID,
            "card_number": AUNT_CARD, "phone": "15633345678", "address": "微子镇南街村27号", "town": "微子镇",
            "region": "潞城区", "household": "低保"}  # fmt: skip


def test_the_gateway_checks_a_name_as_the_form_reads_it() -> None:
    table = load_table()
    assert checked_values(table, Submission(**_record("仝样花"), idempotency_key="unit-test", sender_id="unit"))
    with pytest.raises(InvalidApplication):
        checked_values(table, Submission(**_record("提交"), idempotency_key="unit-test", sender_id="unit"))


def test_a_value_the_gateway_refuses_is_asked_again_then_a_person_helps() -> None:
    table = load_table()
    chat = _self_at_readback("我想申请护理补贴")
    turn = refused(table, chat.slots, "applicant_name", "申请人的名字不对，请再核对。")
    assert turn.outcome is None and turn.requested == "applicant_name"
    assert turn.slots["applicant_name"] is None and "名字不对" in turn.messages[0]["text"]
    chat.slots.update(turn.slots)
    chat.slots["requested_slot"] = turn.requested
    chat.say("滕秀珍")
    assert chat.asking == "confirmed"
    again = refused(table, chat.slots, "applicant_name", "申请人的名字不对，请再核对。")
    assert again.outcome == "handover" and "工作人员" in again.messages[0]["text"]


def test_a_question_about_levels_does_not_regrade_the_card() -> None:
    chat = _self_at_readback("我想申请护理补贴")
    chat.say("四级的现在是不是办不了？")
    assert chat.slots["card_number"] == AUNT_CARD


@pytest.mark.parametrize(
    ("said", "benefit"),
    [
        ("想给俺对象申请燃油的补贴", "fuel_subsidy"),
        ("俺开三轮摩托 想领点油费", "fuel_subsidy"),
        ("补贴 护理 我 妈 申请", "care_subsidy"),
        ("给俺娘办个护理吧", "care_subsidy"),
        ("俺家是低保 想办个生活的补贴", "living_subsidy"),
    ],
)
def test_a_benefit_word_said_apart_from_subsidy_names_the_benefit(said: str, benefit: str) -> None:
    assert detect_benefit(said) == benefit and wants_to_apply(said)


@pytest.mark.parametrize("said", ["俺娘瘫了 需要护理", "护理床多少钱", "生活补贴费用怎么算的"])
def test_care_as_a_need_or_a_device_is_not_an_application(said: str) -> None:
    assert not wants_to_apply(said)


def test_a_question_before_agreeing_is_answered_then_consent_is_asked_again() -> None:
    chat = started("俺想给小孙子申请康复救助")
    reply = chat.say("同意前先问下 几岁以前的孩子能救助")
    assert chat.asking == "pi_consent" and not chat.slots.get("pi_consent")
    assert "0到6岁" in reply and "潞城区" in reply and reply.rstrip().endswith("您同意吗？")


def test_who_qualifies_is_answered_for_both_regions_before_the_region_is_known() -> None:
    chat = started("我想给我姐申请护理补贴 她是智力四级")
    chat.say("同意")
    chat.say("凌小娟")
    reply = chat.say("四级智力的能不能领啊")
    assert "三、四级智力" in reply and "潞城区" in reply and "审核为准" in reply
    assert chat.asking == "applicant_name"


@pytest.mark.parametrize("said", ["工作人员会上门来量一量吗？", "审核的人是残联的吗"])
def test_a_question_about_the_staff_mid_form_is_not_a_hand_over(said: str) -> None:
    chat = started("我想给我妈申请无障碍改造")
    chat.say("同意")
    chat.say(said, "request_human")
    assert chat.last.outcome is None and chat.asking == "proxy_name"


def test_asking_for_a_person_mid_form_still_hands_over() -> None:
    chat = started("我想给我妈申请无障碍改造")
    chat.say("同意")
    chat.say("能不能给我转人工？", "request_human")
    assert chat.last.outcome == "reject"


@pytest.mark.parametrize("said", ["你这机器能听懂吗？俺要跟人工说", "能不能转到热线那边的人？"])
def test_a_question_that_also_asks_for_a_person_hands_over(said: str) -> None:
    chat = started("我想给我妈申请无障碍改造")
    chat.say("同意")
    chat.say(said, "request_human")
    assert chat.last.outcome == "reject"


@pytest.mark.parametrize(
    ("said", "address"),
    [("门牌号是72号", "微子镇南街村72号"), ("地址应该是七十二号", "微子镇南街村72号")],
)
def test_the_house_number_said_anew_at_the_read_back(said: str, address: str) -> None:
    chat = _self_at_readback("我想申请护理补贴")
    reply = chat.say(said)
    assert chat.slots["address"] == address and "改好了" in reply


def test_a_unit_number_replaces_only_that_unit() -> None:
    assert replace_unit_numbers("阜宁镇永和路3号2单元101", "3单元") == "阜宁镇永和路3号3单元101"
    assert replace_unit_numbers("阜宁镇永和路3号楼2单元101", "5号楼") == "阜宁镇永和路5号楼2单元101"
    assert replace_unit_numbers("阜宁镇永和路3号2单元101", "就是这个") is None


def test_a_whole_phone_said_again_at_the_read_back_replaces_the_one_phone() -> None:
    chat = _self_at_readback("我想申请护理补贴")
    reply = chat.say("幺五六 三三三四 五六七九")
    assert chat.slots["phone"] == "15633345679" and "改好了" in reply


def test_a_whole_phone_at_the_read_back_is_not_guessed_between_two_phones() -> None:
    chat = started("我想给我妈申请护理补贴")
    answers = ("同意", "凌小娟", "滕秀珍", AUNT_ID, AUNT_CARD, "15633345678", "13512345678", "微子镇南街村27号", "低保")
    for text in answers:
        chat.say(text)
    assert chat.asking == "confirmed"
    chat.say("15633345679")
    assert (chat.slots["phone"], chat.slots["proxy_phone"]) == ("15633345678", "13512345678")


def test_whether_the_household_qualifies_is_answered_from_the_plans() -> None:
    chat = started("我想给我爸申请生活补贴")
    chat.say("同意")
    chat.say("凌小娟")
    chat.say("凌德福")
    reply = chat.say("俺家不算低保 算低保边缘户 这个能办不")
    assert "低保边缘" in reply and "逐步" in reply and chat.asking == "id_number"


def test_asking_where_the_mistake_is_clears_nothing() -> None:
    chat = _self_at_readback("我想申请护理补贴")
    chat.say("地址错在哪了？")
    assert chat.slots["address"] == "微子镇南街村27号" and chat.asking == "confirmed"


@pytest.mark.parametrize(
    "said",
    ["不办了 我儿子说村里已经帮着报上去了", "算了吧，俺再跟孩子他爹商量商量", "取消 社区那边说他们来弄"],
)
def test_a_cancel_said_first_with_its_reason_cancels_at_the_address(said: str) -> None:
    chat = started("我想申请护理补贴")
    for answer in ("同意", "我自己", "滕秀珍", AUNT_ID, AUNT_CARD, "15633345678"):
        chat.say(answer)
    assert chat.asking == "address"
    reply = chat.say(said)
    assert chat.last.outcome == "cancelled" and "取消" in reply and not chat.slots.get("address")


def test_an_address_that_merely_names_a_place_is_not_a_cancel() -> None:
    chat = started("我想申请护理补贴")
    for answer in ("同意", "我自己", "滕秀珍", AUNT_ID, AUNT_CARD, "15633345678"):
        chat.say(answer)
    chat.say("微子镇南街村27号，社区旁边")
    assert chat.slots.get("address") and chat.last.outcome != "cancelled"
