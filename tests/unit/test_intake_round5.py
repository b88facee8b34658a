"""Intake round 5 failure kinds, in the owner's own resident-style sentences (never a blind script's):

- a building, 栋 or 单元 number corrected at the read-back ("楼号错了 是6号楼 不是4号楼", "是5栋 不是2栋 单元没错"):
  the part carries an address unit, so only the address can take it (never a phone or an ID digit), the wrong part
  said after 不是 does not undo the right one, a remark on another part ("单元没错") ends the correction, and a
  value changed by a swap is stored only as checked (an ID never grows a digit);
- the floor or a story about the home said after 住 ("住三楼 没电梯", "住一楼 门口台阶高") is no address;
- the kind of 托养 told by when ("白天送去…机构" is day care), the institution itself naming none.
"""

from __future__ import annotations

import pytest

from bot.rules.field_values import replace_unit_numbers, swap_in
from tests.unit.test_intake_dialogue import Chat, started
from tests.unit.test_intake_round4 import AUNT_CARD, AUNT_ID

PHONE = "15633345678"  # holds one 4, one 7: a digit swap alone could "fit" it
FLATS = "潞城区微子镇南街社区4号楼3单元502"
BLOCKS = "潞城区微子镇兴华路8号2栋1单元301"


def _at_readback(address: str, opening: str = "我想申请护理补贴") -> Chat:
    chat = started(opening)
    for answer in ("同意", "我自己", "滕秀珍", AUNT_ID, AUNT_CARD, PHONE, address, "低保户"):
        chat.say(answer)
    assert chat.asking == "confirmed"
    return chat


def _unchanged_numbers(chat: Chat) -> bool:
    slots = chat.slots
    return (slots["id_number"], slots["card_number"], slots["phone"]) == (AUNT_ID, AUNT_CARD, PHONE)


@pytest.mark.parametrize(
    "said",
    [
        "楼号错了 是6号楼 不是4号楼",
        "楼号说错了，应该是六号楼",
        "几号楼说错了 是6号楼",
        "不是4号楼 是6号楼",
        "是6号楼 不是4号楼",
        "4号楼改成6号楼",
        "楼号不对 不是四号楼 是六号楼 单元没错",
        "俺说的是6号楼 你给记成4号楼了",
        "是6号楼 4号楼不对",
        "6号楼 不是4号楼",
        "楼号应该是六号楼",
        "是三单元 没错 楼号错了 是6号楼",
    ],
)
def test_a_building_number_corrected_at_the_read_back(said: str) -> None:
    chat = _at_readback(FLATS)
    reply = chat.say(said)
    assert chat.slots["address"] == "微子镇南街社区6号楼3单元502", reply
    assert _unchanged_numbers(chat) and "改好了" in reply and chat.asking == "confirmed"


@pytest.mark.parametrize(
    ("said", "address"),
    [
        ("栋号不对 应该是5栋 不是2栋 别的都对", "微子镇兴华路8号5栋1单元301"),
        ("是十二栋 不是二栋，单元号是对的", "微子镇兴华路8号12栋1单元301"),
        ("楼栋说错了 是7栋", "微子镇兴华路8号7栋1单元301"),
        ("单元错了 是2单元 不是1单元 楼没错", "微子镇兴华路8号2栋2单元301"),
        ("房号错了 是302 不是301", "微子镇兴华路8号2栋1单元302"),
        ("房间号是302 不是301", "微子镇兴华路8号2栋1单元302"),
        ("幺二栋 不是二栋", "微子镇兴华路8号12栋1单元301"),
        ("单元号错了 三单元", "微子镇兴华路8号2栋3单元301"),
    ],
)
def test_a_block_or_unit_corrected_with_a_remark_on_another_part(said: str, address: str) -> None:
    chat = _at_readback(BLOCKS)
    reply = chat.say(said)
    assert chat.slots["address"] == address, reply
    assert _unchanged_numbers(chat) and chat.asking == "confirmed"


def test_a_block_correction_that_fits_no_part_of_the_address_changes_no_number() -> None:
    chat = _at_readback("潞城区微子镇南街村27号")
    chat.say("是12栋 不是2栋")
    assert _unchanged_numbers(chat) and chat.slots["address"] == "微子镇南街村27号"
    assert len(chat.slots["id_number"]) == 18 and chat.asking == "confirmed"


def test_the_wrong_unit_said_after_bushi_does_not_undo_the_right_one() -> None:
    assert replace_unit_numbers("微子镇南街社区4号楼3单元502", "6号楼 不是4号楼") == "微子镇南街社区6号楼3单元502"
    assert replace_unit_numbers("微子镇兴华路8号2栋1单元301", "5栋 单元没错") == "微子镇兴华路8号5栋1单元301"


def test_a_remark_on_another_part_ends_the_swapped_part() -> None:
    assert swap_in("微子镇兴华路8号2栋1单元301", "是5栋不是2栋单元没错") == "微子镇兴华路8号5栋1单元301"
    assert swap_in("微子镇兴华路8号2栋1单元301", "不是2栋 是5栋 其他都对") == "微子镇兴华路8号5栋1单元301"


