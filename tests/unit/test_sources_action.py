"""“这是哪个文件说的”: the last answered FAQ is found in the conversation, and its sources are told plainly."""

from __future__ import annotations

from actions.citations import NO_ANSWER_YET, describe_sources, last_answered_faq, source_messages
from bot.rules.plans import load_plans
from tests.knowledge import faq_responses


def _user(intent: str, answer: str | None = None, confidence: float = 0.9) -> dict:
    parse = {"intent": {"name": intent, "confidence": 0.95}}
    if answer:
        parse["response_selector"] = {"faq": {"response": {"intent_response_key": answer, "confidence": confidence}}}
    return {"event": "user", "parse_data": parse}


def _told(faq_key: str, region: str | None) -> list[str]:
    events = [_user("faq", faq_key), {"event": "action", "name": "action_answer_faq"}, _user("ask_source")]
    return source_messages(events, faq_responses(), region, load_plans())


def test_the_last_understood_policy_question_is_the_one_explained() -> None:
    events = [_user("faq", "faq/housing"), _user("faq", "faq/severe_care_subsidy"), _user("faq", "faq/x", 0.01)]
    assert last_answered_faq([*events, _user("ask_source")]) == "faq/severe_care_subsidy"
    assert last_answered_faq([_user("greet"), _user("ask_source")]) is None


def test_the_plan_section_and_national_document_are_named_for_the_region() -> None:
    said = _told("faq/severe_care_subsidy", "潞城区")
    joined = "\n".join(said)
    assert "《长治市潞城区“十四五”残疾人保障和发展规划》" in joined and "第三部分（一）第4条" in joined
    assert "国发〔2015〕52号" in joined and "绥芬河" not in joined and "征求意见稿" not in joined
    assert all(len(message) <= 150 for message in said)


def test_the_draft_plan_is_called_a_draft() -> None:
    said = "\n".join(_told("faq/public_welfare_jobs", "绥芬河市"))
    assert "《绥芬河市“十四五”残疾人保障和发展规划（征求意见稿）》专栏4第7项" in said
    assert "这份规划是征求意见稿" in said and "潞城" not in said


def test_an_unknown_region_gets_both_plans_where_the_answer_rests_on_both() -> None:
    said = "\n".join(_told("faq/living_subsidy", None))
    assert "绥芬河" in said and "潞城区" in said and "国发〔2015〕52号" in said


def test_nothing_asked_yet_is_said_plainly() -> None:
    assert source_messages([_user("greet"), _user("ask_source")], faq_responses(), None, load_plans()) == [
        NO_ANSWER_YET
    ]


def test_long_source_lists_are_split_into_short_messages() -> None:
    many = {"sources": [{"file": "000_be6f3973f1e811d2.txt", "section": f"第三部分第{n}条“很长的一节标题很长很长”"}
                        for n in range(12)]}  # fmt: skip
    messages = describe_sources(many, load_plans())
    assert len(messages) > 2 and all(len(m) <= 150 for m in messages)
