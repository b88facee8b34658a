"""The blind-corpus verdicts (bench/blind_checks.py) and the report's target metrics (bench/blind_report.py)."""

from __future__ import annotations

from bench.blind_checks import Turn, evaluate, reply_kind, topic_button
from bench.blind_report import headline, is_wrong_topic

POLICY = {
    "id": "x-pol-1",
    "section": "policy",
    "kind": "护理补贴",
    "styles": ["plain"],
    "region": "绥芬河市",
    "text": "护理补贴给几级",
    "expect": {"all": [["一级", "二级"]], "none": ["200元"]},
}
REGION_Q = [{"title": "绥芬河市", "payload": "/inform_region"}, {"title": "潞城区", "payload": "/inform_region"}]


def test_fact_after_the_region_answer_passes_but_not_single_turn() -> None:
    turns = [
        Turn("护理补贴给几级", "这件事两个地方的规定不一样。请问您在哪里？", REGION_Q),
        Turn("/inform_region", "护理补贴给一级、二级重度残疾人。", region_answer=True),
    ]
    outcome = evaluate(POLICY, turns)
    assert outcome.ok and not outcome.single_turn_ok
    assert outcome.region_questions == 1 and outcome.first_kind == "region_question"


def test_forbidden_word_and_missing_fact_fail() -> None:
    outcome = evaluate(POLICY, [Turn("护理补贴给几级", "每月发200元。")])
    assert not outcome.ok
    assert any(r.startswith("missing") for r in outcome.reasons)
    assert any(r.startswith("forbidden") for r in outcome.reasons)


def test_complaint_needs_high_priority_to_the_right_queue() -> None:
    expect = {"handover": True, "priority": "high", "queue": "12385"}
    item = {"section": "escalation", "kind": "complaint", "expect": expect}
    normal = Turn("投诉", "转人工", handoff={"queue": "12385", "priority": "normal"})
    assert evaluate(item, [normal]).reasons == ["priority normal, wanted high"]
    wrong_queue = Turn("投诉", "转人工", handoff={"queue": "12345", "priority": "high"})
    assert evaluate(item, [wrong_queue]).reasons == ["queue 12345, wanted 12385"]
    assert evaluate(item, [Turn("投诉", "好的")]).reasons == ["no hand-over"]


def test_first_reply_and_queue_position() -> None:
    item = {"expect": {"first_reply_all": [["110", "120"]], "no_queue_position": True, "handover": True}}
    late = [Turn("救命", "请问您在哪里", REGION_Q), Turn("绥芬河市", "打120，前面还有2位", region_answer=True)]
    reasons = evaluate(item, late).reasons
    assert "first reply lacks 110|120" in reasons and "told a queue position" in reasons and "no hand-over" in reasons


def test_reply_kinds() -> None:
    assert reply_kind(Turn("", "对不起，我没听懂。")) == "not_understood"
    assert reply_kind(Turn("", "您是想问：", [{"title": "护理补贴", "payload": "x"}])) == "clarify"
    assert reply_kind(Turn("", "这个问题我回答不了。请拨打12345")) == "decline"
    assert reply_kind(Turn("", "护理补贴给一级、二级。")) == "answer"


def _record(section: str, kind: str, ok: bool, reasons: list[str], final_kind: str = "answer") -> dict:
    return {
        "section": section,
        "kind": kind,
        "ok": ok,
        "reasons": reasons,
        "final_kind": final_kind,
        "handed_over": False,
        "handoff": None,
        "single_turn_ok": ok,
        "region_questions": 0,
        "reply": "",
        "styles": [],
        "file": "f.yml",
    }


def test_wrong_topic_counts_substantive_answers_without_the_fact_only() -> None:
    wrong = _record("policy", "护理补贴", False, ["missing 一级"])
    asked = _record("policy", "护理补贴", False, ["missing 一级"], final_kind="clarify")
    right = _record("policy", "护理补贴", True, [])
    assert is_wrong_topic(wrong) and not is_wrong_topic(asked) and not is_wrong_topic(right)
    figures = headline([wrong, asked, right])
    assert figures["wrong-topic answers (policy)"]["hits"] == 1
    assert figures["policy fact (after region answer)"]["hits"] == 1


def test_the_resident_presses_the_button_naming_their_topic() -> None:
    buttons = [
        {"title": "失能老人护理补贴", "payload": '/choose_faq{"faq_topic": "faq/elderly_care_subsidy"}'},
        {"title": "重度残疾人护理补贴", "payload": '/choose_faq{"faq_topic": "faq/severe_care_subsidy"}'},
        {"title": "托养服务（阳光家园）", "payload": '/choose_faq{"faq_topic": "faq/care_services"}'},
        {"title": "都不是，找人工客服", "payload": "/request_human"},
    ]
    assert topic_button("托养年龄", buttons) == buttons[2]
    assert topic_button("重度残疾护理", buttons) == buttons[1]  # the longest shared run wins
    assert topic_button("护理补贴", buttons) == buttons[0]  # equals: the first shown
    assert topic_button("盲人按摩", buttons) is None  # no title names it: nothing pressed
    assert topic_button("人工", buttons) is None  # only topic buttons are pressed


def test_the_button_figure_is_separate_and_skips_runs_without_it() -> None:
    old = _record("policy", "护理补贴", False, ["missing 一级"], final_kind="clarify")
    pressed = {**old, "button_ok": True}
    figures = headline([old, pressed])
    assert figures["policy fact (after region answer)"]["hits"] == 0
    assert figures["policy fact after one button press"] == {"hits": 1, "n": 1, "rate": 1.0}


def test_the_runner_answers_the_region_question_a_hand_over_asks_with_its_buttons() -> None:
    from bench.blind_eval import region_question_to_answer, region_reply

    asked = "正在为您转接12385残疾人服务热线人工客服，您排第1位。\n为了转到您当地的热线，请问您在哪里？"
    handed = Turn("给我接12385", asked, REGION_Q, handoff={"queue": "12385", "state": "waiting"})
    assert region_question_to_answer(handed) and region_reply("潞城区", handed) == "/inform_region"
    plain = Turn("转人工", "正在为您转接12385残疾人服务热线人工客服。", [], handoff={"queue": "12385"})
    assert not region_question_to_answer(plain), "a hand-over without region buttons: nothing to answer"
    assert region_question_to_answer(Turn("护理补贴给几级", "请问您在哪里？", REGION_Q))
