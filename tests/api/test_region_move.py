"""Issue 12 §3: a hand-over from an unknown region is made at once (to the default line); the region the resident
names while the ticket waits moves it to that region's line — in the gateway, since while a ticket waits the
resident's messages go to the operator, not to Rasa. Told to the resident in the same turn (with the updated
`handoff`), and live to every console of every gateway (`ticket.moved`).

The gateway runs without Rasa (nothing listens at its URL): a turn that needed the bot would fail here."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import redis
from fastapi.testclient import TestClient
from sqlalchemy import select
from websockets.sync.client import ClientConnection, connect

from bot.core.config import PROJECT_ROOT
from bot.main import create_app
from bot.storage.models import AuditEntry, Ticket
from tests.api.conftest import INTERNAL, PASSWORD, REDIS_URL, create_users, login, make_settings
from tests.api.live_gateway import LiveGateway
from tests.conftest import ALWAYS_OPEN
from tests.residents import Residents

BUTTON = '/inform_region{"region": "%s"}'


def open_ticket(client, sender: str, reason: str = "request", **extra) -> dict:
    response = client.post("/internal/tickets", json={"sender_id": sender, "reason": reason} | extra, headers=INTERNAL)
    assert response.status_code == 200, response.text
    return response.json()


def stored(client: TestClient, ticket_id: str) -> Ticket:
    with client.app.state.sessions() as session:
        return session.get(Ticket, ticket_id)


def texts(turn: dict) -> str:
    return "\n".join(m["text"] for m in turn["messages"])


def test_the_region_button_moves_a_waiting_complaint_to_that_regions_line(client) -> None:
    opened = open_ticket(client, "r-lc", reason="complaint")
    assert opened["handoff"]["queue"] == "12385" and opened["handoff"]["priority"] == "high", "at once, default line"
    turn = Residents(client).say("r-lc", BUTTON % "潞城区")
    handoff = turn["handoff"]
    assert handoff["ticket_id"] == opened["handoff"]["ticket_id"], "the same ticket, moved"
    assert (handoff["queue"], handoff["priority"], handoff["region"]) == ("12345", "high", "潞城区")
    assert handoff["transferred_from"] == "12385" and handoff["position"] == 1
    assert "潞城区" in texts(turn) and "12345政务服务便民热线" in texts(turn), "told which line has them now"
    ticket = stored(client, handoff["ticket_id"])
    assert (ticket.queue, ticket.region, ticket.status) == ("12345", "潞城区", "waiting")
    queue = client.get("/api/operator/tickets", headers=login(client, "op1")).json()
    card = next(t for t in queue if t["id"] == handoff["ticket_id"])
    assert (card["queue"], card["region"]) == ("12345", "潞城区")
    with client.app.state.sessions() as session:
        audit = session.scalar(select(AuditEntry).where(AuditEntry.action == "ticket.region"))
        assert audit.target == handoff["ticket_id"] and audit.details["to"] == "12345"


@pytest.mark.parametrize(
    ("said", "queue"),
    [
        ("俺是店上镇的", "12345"),
        ("电话0355-5551234", "12345"),
        ("我是绥芬河的", "12385"),
        ("231081195001010012", "12385"),
    ],
)
def test_a_typed_place_town_area_code_or_id_number_moves_it_and_reaches_the_operator(client, said, queue) -> None:
    ticket_id = open_ticket(client, "r-typed")["handoff"]["ticket_id"]
    turn = Residents(client).say("r-typed", said)
    assert turn["handoff"]["queue"] == queue and turn["handoff"]["region"] in ("潞城区", "绥芬河市")
    region = turn["handoff"]["region"]
    assert f"好的，您在{region}。" in texts(turn) and f"{queue}" in texts(turn), "told which line has them now"
    op = login(client, "op1")
    assert client.post(f"/api/operator/tickets/{ticket_id}/claim", headers=op).status_code == 200
    detail = client.get(f"/api/operator/tickets/{ticket_id}", headers=op).json()
    assert [m["author"] for m in detail["messages"]] == ["resident"], "a typed message is still the operator's"


def test_saying_nothing_about_the_region_leaves_the_ticket_where_it_is(client) -> None:
    ticket_id = open_ticket(client, "r-none")["handoff"]["ticket_id"]
    turn = Residents(client).say("r-none", "我想问问护理补贴的事")
    assert turn["messages"] == [] and turn["handoff"]["queue"] == "12385" and turn["handoff"]["region"] is None
    ticket = stored(client, ticket_id)
    assert (ticket.queue, ticket.region) == ("12385", None)


def test_a_claimed_ticket_is_never_moved(client) -> None:
    ticket_id = open_ticket(client, "r-held")["handoff"]["ticket_id"]
    op = login(client, "op1")
    assert client.post(f"/api/operator/tickets/{ticket_id}/claim", headers=op).status_code == 200
    turn = Residents(client).say("r-held", BUTTON % "潞城区")
    assert turn["messages"] == [] and turn["handoff"]["state"] == "joined" and turn["handoff"]["queue"] == "12385"
    assert (stored(client, ticket_id).queue, stored(client, ticket_id).region) == ("12385", None)


def test_a_known_region_and_an_emergency_stay(client) -> None:
    known = open_ticket(client, "r-known", region="绥芬河市")["handoff"]["ticket_id"]
    Residents(client).say("r-known", "我儿子在潞城区上班")
    assert stored(client, known).queue == "12385", "a region already known is not changed by a mention"
    crisis = open_ticket(client, "r-crisis", reason="danger")["handoff"]["ticket_id"]
    turn = Residents(client).say("r-crisis", "潞城区")
    assert turn["handoff"]["queue"] == "emergency" and stored(client, crisis).region is None


@pytest.fixture()
def night(database_url, tmp_path, monkeypatch) -> Iterator[TestClient]:
    monkeypatch.setenv("ACCESSLINE_CLOCK", "2026-11-30T22:00:00+08:00")  # 12385 closed, 12345 open
    create_users(database_url)
    settings = make_settings(database_url, tmp_path)
    settings.escalation_config = PROJECT_ROOT / "config" / "escalation.yml"
    with TestClient(create_app(settings)) as client:
        yield client


def test_at_night_a_lucheng_resident_moves_from_the_closed_line_to_the_open_one(night) -> None:
    opened = open_ticket(night, "r-night")
    assert opened["handoff"]["state"] == "closed"
    turn = Residents(night).say("r-night", BUTTON % "潞城区")
    assert turn["handoff"]["queue"] == "12345" and turn["handoff"]["state"] == "waiting"
    assert "排第1位" in texts(turn)
    stays = open_ticket(night, "r-night-sfh")
    turn = Residents(night).say("r-night-sfh", BUTTON % "绥芬河市")
    assert turn["handoff"]["queue"] == "12385" and turn["handoff"]["state"] == "closed"
    assert turn["handoff"]["region"] == "绥芬河市"
    assert texts(turn) == "好的，您在绥芬河市。12385残疾人服务热线就是您当地的热线。"
    assert "明天08:30" in turn["handoff"]["banner"], "the banner still says when the line opens"
    assert stays["handoff"]["ticket_id"] == turn["handoff"]["ticket_id"]


@pytest.fixture()
def single_region(database_url, tmp_path) -> Iterator[TestClient]:
    config = tmp_path / "one_region.yml"
    config.write_text(ALWAYS_OPEN.read_text(encoding="utf-8") + "\nserves: [绥芬河市]\n", encoding="utf-8")
    create_users(database_url)
    settings = make_settings(database_url, tmp_path)
    settings.escalation_config = config
    with TestClient(create_app(settings)) as client:
        yield client


def test_a_single_region_deployment_never_moves_a_ticket(single_region) -> None:
    ticket_id = open_ticket(single_region, "r-one")["handoff"]["ticket_id"]
    turn = Residents(single_region).say("r-one", "我在潞城区")
    assert turn["messages"] == [] and stored(single_region, ticket_id).queue == "12385"


def test_the_stream_entry_moves_with_the_ticket(redis_client, redis_prefix) -> None:
    ticket_id = open_ticket(redis_client, "r-stream")["handoff"]["ticket_id"]
    client = redis.Redis.from_url(REDIS_URL)
    assert client.xlen(f"{redis_prefix}:tickets:12385") == 1
    Residents(redis_client).say("r-stream", BUTTON % "潞城区")
    entry = client.hget(f"{redis_prefix}:tickets:entries", ticket_id)
    assert entry is not None and entry.decode().startswith("12345|"), entry
    assert client.xlen(f"{redis_prefix}:tickets:12345") == 1
    assert stored(redis_client, ticket_id).delivered is True
    client.close()


def _console(gateway: LiveGateway) -> ClientConnection:
    token = httpx.post(f"{gateway.url}/api/auth/token", data={"username": "op1", "password": PASSWORD})
    socket = connect(f"{gateway.ws_url}/ws/operator")
    socket.send(json.dumps({"token": token.json()["access_token"]}))
    assert json.loads(socket.recv(timeout=5))["type"] == "ready"
    return socket


def _next(socket: ClientConnection, kind: str, within: float = 10) -> dict:
    deadline = time.monotonic() + within
    while True:
        event = json.loads(socket.recv(timeout=max(0.01, deadline - time.monotonic())))
        if event["type"] == kind:
            return event


def test_every_gateways_consoles_see_the_move_live(database_url, tmp_path: Path, redis_prefix) -> None:
    """Two gateways sharing the database and Redis: the resident speaks to B, the console on A sees the move."""
    create_users(database_url)
    settings_a = make_settings(database_url, tmp_path, REDIS_URL, redis_prefix)  # one data dir: the same secrets
    settings_b = make_settings(database_url, tmp_path, REDIS_URL, redis_prefix)
    with LiveGateway(create_app(settings_a)) as gateway_a, LiveGateway(create_app(settings_b)) as gateway_b:
        with _console(gateway_a) as console_a, httpx.Client(base_url=gateway_b.url, timeout=30) as http:
            ticket_id = open_ticket(http, "r-fan")["handoff"]["ticket_id"]
            assert _next(console_a, "ticket.new")["ticket"]["id"] == ticket_id
            turn = Residents(http).say("r-fan", BUTTON % "潞城区")
            assert turn["handoff"]["queue"] == "12345"
            moved = _next(console_a, "ticket.moved")
            assert moved["ticket_id"] == ticket_id and moved["from"] == "12385"
            assert (moved["ticket"]["queue"], moved["ticket"]["region"]) == ("12345", "潞城区")
