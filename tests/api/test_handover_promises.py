"""Issue 15, residents: what the hand-over promises is what will really happen (office hours, crisis, no Redis,
transfer, claim), and issue 16 item 3: the ticket request carries the slots and transcript (no read-back of Rasa).

The gateway runs without Rasa and, unless said otherwise, without Redis (the embedded default). The clock is set
with ACCESSLINE_CLOCK (bot/escalation/clock.py); the real config/escalation.yml gives the office hours."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import datetime, timezone

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from bot.core.config import PROJECT_ROOT
from bot.main import create_app
from bot.storage.models import Ticket
from tests.api.conftest import INTERNAL, METRICS, create_users, login, make_settings
from tests.residents import Residents

CONFIG = PROJECT_ROOT / "config" / "escalation.yml"
MONDAY_NIGHT = "2026-11-30T22:00:00+08:00"  # 12385 closed (opens 08:30), 12345 and emergency open
TUESDAY_MORNING = "2026-12-01T10:00:00+08:00"


def gateway(database_url: str, tmp_path, monkeypatch, moment: str) -> Iterator[TestClient]:
    monkeypatch.setenv("ACCESSLINE_CLOCK", moment)
    create_users(database_url)
    settings = make_settings(database_url, tmp_path)  # no REDIS_URL: the embedded default
    settings.escalation_config = CONFIG
    with TestClient(create_app(settings)) as client:
        yield client


@pytest.fixture()
def night(database_url, tmp_path, monkeypatch) -> Iterator[TestClient]:
    yield from gateway(database_url, tmp_path, monkeypatch, MONDAY_NIGHT)


@pytest.fixture()
def day(database_url, tmp_path, monkeypatch) -> Iterator[TestClient]:
    yield from gateway(database_url, tmp_path, monkeypatch, TUESDAY_MORNING)


def open_ticket(client: TestClient, sender: str, reason: str = "request", **extra) -> dict:
    response = client.post("/internal/tickets", json={"sender_id": sender, "reason": reason} | extra, headers=INTERNAL)
    assert response.status_code == 200, response.text
    return response.json()


def test_without_redis_the_hand_over_is_normal(day) -> None:
    first, second = open_ticket(day, "r-a"), open_ticket(day, "r-b")
    assert day.app.state.redis is None
    said = "".join(second["words"])
    assert "故障" not in said and "您排第2位" in said and "分钟" in said
    assert (first["handoff"]["position"], second["handoff"]["position"]) == (1, 2)
    assert second["handoff"]["state"] == "waiting" and "您排第2位" in second["handoff"]["banner"]
    queue = day.get("/api/operator/tickets", headers=login(day, "op1")).json()
    assert {t["id"] for t in queue} == {first["handoff"]["ticket_id"], second["handoff"]["ticket_id"]}


def test_closed_line_promises_the_opening_time_and_the_open_line(night) -> None:
    reply = open_ticket(night, "r-night")
    handoff = reply["handoff"]
    assert handoff["queue"] == "12385" and handoff["state"] == "closed"
    assert handoff["position"] is None and handoff["opens_at"] == "明天08:30" and handoff["call_now"] == ["12345"]
    for text in (handoff["banner"], "".join(reply["words"])):
        assert "明天08:30" in text and "12345" in text and "110" in text
        assert "排第" not in text and "前面还有" not in text, "no queue place while nobody is on duty"
    assert any("电话号码" in w for w in reply["words"]), "a call-back is offered"


def test_sla_clock_counts_only_open_hours(night) -> None:
    ticket_id = open_ticket(night, "r-sla")["handoff"]["ticket_id"]
    with night.app.state.sessions() as session:
        due = session.get(Ticket, ticket_id).sla_due_at
    opening = datetime.fromisoformat("2026-12-01T08:33:00+08:00")  # 08:30 + the 3-minute first-response SLA
    assert (due if due.tzinfo else due.replace(tzinfo=timezone.utc)) == opening  # SQLite hands back naive UTC


def test_the_region_slot_routes_the_ticket_to_the_open_line(night) -> None:
    """A 潞城 resident (region remembered as a slot) goes to 12345, which is open: a real queue place."""
    reply = open_ticket(night, "r-lucheng", slots={"region": "潞城区"})
    assert reply["handoff"]["queue"] == "12345" and reply["handoff"]["state"] == "waiting"
    assert reply["handoff"]["position"] == 1 and "您排第1位" in "".join(reply["words"])


def test_ticket_request_carries_slots_and_transcript(day) -> None:
    transcript = [
        {"from": "resident", "text": "俺是潞城的，电话13800138000", "at": "2026-12-01T02:00:00+00:00"},
        {"from": "bot", "text": "对不起，我没听懂。", "at": "2026-12-01T02:00:01+00:00"},
    ]
    ticket_id = open_ticket(day, "r-carry", reason="fallback", slots={"region": "潞城区"}, transcript=transcript)[
        "handoff"
    ]["ticket_id"]
    op = login(day, "op1")
    assert day.post(f"/api/operator/tickets/{ticket_id}/claim", headers=op).status_code == 200
    detail = day.get(f"/api/operator/tickets/{ticket_id}", headers=op).json()
    assert [line["from"] for line in detail["transcript"]] == ["resident", "bot"]
    assert "13800138000" not in detail["transcript"][0]["text"] and "潞城" in detail["transcript"][0]["text"]
    assert detail["summary"]["slots"] == {"region": "潞城区"} and detail["region"] == "潞城区"


def test_oversized_ticket_requests_are_refused(day) -> None:
    too_many = [{"from": "resident", "text": "好"}] * 201
    response = day.post("/internal/tickets", json={"sender_id": "r-big", "reason": "request", "transcript": too_many},
                        headers=INTERNAL)  # fmt: skip
    assert response.status_code == 422


def test_emergency_never_shows_a_queue_place_and_comes_first(day) -> None:
    for i in range(3):
        open_ticket(day, f"r-before-{i}")
    reply = open_ticket(day, "r-crisis", reason="danger")
    handoff = reply["handoff"]
    assert handoff["priority"] == "emergency" and handoff["state"] == "emergency" and handoff["position"] is None
    assert "排第" not in handoff["banner"] + "".join(reply["words"]) and "我一直在这里" in handoff["banner"]
    queue = day.get("/api/operator/tickets", headers=login(day, "op1")).json()
    assert queue[0]["id"] == handoff["ticket_id"], "the emergency is at the top of the queue"


def test_claim_tells_the_waiting_resident_at_once_that_a_person_joined(day) -> None:
    ticket_id = open_ticket(day, "r-claim")["handoff"]["ticket_id"]
    resident = Residents(day)
    first = resident.say("r-claim", "在吗")  # relayed to the queue (no bot): gets the conversation key
    assert first["messages"] == [] and "您排第1位" in first["handoff"]["banner"] and first["handoff"]["ack"]
    seen: list[dict] = []
    poll = threading.Thread(target=lambda: seen.append(resident.updates("r-claim", wait=30).json()))
    poll.start()
    op = login(day, "op1")
    while poll.is_alive() and not day.app.state.hub._waiters:  # the long poll is waiting
        poll.join(0.05)
    assert day.post(f"/api/operator/tickets/{ticket_id}/claim", headers=op).status_code == 200
    poll.join(25)
    assert not poll.is_alive(), "the claim wakes the long poll (before its 30 s are up)"
    handoff = seen[0]["handoff"]
    assert handoff["state"] == "joined" and handoff["position"] == 0 and "已经接入" in handoff["banner"]
    assert "马上就到您" not in handoff["banner"]


def test_transfer_between_hotlines_is_shown_to_the_resident(day) -> None:
    ticket_id = open_ticket(day, "r-move")["handoff"]["ticket_id"]
    resident = Residents(day)
    resident.say("r-move", "我想问补贴")
    op = login(day, "op1")
    day.post(f"/api/operator/tickets/{ticket_id}/claim", headers=op)
    day.post(f"/api/operator/tickets/{ticket_id}/transfer", json={"queue": "12345"}, headers=op)
    handoff = resident.updates("r-move").json()["handoff"]
    assert handoff["queue"] == "12345" and handoff["transferred_from"] == "12385"
    assert "从12385残疾人服务热线转到12345政务服务便民热线" in handoff["banner"] and handoff["position"] == 1


def test_messages_while_the_line_is_closed_are_kept_for_the_operator(night) -> None:
    """Nobody is on duty: the message is stored with the ticket (the bot answers meanwhile — tests/stack)."""
    ticket_id = open_ticket(night, "r-kept")["handoff"]["ticket_id"]
    Residents(night).chat("r-kept", "两项补贴怎么申请")  # Rasa is not running here: only the storing is checked
    with night.app.state.sessions() as session:
        assert session.scalar(select(Ticket.status).where(Ticket.id == ticket_id)) == "waiting"
    op = login(night, "op1")
    night.post(f"/api/operator/tickets/{ticket_id}/claim", headers=op)
    detail = night.get(f"/api/operator/tickets/{ticket_id}", headers=op).json()
    assert [m["text"] for m in detail["messages"] if m["author"] == "resident"] == ["两项补贴怎么申请"]


def test_every_channels_turn_is_counted_once_in_the_chat_service(day) -> None:
    """Issue 16: voice turns never reached the counter (it sat at the web and WeChat edges)."""
    for sender in ("r-voice", "r-web"):
        open_ticket(day, sender)  # a person holds the line: the turns need no Rasa here
    resident = Residents(day)
    assert resident.voice_turn("r-voice", text="我想问问补贴").status_code == 200
    resident.say("r-web", "我想问问补贴")
    metrics = day.get("/metrics", headers=METRICS).text
    assert "accessline_chat_turns_total 2.0" in metrics or "accessline_chat_turns 2.0" in metrics, metrics


class NoRasa:
    """Stands in for the Rasa client: any use is a read-back into Rasa, which the ticket path must not do."""

    def __getattr__(self, name: str):
        raise AssertionError(f"the gateway called Rasa ({name}) while making a ticket")


def test_making_a_ticket_never_reads_rasa(day) -> None:
    escalation = day.app.state.escalation
    escalation.dialogue = NoRasa()
    said = [{"from": "resident", "text": "转人工", "at": "2026-12-01T02:00:00+00:00"}]
    reply = open_ticket(day, "r-one-way", slots={"region": "绥芬河市"}, transcript=said)
    assert reply["handoff"]["queue"] == "12385" and reply["handoff"]["position"] == 1
