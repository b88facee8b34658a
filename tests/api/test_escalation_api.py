"""Escalation through the gateway API with real Redis Streams and a real database (Rasa is not needed here:
the gateway must keep tickets working even when it cannot read the conversation)."""

from __future__ import annotations

import threading

import redis
from sqlalchemy import select

from bot.storage.models import AuditEntry, Ticket
from tests.api.conftest import INTERNAL, METRICS, REDIS_URL, login


def open_ticket(client, sender: str, reason: str = "request", **extra) -> dict:
    body = {"sender_id": sender, "reason": reason, "last_user_text": "我要找人工"} | extra
    response = client.post("/internal/tickets", json=body, headers=INTERNAL)
    assert response.status_code == 200, response.text
    return response.json()


def test_ticket_is_stored_delivered_and_placed_in_the_queue(redis_client, redis_prefix) -> None:
    first = open_ticket(redis_client, "resident-a")
    second = open_ticket(redis_client, "resident-b")
    assert first["handoff"]["queue"] == "12385" and first["handoff"]["priority"] == "normal"
    assert (first["handoff"]["position"], second["handoff"]["position"]) == (1, 2)
    assert first["delivered"] is True and second["wait_minutes"] >= 1
    emergency = open_ticket(redis_client, "resident-c", reason="danger")
    assert emergency["handoff"]["queue"] == "emergency" and emergency["handoff"]["priority"] == "emergency"
    stream = f"{redis_prefix}:tickets:12385"
    assert redis.Redis.from_url(REDIS_URL).xlen(stream) == 2
    again = open_ticket(redis_client, "resident-a")
    assert again["handoff"]["ticket_id"] == first["handoff"]["ticket_id"], "one open ticket per conversation"


def test_messages_while_handed_over_go_to_the_operator_not_the_bot(redis_client) -> None:
    ticket_id = open_ticket(redis_client, "resident-d")["handoff"]["ticket_id"]
    # Rasa is not running in this test: an answer proves the bot was bypassed.
    turn = redis_client.post("/api/chat", json={"sender_id": "resident-d", "text": "我腿脚不好，想问问补贴"})
    assert turn.status_code == 200
    assert turn.json()["messages"] == [] and turn.json()["handoff"]["ticket_id"] == ticket_id
    operator = login(redis_client, "op1")
    assert redis_client.post(f"/api/operator/tickets/{ticket_id}/claim", headers=operator).status_code == 200
    detail = redis_client.get(f"/api/operator/tickets/{ticket_id}", headers=operator).json()
    assert [m["text"] for m in detail["messages"] if m["author"] == "resident"] == [
        "我腿脚不好,想问问补贴"
    ]  # normalised (NFKC)
    sent = redis_client.post(f"/api/operator/tickets/{ticket_id}/messages", json={"text": "您好，我来帮您。"},
                             headers=operator)  # fmt: skip
    assert sent.status_code == 200
    update = redis_client.get("/api/chat/resident-d/updates", params={"wait": 0}).json()
    assert update["messages"] == [
        {"text": "您好，我来帮您。", "buttons": None, "from_person": True, "author": "operator"}
    ]
    assert update["handoff"]["position"] == 0
    assert redis_client.get("/api/chat/resident-d/updates", params={"wait": 0}).json()["messages"] == []


def test_resolve_hands_the_conversation_back(redis_client) -> None:
    ticket_id = open_ticket(redis_client, "resident-e")["handoff"]["ticket_id"]
    operator = login(redis_client, "op1")
    redis_client.post(f"/api/operator/tickets/{ticket_id}/claim", headers=operator)
    done = redis_client.post(f"/api/operator/tickets/{ticket_id}/resolve", json={"outcome": "已解答"}, headers=operator)
    assert done.status_code == 200
    update = redis_client.get("/api/chat/resident-e/updates", params={"wait": 0}).json()
    assert update["handoff"] is None and "智能助手" in update["messages"][0]["text"]


def test_resident_can_cancel_the_handoff(redis_client) -> None:
    open_ticket(redis_client, "resident-f")
    turn = redis_client.post("/api/chat", json={"sender_id": "resident-f", "text": "取消"}).json()
    assert "取消转人工" in turn["messages"][0]["text"] and turn["handoff"] is None
    with redis_client.app.state.sessions() as session:
        assert session.scalar(select(Ticket.status).where(Ticket.sender_id == "resident-f")) == "cancelled"


