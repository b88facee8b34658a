"""Round 2 of issue 14: the failure kinds seen in blind batch b2, as rules (each case in the owner's own words)."""

from __future__ import annotations

import pytest

from bot.rules.benefits import detect_benefit, switch_target
from bot.rules.field_values import complete_address, parse_for_self, parse_place, read_name, swap_in
from bot.rules.id_card import id_check_digit, validate_id_number
from bot.rules.kinship import relation_answer, relation_clue
from bot.rules.places import tidy_numbers

SON_ID = "14040619880505125" + id_check_digit("14040619880505125")  # ends in X


@pytest.mark.parametrize(
    ("said", "stored"),
    [
        ("北坡村 五组 8号 微子那边的", "微子镇北坡村五组8号"),  # the town said last
        ("光明社区 和平路 九号 就是绥芬河镇上", "绥芬河镇光明社区和平路9号"),
        ("潞华街道 东关社区 建设路 十六号 二单元 三零二", "潞华街道东关社区建设路16号2单元302"),  # spoken numbers
        ("辛安泉镇石梁村东街7号（村委会往东走）", "辛安泉镇石梁村东街7号"),  # a remark in brackets
        ("合室乡西流村6号 (No. 6, Xiliu)", "合室乡西流村6号"),  # Latin letters
        ("成家川 街道，成家川村 新村路 4号", "成家川街道成家川村新村路4号"),  # the town alone, then the rest
        ("就在成家川街道那个西关社区，育才路5号院3号楼2单元101", "成家川街道西关社区育才路5号院3号楼2单元101"),
        ("在阜宁那嘎达 建设村三组12号", "阜宁镇建设村三组12号"),  # fillers dropped
        ("黄牛蹄乡 黄牛蹄村 一百零五号", "黄牛蹄乡黄牛蹄村105号"),
    ],
)
def test_an_address_is_stored_as_written_on_papers(said: str, stored: str) -> None:
    assert parse_place(said, {}).value == stored


@pytest.mark.parametrize("said", ["先问一下，改造是不是只给重度的？", "不是502 是402", "请问要带户口本吗"])
def test_a_question_or_a_correction_is_never_an_address(said: str) -> None:
    assert parse_place(said, {"address_part": "店上镇东邑村"}).value is None


def test_village_groups_and_place_names_keep_their_characters() -> None:
    assert tidy_numbers("合室乡十里铺村三组五号") == "合室乡十里铺村三组5号"
    assert tidy_numbers("翟店镇二道街") == "翟店镇二道街"


@pytest.mark.parametrize(
    ("part", "answer", "whole"),
    [
        ("翟店镇南庄村", "西头12号", "翟店镇南庄村西头12号"),
        ("阜宁镇亮子川村", "亮子川二组 6号", "阜宁镇亮子川村二组6号"),  # the village said without 村
        ("阜宁镇红旗村", "红旗村一组2号", "阜宁镇红旗村一组2号"),
        ("阜宁镇红旗村", "没有门牌号", "阜宁镇红旗村"),
        ("阜宁镇红旗村", "绥芬河镇通天路3号", None),  # another town: a different address
        ("史回村", "史回镇史回村南街8号", None),  # a town the gazetteer does not know is still a town
    ],
)
def test_the_house_number_completes_a_village_heard_earlier(part: str, answer: str, whole: str | None) -> None:
    assert complete_address(part, answer) == whole


@pytest.mark.parametrize(
    ("said", "fixed"),
    [
        ("不是502 是402 四楼", "青云路108号2单元402"),
        ("602 不是，402 是。", None),  # 602 is not in the address: nothing is guessed
        ("不是2单元 是3单元", "青云路108号3单元502"),
        ("108号改成118号", "青云路118号2单元502"),
    ],
)
def test_a_correction_that_names_the_wrong_part_swaps_it(said: str, fixed: str | None) -> None:
    assert swap_in("青云路108号2单元502", said) == fixed


@pytest.mark.parametrize(
    ("said", "for_self"),
    [
        ("不是 俺不是给自己整 说来话长 俺婆婆腿脚不行 俺是她儿媳妇", False),
        ("不是我自己，是我爸", False),
        ("给我自己办", True),
        ("我自己的", True),
        ("帮邻居问的", False),
    ],
)
def test_for_whom_reads_the_negation_of_a_long_story(said: str, for_self: bool) -> None:
    assert parse_for_self(said).value is for_self


def test_the_one_name_in_characters_among_pinyin_is_the_name() -> None:
    assert read_name("wang gui sheng, 王贵生") == "王贵生"
    assert read_name("wang gui sheng") is None


def test_a_stray_spoken_digit_before_an_id_number_is_dropped_by_the_check_digit() -> None:
    assert validate_id_number(f"最后那个不是幺 是叉 {SON_ID}").value == SON_ID
    assert validate_id_number(f"最后那个不是幺 是叉 {SON_ID}").ok
    assert not validate_id_number(SON_ID[:-1] + "1").ok  # a wrong check digit is still wrong
    assert not validate_id_number("1" + SON_ID[:-1] + "1").ok  # 19 digits with no valid window


@pytest.mark.parametrize(
    ("said", "relation"),
    [
        ("俺是孩子他爸", "儿子"),  # the child's father speaking (the applicant is a boy by the ID)
        ("帮孩子他妈申请", "妻子"),  # the speaker's wife
        ("俺是隔壁的邻居 老刘一个人过", "邻居"),
        ("我是村里的网格员", "其他"),
        ("我是他朋友，不是亲戚", "朋友"),
        ("帮我邻居办", "邻居"),
    ],
)
def test_relation_words_including_people_who_are_not_family(said: str, relation: str) -> None:
    found = relation_clue(said)
    assert found is not None and found[0].resolve("男") == relation


def test_a_neighbour_is_a_relation_answer_and_never_other_family() -> None:
    assert relation_answer("邻居").resolve(None) == "邻居"
    assert relation_answer("是邻居").resolve(None) == "邻居"


def test_barriers_at_home_name_the_modification_over_a_device_said_in_passing() -> None:
    assert detect_benefit("我坐轮椅十来年了 家里卫生间门太窄进不去 院里台阶也高") == "home_modification"
    assert detect_benefit("想要个轮椅") == "assistive_devices"
    assert detect_benefit("我坐轮椅 想申请护理补贴") == "care_subsidy"


@pytest.mark.parametrize(
    ("said", "current", "target"),
    [
        ("她是四级 护理补贴是不是办不了 那就换成辅助器具吧", "care_subsidy", "assistive_devices"),  # inside a question
        ("俺说岔了 护理补贴早批了 是想要托养 白天去的那种", "care_subsidy", "care_service"),
        ("还是办家里改造吧", "assistive_devices", "home_modification"),
        ("先办个轮椅 改造往后放放", "home_modification", "assistive_devices"),
        ("护理补贴是不是只给一级二级的", "living_subsidy", None),  # only a question about another benefit
        ("生活补贴多久能批下来", "living_subsidy", None),
    ],
)
def test_a_benefit_switch_is_the_benefit_chosen(said: str, current: str, target: str | None) -> None:
    assert switch_target(said, current) == target


@pytest.mark.parametrize("said", ["提交", "确认", "对", "取消", "不知道", "邻居", "街坊", "网格员", "亲戚"])
def test_commands_fillers_and_relation_words_are_never_names(said: str) -> None:
    assert read_name(said) is None
