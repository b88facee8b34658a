"""Reading one answer to one application question, by the field's kind (pure functions)."""

from datetime import date

import pytest

from bot.rules import field_values as f
from bot.rules.benefits import load_table
from bot.rules.id_card import id_check_digit
from bot.rules.names import is_name, spelled_name

ID = "14042619750315002" + id_check_digit("14042619750315002")
TABLE = load_table()


def answer(key: str, text: str, slots: dict | None = None) -> f.Parsed:
    return f.parse_answer(TABLE.fields[key], text, slots or {})


CONSENTS = [("同意", True), ("好的", True), ("中", True), ("不同意", False), ("不", False), ("这是干什么用的", None),
            ("嗯？这是干啥", None)]  # fmt: skip


@pytest.mark.parametrize(("text", "value"), CONSENTS)
def test_consent(text, value) -> None:
    assert answer("pi_consent", text).value is value


@pytest.mark.parametrize("word", ["提交", "确认", "对", "取消", "不知道", "是的", "好的", "没有", "同意", "低保"])
def test_commands_and_fillers_are_never_names(word) -> None:
    assert not is_name(word)
    assert answer("applicant_name", word).value is None


NAMES = [("王秀英", "王秀英"), ("我叫王秀英", "王秀英"), ("嗯 我叫何翠萍", "何翠萍"), ("欧阳春梅", "欧阳春梅"),
         ("阿依古丽·买买提", "阿依古丽·买买提")]  # fmt: skip


@pytest.mark.parametrize(("text", "name"), NAMES)
def test_names(text, name) -> None:
    assert answer("applicant_name", text).value == name


def test_names_can_be_spelled_out() -> None:
    assert spelled_name("木子李，长短的长，顺利的顺") == "李长顺"
    assert answer("applicant_name", "弓长张 建设的建 国家的国").value == "张建国"
    assert spelled_name("提交，确认") is None


def test_long_sentences_and_numbers_are_not_names() -> None:
    for text in ("护理补贴怎么申请", "13800138000", "我不知道他叫什么", "高位截瘫了"):
        assert answer("applicant_name", text).value is None


RELATION_ANSWERS = [("是我父亲", "父亲"), ("我妈", "母亲"), ("俺爹", "父亲"), ("她是我奶奶", "奶奶"), ("闺女", "女儿"),
                    ("我姥姥", "外婆")]  # fmt: skip


@pytest.mark.parametrize(("text", "relation"), RELATION_ANSWERS)
def test_relations_are_what_the_applicant_is_to_the_proxy(text, relation) -> None:
    assert answer("proxy_relation", text).value == relation


def test_a_relation_that_needs_the_applicants_sex_waits_for_the_id() -> None:
    parsed = answer("proxy_relation", "我老伴")
    assert parsed.value is None and parsed.message is None
    assert parsed.also["relation_clue"] == {"male": "丈夫", "female": "妻子"}
    assert answer("proxy_relation", "我老伴", {"id_number": ID}).value == "妻子"  # 17th digit even: female


def test_id_number_spoken_with_spaces_and_wrong_check_digit() -> None:
    spoken = "".join("零幺二三四五六七八九"[int(c)] for c in ID)
    assert answer("id_number", spoken).value == ID
    assert answer("id_number", f"{ID[:6]} {ID[6:14]} {ID[14:]}").value == ID
    wrong = answer("id_number", ID[:-1] + ("1" if ID[-1] != "1" else "2"))
    assert wrong.value is None and "校验" in wrong.message


def test_card_number_or_none() -> None:
    assert answer("card_number", ID + "41", {"id_number": ID}).value == ID + "41"
    assert answer("card_number", "没有", {"id_number": ID}).value == f.NO_CARD
    assert answer("card_number", "还没办残疾证", {"id_number": ID}).value == f.NO_CARD
    other = "23108119900101002" + id_check_digit("23108119900101002")
    mismatch = answer("card_number", other + "41", {"id_number": ID})
    assert mismatch.value is None and "身份证号" in mismatch.message
    yes = answer("card_number", "有", {"id_number": ID})
    assert yes.value is None and yes.also == {"has_card": True}


def test_phone_same_as_the_other_phone() -> None:
    assert answer("proxy_phone", "一样", {"phone": "13912345678"}).value == "13912345678"
    assert answer("phone", "同上", {"proxy_phone": "13912345678"}).value == "13912345678"
    assert answer("phone", "幺三八 零零幺三 八零零零").value == "13800138000"
    assert "11位" in answer("phone", "1380013800").message


def test_address_gives_town_and_region() -> None:
    parsed = answer("address", "绥芬河市阜宁镇建设村三组12号")
    assert parsed.value == "阜宁镇建设村三组12号"
    assert parsed.also == {"town": "阜宁镇", "region": "绥芬河市"}
    only_town = answer("address", "潞华街道")
    assert only_town.value is None and only_town.also["region"] == "潞城区"
    assert answer("address", "建设村三组12号", {"town": "阜宁镇"}).value == "阜宁镇建设村三组12号"


def test_household_region_and_choices() -> None:
    assert answer("household", "低保边缘户").value == "低保边缘"
    assert answer("household", "都不是").value == "无"
    assert answer("household", "甚也不是").value == "无"
    assert answer("household", "不是低保").value == "无"
    assert answer("region", "长治市潞城区").value == "潞城区"
    assert answer("region", "北京").value is None
    assert answer("care_mode", "白天去就行").value == "日间照料"
    assert answer("care_mode", "让他住到机构里").value == "集中照护"
    assert answer("vehicle", "有").value == "机动轮椅车"
    assert answer("device", "想要个伦椅").value == "轮椅"
    assert answer("device", "坐便椅").value == "坐便椅"


@pytest.mark.parametrize(
    ("text", "iso"),
    [("2020年5月1日", "2020-05-01"), ("二零二零年六月一日", "2020-06-01"), ("2019-12-31", "2019-12-31"),
     ("二零一九年十二月二十一号", "2019-12-21")],
)  # fmt: skip
def test_birth_dates(text, iso) -> None:
    assert f.parse_date(text, today=date(2026, 11, 22)).value == iso


def test_future_or_impossible_birth_dates_are_refused() -> None:
    assert f.parse_date("2030年1月1日", today=date(2026, 11, 22)).value is None
    assert f.parse_date("2020年2月30日", today=date(2026, 11, 22)).value is None