@pytest.mark.parametrize(
    "opening",
    [
        "俺爸住三楼 没电梯 腿脚不行下不了楼 想申请无障碍改造",
        "我妈住一楼 门口台阶太高 轮椅推不出去 想申请家庭无障碍改造",
        "俺住顶楼 上下楼费劲 听说有给家里改造的",
        "他住平房 厕所在院子外头 想给改造一下",
        "俺娘住6楼 楼道连个扶手都没有 想办个无障碍改造",
        "俺爹住村里 出门就是土路 轮椅推不动 想申请改造",
        "住在农村 厕所是旱厕 想申请家庭无障碍改造",
        "住的是公租房 三楼 想申请改造",
    ],
)
def test_the_floor_or_a_story_about_the_home_is_no_address(opening: str) -> None:
    chat = started(opening)
    reply = chat.say("同意")
    assert not chat.slots.get("address") and "住址" not in reply


@pytest.mark.parametrize(
    ("opening", "address"),
    [
        ("俺家住微子镇南街村27号 门口台阶太高 轮椅出不去 想申请无障碍改造", "微子镇南街村27号"),
        ("俺爸住幸福小区5号楼 一楼 门口台阶高 想申请改造", "幸福小区5号楼"),
    ],
)
def test_an_address_said_in_passing_stops_before_the_story_about_the_home(opening: str, address: str) -> None:
    chat = started(opening)
    chat.say("同意")
    assert chat.slots["address"] == address


def test_a_village_said_in_passing_is_still_kept_for_its_house_number() -> None:
    chat = started("我爸住店上镇东邑村 门口台阶高 想申请改造")
    chat.say("同意")
    assert chat.slots["address_part"] == "店上镇东邑村" and chat.slots["town"] == "店上镇"


@pytest.mark.parametrize(
    ("opening", "mode"),
    [
        ("想给我弟申请托养 白天送到托养机构 晚上接回来", "日间照料"),
        ("我儿子智力残疾 白天想送去机构待着 想办托养", "日间照料"),
        ("想办托养 早上送过去下午接回家那种", "日间照料"),
        ("想给俺闺女办托养 让她长期住在托养机构里", "集中照护"),
        ("俺弟白天晚上都离不了人 想让他住进托养机构 办个托养", "集中照护"),
        ("想给我姐申请托养 平时住那 周末接回家", "集中照护"),
        ("想给我姐申请托养服务 让人上门照顾", "居家服务"),
        ("俺弟在家 有人来照顾就行 想申请托养", "居家服务"),
        ("想申请托养 上午送去中午接回来", "日间照料"),
        ("想申请托养 送去住着 不回来了", "集中照护"),
    ],
)
def test_the_kind_of_care_is_told_by_when_and_where_they_sleep(opening: str, mode: str) -> None:
    chat = started(opening)
    chat.say("同意")
    assert chat.slots.get("care_mode") == mode


def test_naming_the_institution_alone_leaves_the_kind_of_care_to_be_asked() -> None:
    chat = started("俺想给我哥申请托养 送到托养机构去")
    chat.say("同意")
    assert not chat.slots.get("care_mode")


def test_a_correction_to_the_value_already_held_says_so_and_asks_again() -> None:
    chat = _at_readback(FLATS)
    reply = chat.say(f"身份证号不对，应该是{AUNT_ID}")
    assert "记的就是" in reply and "不用改" in reply and "确认" in reply
    assert chat.asking == "confirmed" and _unchanged_numbers(chat)
    chat.say("确认")
    assert chat.last.outcome == "confirmed"


@pytest.mark.parametrize(
    "asked",
    ["先问一下 这个托养是啥样的人都收吗", "托养收不收俺家这样智力残疾的", "同意之前问问 托养都收什么样的人"],
)
def test_who_a_benefit_takes_asked_at_consent_is_not_taken_for_what_consent_means(asked: str) -> None:
    chat = started("想给俺弟申请托养")
    reply = chat.say(asked)
    assert "就业年龄段" in reply and "意思是" not in reply
    assert chat.asking == "pi_consent" and not chat.slots.get("pi_consent")


def test_what_consent_means_is_still_answered() -> None:
    chat = started("想给俺弟申请托养")
    reply = chat.say("同意是啥意思")
    assert "意思是" in reply and chat.asking == "pi_consent"


@pytest.mark.parametrize("asked", ["一年到底能给多少钱", "这个一个月给多少", "能补多少钱啊"])
def test_how_much_asked_mid_form_without_naming_the_benefit_is_about_this_one(asked: str) -> None:
    chat = started("我想申请护理补贴")
    chat.say("同意")
    chat.say("我自己")
    reply = chat.say(asked)
    assert "[FAQ faq/severe_care_subsidy]" in reply and "回答不了" not in reply
    assert chat.asking == "applicant_name"


@pytest.mark.parametrize(
    "said",
    ["不对不对 是6号楼 不是4号楼", "哦 说错了 应该是6号楼", "刚才楼号说错了 是6号楼", "地址那个不对 4号楼不对 是6号楼"],
)
def test_a_building_number_corrected_right_after_the_address_was_taken(said: str) -> None:
    chat = started("我想申请护理补贴")
    for answer in ("同意", "我自己", "滕秀珍", AUNT_ID, AUNT_CARD, PHONE, FLATS):
        chat.say(answer)
    assert chat.asking == "household"
    reply = chat.say(said)
    assert chat.slots["address"] == "微子镇南街社区6号楼3单元502" and "6号楼" in reply
    assert not chat.slots.get("household") and chat.asking == "household" and "回答不了" not in reply
    assert _unchanged_numbers(chat)


def test_no_no_is_not_a_question() -> None:
    chat = started("我想申请护理补贴")
    for answer in ("同意", "我自己", "滕秀珍", AUNT_ID, AUNT_CARD, PHONE, FLATS):
        chat.say(answer)
    reply = chat.say("不行不行 不对 那个是6号楼")
    assert "回答不了" not in reply
