"""Faults: Redis down at escalation, and a gateway killed with tickets waiting."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from bot.main import create_app
from tests.api.conftest import INTERNAL, create_users, login, make_settings
from tests.api.private_redis import PrivateRedis
from tests.conftest import free_port
from tests.residents import Residents

CLOSED = Path(__file__).resolve().parents[1] / "data" / "escalation_closed.yml"


@pytest.fixture()
def own_redis():
    if not PrivateRedis.available():
        pytest.skip("redis-server is not installed")
    server = PrivateRedis(free_port())
    server.start()
    yield server
    server.destroy()


def ticket(client, sender: str) -> dict:
    response = client.post("/internal/tickets", json={"sender_id": sender, "reason": "request"}, headers=INTERNAL)
    assert response.status_code == 200
    return response.json()


def test_redis_down_keeps_the_ticket_and_delivers_it_when_back(database_url, tmp_path, own_redis) -> None:
    create_users(database_url)
    settings = make_settings(database_url, tmp_path, own_redis.url, "alfault")
    with TestClient(create_app(settings)) as client:
        own_redis.stop()
        reply = ticket(client, "resident-x")
        assert reply["delivered"] is True, "stored = in the queue: Redis only speeds delivery up"
        assert reply["handoff"]["position"] == 1 and "故障" not in "".join(reply["words"])
        queue = client.get("/api/operator/tickets", headers=login(client, "op1")).json()
        assert [t["id"] for t in queue] == [reply["handoff"]["ticket_id"]], "stored in the database all the same"
        own_redis.start()
        published = client.portal.call(client.app.state.escalation.redeliver, 0)
        assert published == 1
        import redis

        assert redis.Redis.from_url(own_redis.url).xlen("alfault:tickets:12385") == 1


def test_gateway_restart_loses_no_waiting_ticket(database_url, tmp_path, own_redis) -> None:
    create_users(database_url)
    settings = make_settings(database_url, tmp_path, own_redis.url, "alrestart")
    with TestClient(create_app(settings)) as first_gateway:
        ids = {ticket(first_gateway, f"resident-{i}")["handoff"]["ticket_id"] for i in range(3)}
    with TestClient(create_app(settings)) as second_gateway:  # a new process: nothing in memory survives
        op = login(second_gateway, "op1")
        waiting = {t["id"] for t in second_gateway.get("/api/operator/tickets", headers=op).json()}
        assert ids <= waiting
        taken = second_gateway.portal.call(second_gateway.app.state.escalation.streams.reclaim_pending)
        assert {ticket_id for _queue, ticket_id in taken} >= ids, "unacknowledged stream entries are taken over"
        for ticket_id in ids:
            assert second_gateway.post(f"/api/operator/tickets/{ticket_id}/claim", headers=op).status_code == 200
        lengths = second_gateway.portal.call(second_gateway.app.state.escalation.streams.queue_lengths)
        assert lengths["12385"] == 0, "entries are acknowledged once the claims are stored"


def test_outside_office_hours_a_phone_number_becomes_a_callback(database_url, tmp_path) -> None:
    create_users(database_url)
    settings = make_settings(database_url, tmp_path)
    settings.escalation_config = CLOSED
    with TestClient(create_app(settings)) as client:
        reply = ticket(client, "resident-night")
        assert reply["open_now"] is False
        turn = Residents(client).say("resident-night", "电话是13800138000")
        assert "138****8000" in turn["messages"][0]["text"] and turn["handoff"] is None
        op = login(client, "op1")
        queue = client.get("/api/operator/tickets", headers=op).json()
        assert [(t["kind"], t["status"]) for t in queue] == [("callback", "callback_scheduled")]
