"""Insights API on a real database: roles, the summary (no personal data anywhere in it), one-click follow-ups
through the FAQ editor (on a temporary copy of nlu_data), and audit entries."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from bot.core.config import PROJECT_ROOT
from bot.insights.recorder import classify
from bot.main import create_app
from bot.storage.models import AuditEntry, TurnOutcome
from tests.api.conftest import create_users, login, make_settings

PERSONAL = ["230103199001011234", "13912345678", "建设路12号", "王小明", "2301", "5678"]


@pytest.fixture()
def insights_client(database_url, tmp_path) -> Iterator[TestClient]:
    create_users(database_url)
    data = tmp_path / "nlu_data"
    shutil.copytree(PROJECT_ROOT / "nlu_data", data)
    settings = make_settings(database_url, tmp_path).model_copy(
        update={"nlu_data_dir": data, "faq_rasa_validate": False, "training_runner": False}
    )
    with TestClient(create_app(settings)) as client:
        _record_turns(client)
        yield client


def _turn(intent: str, key: str | None = None, loop: str | None = None) -> dict:
    parse = {"intent": {"name": intent, "confidence": 0.4 if intent == "nlu_fallback" else 0.95}}
    if key:
        parse["response_selector"] = {"faq": {"response": {"intent_response_key": key, "confidence": 0.9}}}
    return {"latest_message": parse, "active_loop": {"name": loop} if loop else {}}


def _record_turns(client: TestClient) -> None:
    recorder = client.app.state.turn_recorder
    turns = [
        ("r1", "两项补贴是什么", _turn("faq", "faq/two_subsidies"), False),
        ("r1", "我叫王小明，导盲犬能不能坐公交", _turn("nlu_fallback"), False),
        ("r2", "电话13912345678，导盲犬可以上公交车吗", _turn("nlu_fallback"), True),
        ("r2", "身份证230103199001011234", _turn("inform", loop="care_subsidy_form"), True),
        ("r3", "住在建设路12号，带导盲犬坐公交车行不行", _turn("out_of_scope"), False),
        ("r3", "明天天气怎么样", _turn("out_of_scope"), False),
        ("r4", "护理补贴谁能领", _turn("faq", "faq/severe_care_subsidy"), False),
    ]
    for sender, text, state, handoff in turns:
        recorder.save(sender, text, "web", handoff, classify(state))


def test_only_staff_and_admin_see_insights(insights_client: TestClient) -> None:
    assert insights_client.get("/api/staff/insights/summary").status_code == 401
    operator = login(insights_client, "op1")
    assert insights_client.get("/api/staff/insights/summary", headers=operator).status_code == 403
    body = {"outcome_ids": [1]}
    assert insights_client.post("/api/staff/insights/groups/resolve", json=body, headers=operator).status_code == 403
    assert (
        insights_client.get("/api/staff/insights/summary?days=0", headers=login(insights_client, "admin1")).status_code
        == 422
    )


def test_summary_groups_unanswered_questions_without_personal_data(insights_client: TestClient) -> None:
    response = insights_client.get("/api/staff/insights/summary", headers=login(insights_client, "staff1"))
    assert response.status_code == 200
    summary = response.json()
    raw = json.dumps(summary, ensure_ascii=False)
    for fragment in PERSONAL:
        assert fragment not in raw, fragment
    assert (summary["turns"], summary["conversations"], summary["unanswered"]) == (7, 4, 4)
    assert summary["handoff_rate"] == 0.25 and summary["rating"] is None
    guide_dog = summary["groups"][0]
    # The question that named a person ("我叫王小明，…") is counted but its text was never stored.
    assert guide_dog["count"] == 2 and guide_dog["keywords"][0] == "导盲犬" and guide_dog["label"].startswith("导盲犬")
    assert guide_dog["out_of_scope"] == 1
    assert all("导盲犬" in example for example in guide_dog["examples"])
    assert [(g["count"], g["label"]) for g in summary["groups"]] == [(2, guide_dog["label"]), (1, "其他")]
    assert (summary["unanswered_with_text"], summary["unanswered_open"]) == (3, 3)
    topics = {t["topic"]: t["turns"] for t in summary["by_topic"]}
    assert topics == {"两项补贴": 2, "没能回答": 4, "申请办理": 1}
    assert sum(d["turns"] for d in summary["by_day"]) == 7 and sum(d["unanswered"] for d in summary["by_day"]) == 4

    with insights_client.app.state.sessions() as session:
        stored = session.scalars(select(TurnOutcome)).all()
        views = session.scalars(select(AuditEntry).where(AuditEntry.action == "insights.view")).all()
    stored_text = json.dumps([[r.question, r.keywords, r.conversation] for r in stored], ensure_ascii=False)
    for fragment in PERSONAL:
        assert fragment not in stored_text, fragment
    assert all(r.question is None for r in stored if r.outcome == "answered"), "answered turns keep no text"
    assert all(len(r.conversation) == 64 and r.conversation not in ("r1", "r2") for r in stored)
    assert [v.actor for v in views] == ["staff1"]


def test_add_a_group_as_examples_of_an_faq(insights_client: TestClient) -> None:
    staff = login(insights_client, "staff1")
    group = insights_client.get("/api/staff/insights/summary", headers=staff).json()["groups"][0]
    body = {"outcome_ids": group["outcome_ids"], "faq": "public_transport"}
    response = insights_client.post("/api/staff/insights/groups/add-example", json=body, headers=staff)
    assert response.status_code == 200, response.text
    assert response.json()["added"] == 2 and response.json()["resolved"] == 2

    entry = insights_client.get("/api/staff/faq/entries/public_transport", headers=staff).json()
    added = {
        "导盲犬可以上公交车吗",
        "带导盲犬坐公交车行不行",
    }  # clauses with removed data left out
    assert added <= set(entry["examples"])
    assert not [e for e in entry["examples"] if "＊" in e or "王小明" in e]
    after = insights_client.get("/api/staff/insights/summary", headers=staff).json()
    assert [g["count"] for g in after["groups"]] == [1], "the handled group left the list"

    again = insights_client.post("/api/staff/insights/groups/add-example", json=body, headers=staff)
    assert again.status_code == 404
    unknown = {"outcome_ids": after["groups"][0]["outcome_ids"], "faq": "no_such_faq"}
    assert (
        insights_client.post("/api/staff/insights/groups/add-example", json=unknown, headers=staff).status_code == 404
    )

    with insights_client.app.state.sessions() as session:
        actions = [a.action for a in session.scalars(select(AuditEntry).where(AuditEntry.actor == "staff1"))]
    assert "insights.add_example" in actions


def test_a_group_can_be_taken_off_the_list_and_its_questions_read_for_a_new_faq(insights_client: TestClient) -> None:
    staff = login(insights_client, "staff1")
    groups = insights_client.get("/api/staff/insights/summary", headers=staff).json()["groups"]
    weather = next(g for g in groups if g["count"] == 1)
    questions = insights_client.post(
        "/api/staff/insights/groups/questions", json={"outcome_ids": weather["outcome_ids"]}, headers=staff
    )
    assert questions.json() == {"questions": ["明天天气怎么样"]}
    body = {"outcome_ids": weather["outcome_ids"], "reason": "dismissed"}
    assert insights_client.post("/api/staff/insights/groups/resolve", json=body, headers=staff).json() == {
        "resolved": 1
    }
    assert (
        insights_client.post("/api/staff/insights/groups/resolve", json={"outcome_ids": []}, headers=staff).status_code
        == 422
    )
    left = insights_client.get("/api/staff/insights/summary", headers=staff).json()["groups"]
    assert [g["count"] for g in left] == [2]
