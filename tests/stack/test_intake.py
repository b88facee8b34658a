"""Application intake through the real stack: gateway → Rasa → action server → gateway → database."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import create_engine, func, select
from sqlalchemy.orm import Session

from bot.rules.id_card import id_check_digit
from bot.storage.models import Application
from tests.conftest import tracker_slots
from tests.stack.conversation import Conversation

ID_17 = "14042619750315002"  # 山西 prefix, born 1975-03-15
APPLICANT_ID = ID_17 + id_check_digit(ID_17)
CARD = APPLICANT_ID + "41"  # 肢体 一级


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


def fill_common(c: Conversation, *, region: str = "潞城区") -> None:
    c.expect("王秀英", "身份证号")
    c.expect(wrong_check_digit(APPLICANT_ID), "校验")
    c.expect(APPLICANT_ID, "残疾人证")
    c.expect("有", "残疾人证号")
    c.expect(CARD, "电话")
    c.expect("138 0013 8000", "住在哪里")
    c.expect(region, "乡镇或街道")
    c.expect("潞华街道", "详细地址")
    c.expect("东街12号", "低保")


@pytest.mark.stack
def test_care_subsidy_with_correction_at_readback_then_status_query(stack) -> None:
    before = count_for(stack)
    c = Conversation(stack.url)
    c.expect("我想申请护理补贴", "重度残疾人护理补贴", "同意吗")
    c.expect("同意", "给自己申请")
    c.expect("给自己", "申请人的姓名")
    fill_common(c)
    readback = c.expect("低保", "请核对", "王秀英", "肢体残疾一级", "138 0013 8000", "确认")
    assert "潞华街道" in readback
    corrected = c.expect("电话错了，是幺三九零零幺三九零零零", "改好了", "139 0013 9000")
    assert "138 0013 8000" not in corrected
    assert count_for(stack) == before, "nothing is written before the user confirms"
    done = c.expect("确认", "已经提交", "审核为准")
    reference = reference_in(done)
    stored = [a for a in applications(stack) if a.reference == reference]
    assert len(stored) == 1 and stored[0].benefit == "care_subsidy" and stored[0].region == "潞城区"
    slots = tracker_slots(stack, c.sender_id)
    assert all(slots[s] is None for s in ("applicant_name", "id_number", "card_number", "phone", "address"))

    c.expect("我的申请到哪了", "申请编号")
    c.expect(reference, "后4位")
    c.expect("9000", "护理补贴", "等待审核")

    c.expect("我的申请到哪了", "申请编号")
    c.expect(reference, "后4位")
    c.expect("1234", "没有查到")


@pytest.mark.stack
def test_family_member_applies_for_a_wheelchair(stack) -> None:
    c = Conversation(stack.url)
    c.expect("帮我妈办个轮椅", "辅助器具适配", "同意吗")
    c.expect("同意", "代办人")  # for_self and the relation were understood from 帮我妈
    c.expect("李明", "代办人")
    c.expect("13912345678", "申请人的姓名")
    fill_common(c)
    readback = c.expect("都不是", "代办人：李明", "妈妈", "139 1234 5678", "都不是")
    assert "辅助器具适配" in readback
    reference = reference_in(c.expect("确认", "已经提交"))
    stored = next(a for a in applications(stack) if a.reference == reference)
    assert stored.for_self is False and stored.proxy_relation == "妈妈" and stored.household == "无"


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


@pytest.mark.stack
def test_no_consent_collects_nothing_and_explains_in_person(stack) -> None:
    c = Conversation(stack.url)
    c.expect("我要申请无障碍改造", "同意吗")
    c.expect("不同意", "不记录", "当面申请", "12385")
    assert "身份证号" not in c.say("王秀英")


@pytest.mark.stack
def test_policy_question_mid_form_is_answered_then_form_resumes(stack) -> None:
    c = Conversation(stack.url)
    c.expect("我想申请护理补贴", "同意吗")
    c.expect("同意", "给自己")
    c.expect("给自己", "姓名")
    # The region is not known yet and the two plans differ: the bot says so and carries on.
    c.expect("残疾人证在哪里办", "规定不一样", "接着填", "申请人的姓名")
    c.expect("王秀英", "身份证号")
    c.expect(APPLICANT_ID, "残疾人证")
    c.expect("没有", "电话")
    c.expect("13800138000", "住在哪里")
    c.expect("潞城区", "乡镇或街道")
    answer = c.expect("残疾人证在哪里办", "区残联", "接着填", "乡镇或街道")
    assert "12345" in answer


@pytest.mark.stack
def test_switching_benefit_keeps_what_was_said(stack) -> None:
    c = Conversation(stack.url)
    c.expect("我想申请生活补贴", "同意吗")
    c.expect("同意", "给自己")
    c.expect("给自己", "姓名")
    c.expect("王秀英", "身份证号")
    c.expect("我改主意了，申请辅助器具", "改为申请辅助器具适配", "身份证号")


@pytest.mark.stack
def test_child_rehabilitation_asks_the_birth_date(stack) -> None:
    child_17 = "23108120200601002"
    child_id = child_17 + id_check_digit(child_17)
    c = Conversation(stack.url)
    c.expect("帮孩子申请康复救助", "残疾儿童康复救助", "同意吗")
    c.expect("同意", "代办人")
    c.expect("张伟", "代办人")
    c.expect("13912345678", "申请人的姓名")
    c.expect("张小明", "身份证号")
    c.expect(child_id, "残疾人证")
    c.expect("没有", "电话")
    c.expect("同上", "住在哪里")
    c.expect("绥芬河", "乡镇或街道")
    c.expect("阜宁镇", "详细地址")
    c.expect("建设街3号", "低保")
    c.expect("特困", "出生日期")
    c.expect("二零二零年六月一日", "请核对", "2020-06-01")
    reference = reference_in(c.expect("确认", "已经提交", "审核为准"))
    stored = next(a for a in applications(stack) if a.reference == reference)
    assert stored.benefit == "child_rehab" and stored.region == "绥芬河市"


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
