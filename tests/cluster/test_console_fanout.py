"""Two real gateway processes sharing Redis and PostgreSQL act as one service for operators and residents.

A ticket opened through gateway B appears live on an operator console connected to gateway A; the claim made on A
reaches B's consoles; what the resident writes on B reaches the holder's console on A; the operator's reply written
on A wakes the resident's long poll on B; signing out on A closes the operator's console on B.
"""

from __future__ import annotations

import json
import threading
import time
import uuid

import httpx
import pytest
from websockets.sync.client import ClientConnection, connect

from tests.cluster.conftest import INTERNAL_TOKEN, PASSWORD
from tests.cluster.processes import GatewayProcess

pytestmark = pytest.mark.timeout(180)


def token(gateway: GatewayProcess, username: str) -> str:
    response = httpx.post(f"{gateway.url}/api/auth/token", data={"username": username, "password": PASSWORD})
    assert response.status_code == 200, response.text
    return response.json()["access_token"]


def console(gateway: GatewayProcess, bearer: str) -> ClientConnection:
    socket = connect(f"{gateway.ws_url}/ws/operator", open_timeout=10)
    socket.send(json.dumps({"token": bearer}))
    assert json.loads(socket.recv(timeout=10))["type"] == "ready"
    return socket


def next_event(socket: ClientConnection, wanted: str, timeout: float = 15.0, **match: str) -> dict:
    """The first event of type `wanted` (whose fields equal `match`), skipping others; fails after `timeout`."""
    deadline = time.monotonic() + timeout
    while True:
        left = deadline - time.monotonic()
        assert left > 0, f"no {wanted} {match} within {timeout}s"
        event = json.loads(socket.recv(timeout=left))
        if event["type"] == wanted and all(event.get(k) == v for k, v in match.items()):
            return event


def test_ticket_events_reach_every_gateway(gateways: tuple[GatewayProcess, GatewayProcess]) -> None:
    gateway_a, gateway_b = gateways
    bearer_a, bearer_b = token(gateway_a, "op_a"), token(gateway_b, "op_b")
    console_a, console_b = console(gateway_a, bearer_a), console(gateway_b, bearer_b)
    sender = "c" + uuid.uuid4().hex[:16]

    ask = {"sender_id": sender, "reason": "request", "topic": "faq_subsidy"}
    opened = httpx.post(f"{gateway_b.url}/internal/tickets", headers={"X-Internal-Token": INTERNAL_TOKEN},
                        json=ask, timeout=15)  # fmt: skip
    assert opened.status_code == 200, opened.text
    ticket_id = opened.json()["handoff"]["ticket_id"]
    assert next_event(console_a, "ticket.new")["ticket"]["id"] == ticket_id  # created on B, seen live on A
    assert next_event(console_b, "ticket.new")["ticket"]["id"] == ticket_id  # B's own console, exactly as before

    claimed = httpx.post(f"{gateway_a.url}/api/operator/tickets/{ticket_id}/claim",
                         headers={"Authorization": f"Bearer {bearer_a}"}, timeout=15)  # fmt: skip
    assert claimed.status_code == 200, claimed.text
    assert next_event(console_b, "ticket.claimed", ticket_id=ticket_id)["operator"] == "op_a"

    said = httpx.post(f"{gateway_b.url}/api/chat", json={"sender_id": sender, "text": "我还在等 麻烦快一点"},
                      timeout=15)  # fmt: skip
    assert said.status_code == 200, said.text
    conversation_key = said.json()["conversation_key"]
    relayed = next_event(console_a, "message", ticket_id=ticket_id)  # the holder's console on the other gateway
    assert relayed["message"]["text"] == "我还在等 麻烦快一点" and relayed["message"]["author"] == "resident"
    assert next_event(console_b, "activity", ticket_id=ticket_id)  # op_b does not hold it: no text

    with httpx.Client(timeout=40) as resident:
        started = time.monotonic()
        poll = resident.build_request("GET", f"{gateway_b.url}/api/chat/{sender}/updates", params={"wait": 25},
                                      headers={"X-Conversation-Key": conversation_key})  # fmt: skip
        answer: dict = {}
        waiter = threading.Thread(target=lambda: answer.update(r=resident.send(poll)))
        waiter.start()
        time.sleep(1.0)  # the long poll is waiting on gateway B
        reply = httpx.post(f"{gateway_a.url}/api/operator/tickets/{ticket_id}/messages",
                           headers={"Authorization": f"Bearer {bearer_a}"}, json={"text": "马上为您办理"},
                           timeout=15)  # fmt: skip
        assert reply.status_code in (200, 201), reply.text
        waiter.join(30)
        assert answer["r"].status_code == 200, answer["r"].text
        texts = [m["text"] for m in answer["r"].json()["messages"]]
        assert "马上为您办理" in texts
        assert time.monotonic() - started < 20, "the reply written on A did not wake the long poll on B"

    httpx.post(f"{gateway_a.url}/api/auth/logout", headers={"Authorization": f"Bearer {bearer_b}"}, timeout=15)
    deadline = time.monotonic() + 15
    closed = False
    while time.monotonic() < deadline and not closed:
        try:
            console_b.recv(timeout=1)
        except TimeoutError:
            continue
        except Exception:  # noqa: BLE001 - websockets raises ConnectionClosed* when the server closes
            closed = True
    assert closed, "signing out on A did not close the operator's console on B"
    console_a.close()
