"""Every FAQ answer the bot can give — for each region and for a resident whose region is not known yet — says that
answer's facts and nothing its fact check forbids (tests/data/faq_cases.yml), against the real stack."""

from __future__ import annotations

import pytest

from bot.rules.regions import REGIONS
from tests.conftest import joined_text, new_sender
from tests.knowledge import fact_cases

CASES = fact_cases()
OTHER_HOTLINE = {"潞城区": "12385"}  # 潞城's plan names only 12345
OTHER_REGION = {"绥芬河市": "潞城", "潞城区": "绥芬"}


@pytest.mark.stack
@pytest.mark.parametrize("case", CASES, ids=[f"{c['intent']}@{c.get('region') or 'any'}" for c in CASES])
def test_answer_has_the_facts_and_nothing_forbidden(chat, case) -> None:
    sender = new_sender()
    response = chat(sender, case["question"])
    offered = [b for m in response.json()["messages"] for b in (m.get("buttons") or []) if "choose_faq" in b["payload"]]
    if offered:  # the bot was unsure and offered topics: the resident picks this answer's, which must be among them
        picked = [b for b in offered if f'"{case["intent"]}"' in b["payload"]]
        assert picked, f"{case['question']!r}: {case['intent']} not among the offered topics {offered}"
        response = chat(sender, picked[0]["payload"])
    answer = joined_text(response)
    region = case.get("region")
    for fact in case["expect"]:
        assert fact in answer, f"{case['question']!r} → {answer!r} lacks {fact!r}"
    forbidden = [*(case.get("absent") or []), *(case.get("overstated") or [])]
    forbidden += [w for w in (OTHER_HOTLINE.get(region), OTHER_REGION.get(region)) if w]
    for wrong in forbidden:
        assert wrong not in answer, f"{case['question']!r} → {answer!r} must not say {wrong!r}"
    if case.get("asks_region"):
        last = response.json()["messages"][-1]
        assert "哪里" in last["text"] and {b["title"] for b in last["buttons"]} == set(REGIONS), answer


@pytest.mark.stack
def test_answers_are_short_plain_messages(chat) -> None:
    case = CASES[0]
    messages = chat(new_sender(), case["question"]).json()["messages"]
    assert len(messages) >= 2, "an answer is several short messages, one idea each"
    for message in messages:
        assert len(message["text"]) <= 150
        assert not any(mark in message["text"] for mark in ("**", "|", "##", "- ", "{"))


@pytest.mark.stack
def test_asking_for_the_source_names_the_plan_and_section_of_the_last_answer(chat) -> None:
    sender = new_sender()
    chat(sender, "俺在潞城，重度残疾人护理补贴谁能领")
    told = joined_text(chat(sender, "这是哪个文件说的"))
    assert "《长治市潞城区“十四五”残疾人保障和发展规划》" in told and "第三部分（一）第4条" in told, told
    assert "国发〔2015〕52号" in told and "绥芬河" not in told, told
    chat(sender, "我家是低保边缘户，孩子一级残疾")
    again = joined_text(chat(sender, "有啥依据没"))
    assert "第三部分（一）第2条" in again and "国务院令第649号" in again, again
    nothing = joined_text(chat(new_sender(), "这个有文件依据吗"))
    assert "还没有问政策方面的问题" in nothing, nothing