def _race(client, ticket_id: str, headers: list[dict]) -> list[int]:
    """Both operators press "认领" at the same instant."""
    results: list[int] = []
    barrier = threading.Barrier(len(headers))

    def claim(h: dict) -> None:
        barrier.wait()
        results.append(client.post(f"/api/operator/tickets/{ticket_id}/claim", headers=h).status_code)

    threads = [threading.Thread(target=claim, args=(h,)) for h in headers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def test_two_operators_claiming_at_once_exactly_one_wins(redis_client) -> None:
    headers = [login(redis_client, "op1"), login(redis_client, "admin1")]
    for i in range(5):
        ticket_id = open_ticket(redis_client, f"resident-g{i}")["handoff"]["ticket_id"]
        assert sorted(_race(redis_client, ticket_id, headers)) == [200, 409]


def test_only_the_holder_sees_personal_data_and_every_view_is_audited(redis_client) -> None:
    ticket_id = open_ticket(redis_client, "resident-h", reason="callback", contact_phone="13800138000")["handoff"][
        "ticket_id"
    ]
    with redis_client.app.state.sessions() as session:
        ticket = session.get(Ticket, ticket_id)
        ticket.status = "waiting"  # a callback ticket an operator takes on
        session.commit()
    op, admin = login(redis_client, "op1"), login(redis_client, "admin1")
    redis_client.post(f"/api/operator/tickets/{ticket_id}/claim", headers=op)
    assert redis_client.get(f"/api/operator/tickets/{ticket_id}", headers=op).json()["contact_phone"] == "13800138000"
    assert redis_client.get(f"/api/operator/tickets/{ticket_id}", headers=admin).json()["contact_phone"] is None
    forbidden = redis_client.post(f"/api/operator/tickets/{ticket_id}/messages", json={"text": "x"}, headers=admin)
    assert forbidden.status_code == 403
    with redis_client.app.state.sessions() as session:
        views = session.scalars(select(AuditEntry).where(AuditEntry.action == "ticket.view")).all()
        assert sorted(v.actor for v in views) == ["admin1", "op1"]
    staff = login(redis_client, "staff1")
    assert redis_client.get("/api/operator/tickets", headers=staff).status_code == 403


def test_transfer_between_hotlines(redis_client) -> None:
    ticket_id = open_ticket(redis_client, "resident-i", channel="wechat")["handoff"]["ticket_id"]
    op = login(redis_client, "op1")
    redis_client.post(f"/api/operator/tickets/{ticket_id}/claim", headers=op)
    moved = redis_client.post(f"/api/operator/tickets/{ticket_id}/transfer", json={"queue": "12345"}, headers=op)
    assert moved.json() == {"ticket_id": ticket_id, "queue": "12345", "status": "waiting"}
    queue = redis_client.get("/api/operator/tickets", headers=op).json()
    assert any(t["id"] == ticket_id and t["queue"] == "12345" and t["operator"] is None for t in queue)
    assert [t["channel"] for t in queue if t["id"] == ticket_id] == ["wechat"], "the card says where the resident wrote"


def test_metrics_report_queues(redis_client) -> None:
    open_ticket(redis_client, "resident-j")
    text = redis_client.get("/metrics", headers=METRICS).text
    assert 'accessline_queue_length{queue="12385"} 1.0' in text
    assert "accessline_handoff_rate" in text and "accessline_first_response_seconds_avg" in text


def test_canned_responses_are_editable_by_staff_only(redis_client) -> None:
    op, staff = login(redis_client, "op1"), login(redis_client, "staff1")
    canned = redis_client.get("/api/operator/canned", headers=op).json()
    assert len(canned) >= 4
    edit = {"title": "问候", "text": "您好，请讲。"}
    assert redis_client.put(f"/api/operator/canned/{canned[0]['id']}", json=edit, headers=op).status_code == 403
    assert redis_client.put(f"/api/operator/canned/{canned[0]['id']}", json=edit, headers=staff).status_code == 200


def test_a_ticket_links_the_residents_latest_application(redis_client) -> None:
    from tests.api.test_applications_api import submission

    reference = redis_client.post(
        "/internal/applications", json=submission(sender_id="resident-k"), headers=INTERNAL
    ).json()["reference"]
    ticket_id = open_ticket(redis_client, "resident-k")["handoff"]["ticket_id"]
    op = login(redis_client, "op1")
    redis_client.post(f"/api/operator/tickets/{ticket_id}/claim", headers=op)
    detail = redis_client.get(f"/api/operator/tickets/{ticket_id}", headers=op).json()
    assert detail["application"]["reference"] == reference
    assert detail["application"]["phone"] == "138****8000", "the operator sees the application masked"
