"""Application intake through the real stack: gateway → Rasa → action server → gateway → database."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import create_engine, func, select
from sqlalchemy.orm import Session

from bot.rules.benefits import load_table
from bot.rules.id_card import id_check_digit
from bot.storage.models import Application
from tests.conftest import tracker_slots
from tests.stack.conversation import Conversation

ID_17 = "14042619750315002"  # 山西 prefix (not one of the two regions), born 1975-03-15, female
APPLICANT_ID = ID_17 + id_check_digit(ID_17)
CARD = APPLICANT_ID + "41"  # 肢体 一级
FORM_SLOTS = [*load_table().all_form_fields, "has_card", "speaker_name", "speaker_phone", "relation_clue"]


def wrong_check_digit(id_number: str) -> str:
    return id_number[:-1] + ("1" if id_number[-1] != "1" else "2")


def applications(stack) -> list[Application]:
    engine = create_engine(stack.config.database_url)
    with Session(engine) as session:
        rows = list(session.scalars(select(Application)))
    engine.dispose()
    return rows


def count_for(stack) -> int:
    engine = create_engine(stack.config.database_url)
    with Session(engine) as session:
        total = session.scalar(select(func.count()).select_from(Application))
    engine.dispose()
    return total


def reference_in(text: str) -> str:
    match = re.search(r"申请编号是 (\d{4}) (\d{4})", text)
    assert match, text
    return match.group(1) + match.group(2)


def assert_form_slots_cleared(stack, sender_id: str) -> None:
    """Security issue 11 item 5: nothing of the application is left in the Rasa tracker once it is stored."""
    slots = tracker_slots(stack, sender_id)
    left = {s: slots.get(s) for s in FORM_SLOTS if s != "region" and slots.get(s) not in (None, False)}
    assert not left, left


def fill_common(c: Conversation, *, region: str = "潞城区") -> None:
    """From the name to the household, one answer at a time (a wrong check digit on the way)."""
    c.expect("王秀英", "身份证号")
    c.expect(wrong_check_digit(APPLICANT_ID), "校验")
    c.expect(APPLICANT_ID, "残疾人证")
    c.expect(CARD, "电话")
    c.expect("138 0013 8000", "住在哪里")
    c.expect(f"{region}潞华街道东街12号", "低保")


@pytest.mark.stack
def test_care_subsidy_with_correction_at_readback_then_status_query(stack) -> None:
    before = count_for(stack)
    c = Conversation(stack.url)
    c.expect("我想申请护理补贴", "重度残疾人护理补贴", "同意吗")
    c.expect("同意", "给自己申请")
    c.expect("给自己", "姓名")
    fill_common(c)
    readback = c.expect("低保", "请核对", "王秀英", "肢体残疾一级", "138 0013 8000", "确认")
    assert "潞华街道东街12号" in readback
    corrected = c.expect("电话错了，是幺三九零零幺三九零零零", "改好了", "139 0013 9000")
    assert "138 0013 8000" not in corrected
    assert count_for(stack) == before, "nothing is written before the user confirms"
    done = c.expect("确认", "已经提交", "审核为准")
    reference = reference_in(done)
    stored = [a for a in applications(stack) if a.reference == reference]
    assert len(stored) == 1 and stored[0].benefit == "care_subsidy" and stored[0].region == "潞城区"
    assert_form_slots_cleared(stack, c.sender_id)

    c.expect("我的申请到哪了", "申请编号")
    c.expect(reference, "后4位")
    c.expect("9000", "护理补贴", "等待审核")

    c.expect("我的申请到哪了", "申请编号")
    c.expect(reference, "后4位")
    c.expect("1234", "没有查到")


@pytest.mark.stack
def test_a_daughter_gives_several_facts_in_dialect_and_is_asked_only_what_is_missing(stack) -> None:
    father_17 = "23108119530312239"
    father = father_17 + id_check_digit(father_17)
    c = Conversation(stack.url)
    c.expect("俺爸叫李长顺，俺是他闺女李秀芬，想给俺爸整那个护理补贴，俺电话13945678901", "护理补贴", "同意吗")
    noted = c.expect("同意", "记下了", "李长顺", "李秀芬", "139 4567 8901", "身份证号")
    assert "给自己申请，还是" not in noted
    c.expect(f"他身份证{father}，残疾证{father}11", "电话")
    c.expect("一样", "住在哪里")
    c.expect("阜宁镇建设村三组12号", "低保")
    readback = c.expect("低保", "请核对", "李长顺", "父亲", "阜宁镇建设村三组12号", "绥芬河市")
    assert "视力残疾一级" in readback
    reference = reference_in(c.expect("对", "已经提交", "审核为准"))
    stored = next(a for a in applications(stack) if a.reference == reference)
    assert stored.benefit == "care_subsidy" and stored.region == "绥芬河市" and stored.details["for_self"] is False
    assert_form_slots_cleared(stack, c.sender_id)


@pytest.mark.stack
def test_a_command_is_never_taken_for_a_name(stack) -> None:
    c = Conversation(stack.url)
    c.expect("我要申请生活补贴", "同意吗")
    c.expect("同意", "给自己")
    c.expect("给自己", "姓名")
    c.expect("提交", "名字", "姓名")
    c.expect("确认", "木子李", "转人工")
    c.expect("弓长张，建设的建，国家的国", "身份证号")
    assert tracker_slots(stack, c.sender_id)["applicant_name"] == "张建国"


@pytest.mark.stack
def test_cancel_keeps_nothing(stack) -> None:
    before = count_for(stack)
    c = Conversation(stack.url)
    c.expect("我要申请生活补贴", "同意吗")
    c.expect("同意", "给自己")
    c.expect("给自己", "姓名")
    c.expect("王秀英", "身份证号")
    c.expect("不办了", "已经取消")
    c.expect("确认")  # nothing pending: a yes does not submit anything
    assert count_for(stack) == before
    assert_form_slots_cleared(stack, c.sender_id)


@pytest.mark.stack
def test_no_consent_collects_nothing_and_explains_in_person_with_the_regions_hotline(stack) -> None:
    c = Conversation(stack.url)
    c.expect("我要申请无障碍改造，我住潞城区", "同意吗")
    answer = c.expect("不同意", "不记录", "当面申请", "12345")
    assert "12385" not in answer and "带上" not in answer  # 潞城区's plan names only 12345; no document list
    assert "身份证号" not in c.say("王秀英")


@pytest.mark.stack
def test_questions_are_answered_at_consent_and_mid_form_then_the_form_resumes(stack) -> None:
    c = Conversation(stack.url)
    c.expect("我想申请护理补贴", "同意吗")
    c.expect("你们要我身份证干啥用", "只用于这次申请", "同意吗")
    c.expect("同意", "给自己")
    c.expect("给自己", "姓名")
    c.expect("王秀英", "身份证号")
    c.expect(APPLICANT_ID, "残疾人证")
    c.expect("没有", "电话")
    c.expect("13800138000", "住在哪里")
    c.expect("潞城区潞华街道东街12号", "低保")
    answer = c.expect("残疾人证在哪里办", "接着填", "低保")
    assert "12345" in answer and "12385" not in answer


@pytest.mark.stack
def test_switching_benefit_keeps_what_was_said(stack) -> None:
    c = Conversation(stack.url)
    c.expect("我想申请生活补贴", "同意吗")
    c.expect("同意", "给自己")
    c.expect("给自己", "姓名")
    c.expect("王秀英", "身份证号")
    c.expect("我改主意了，申请辅助器具", "改为申请辅助器具适配", "身份证号")


@pytest.mark.stack
def test_child_rehabilitation_takes_the_birth_date_from_the_id(stack) -> None:
    child_17 = "23108120200601002"
    child_id = child_17 + id_check_digit(child_17)
    c = Conversation(stack.url)
    c.expect("帮孩子申请康复救助", "残疾儿童康复救助", "同意吗")
    c.expect("同意", "代办人")
    c.expect("张伟", "申请人的姓名")
    c.expect("张小明", "身份证号")
    c.expect(child_id, "残疾人证")
    c.expect("没有", "电话")
    c.expect("13912345678", "代办人")
    c.expect("同上", "住在哪里")
    c.expect("阜宁镇建设街3号", "低保")
    readback = c.expect("特困", "请核对", "2020年6月1日", "女儿")  # the ID's 17th digit is even
    assert "绥芬河市" in readback
    reference = reference_in(c.expect("确认", "已经提交", "审核为准"))
    stored = next(a for a in applications(stack) if a.reference == reference)
    assert stored.benefit == "child_rehab" and stored.region == "绥芬河市"


@pytest.mark.stack
def test_care_service_asks_how_and_prechecks_in_the_plans_words(stack) -> None:
    son_17 = "14040619990318669"
    son = son_17 + id_check_digit(son_17)
    c = Conversation(stack.url)
    c.expect("俺家小子智力残疾，想让他去阳光家园白天有人照看", "托养服务", "同意吗")
    c.expect("同意", "姓名")
    c.expect("郭宝山", "申请人的姓名")
    c.expect("郭小军", "身份证号")
    c.expect(son + "52", "电话")  # the card number alone carries the ID
    c.expect("13835511223", "代办人")
    c.expect("一样", "住在哪里")
    c.expect("微子镇西流村3号", "低保")
    readback = c.expect("都不是", "日间照料", "儿子")
    assert "潞城区" in readback
    done = c.expect("确认", "已经提交", "16-59周岁", "阳光家园", "审核为准")
    assert "12385" not in done


@pytest.mark.stack
def test_rasa_restart_mid_form_continues_from_redis(stack) -> None:
    c = Conversation(stack.url)
    c.expect("我想申请护理补贴", "同意吗")
    c.expect("同意", "给自己")
    c.expect("给自己", "姓名")
    stack.stop_one("rasa")
    stack.start_rasa()
    stack.wait_ready()
    c.expect("王秀英", "身份证号")
