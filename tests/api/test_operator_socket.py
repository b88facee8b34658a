"""/ws/operator over a real uvicorn (issue 11, items 5 and 9): a silent hello times out, the socket closes when
the token expires or its user signs out or is deactivated, and what a resident writes reaches only the console of
the operator holding the ticket."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone

import httpx
import jwt
import pytest
from sqlalchemy import update
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import ClientConnection, connect

from bot.main import create_app
from bot.storage.models import User
from tests.api.conftest import INTERNAL, PASSWORD, create_users, make_settings
from tests.api.live_gateway import LiveGateway
from tests.residents import Residents


@pytest.fixture()
def gateway(database_url, tmp_path) -> Iterator[LiveGateway]:
    create_users(database_url)
    settings = make_settings(database_url, tmp_path)
    settings.operator_hello_timeout_seconds = 1.0
    settings.operator_socket_recheck_seconds = 0.3
    with LiveGateway(create_app(settings)) as live:
        yield live


def token_for(gateway: LiveGateway, username: str) -> str:
    response = httpx.post(f"{gateway.url}/api/auth/token", data={"username": username, "password": PASSWORD})
    assert response.status_code == 200, response.text
    return response.json()["access_token"]


def console(gateway: LiveGateway, token: str) -> ClientConnection:
    socket = connect(f"{gateway.ws_url}/ws/operator")
    socket.send(json.dumps({"token": token}))
    assert json.loads(socket.recv(timeout=5))["type"] == "ready"
    return socket


def close_code(socket: ClientConnection, within: float) -> int:
    """Read until the server closes the socket (fails when it stays open longer than `within` seconds)."""
    deadline = time.monotonic() + within
    with pytest.raises(ConnectionClosed) as closed:
        while True:
            socket.recv(timeout=max(0.01, deadline - time.monotonic()))
    return closed.value.rcvd.code


def events_until(socket: ClientConnection, kind: str, within: float = 5) -> list[dict]:
    seen: list[dict] = []
    deadline = time.monotonic() + within
    while not any(e["type"] == kind for e in seen):
        seen.append(json.loads(socket.recv(timeout=max(0.01, deadline - time.monotonic()))))
    return seen


def test_a_silent_hello_is_closed(gateway) -> None:
    with connect(f"{gateway.ws_url}/ws/operator") as socket:
        assert close_code(socket, within=5) == 4408


def test_the_socket_closes_when_the_token_expires(gateway) -> None:
    now = datetime.now(timezone.utc)
    claims = {"sub": "op1", "role": "operator", "ver": 0, "iat": now, "exp": now + timedelta(seconds=2)}
    short = jwt.encode(claims, gateway.app.state.secrets["jwt_secret"], algorithm="HS256")
    with console(gateway, short) as socket:
        assert events_until(socket, "expired", within=6)[-1]["type"] == "expired"
        assert close_code(socket, within=3) == 4401


def test_logout_closes_the_console_and_the_token_stops_working(gateway) -> None:
    token = token_for(gateway, "op1")
    with console(gateway, token) as socket:
        auth = {"Authorization": f"Bearer {token}"}
        assert httpx.post(f"{gateway.url}/api/auth/logout", headers=auth).status_code == 204
        assert close_code(socket, within=3) == 4401
        assert httpx.get(f"{gateway.url}/api/operator/tickets", headers=auth).status_code == 401
    with connect(f"{gateway.ws_url}/ws/operator") as socket:
        socket.send(json.dumps({"token": token}))
        assert json.loads(socket.recv(timeout=5))["type"] == "error", "a revoked token opens no console"
        assert close_code(socket, within=3) == 4401


def test_a_deactivated_operator_loses_the_console(gateway) -> None:
    with console(gateway, token_for(gateway, "op1")) as socket:
        with gateway.app.state.sessions() as session:
            session.execute(update(User).where(User.username == "op1").values(active=False))
            session.commit()
        assert events_until(socket, "expired", within=5)[-1]["type"] == "expired"
        assert close_code(socket, within=3) == 4401


def test_only_the_holders_console_receives_what_the_resident_wrote(gateway) -> None:
    http = httpx.Client(base_url=gateway.url, timeout=30)
    op_token, admin_token = token_for(gateway, "op1"), token_for(gateway, "admin1")
    opened = http.post("/internal/tickets", json={"sender_id": "resident-ws", "reason": "request"}, headers=INTERNAL)
    ticket_id = opened.json()["handoff"]["ticket_id"]
    claimed = http.post(f"/api/operator/tickets/{ticket_id}/claim", headers={"Authorization": f"Bearer {op_token}"})
    assert claimed.status_code == 200
    with console(gateway, op_token) as holder, console(gateway, admin_token) as other:
        said = "我叫王秀英,住在东街12号,电话13800138000"  # already normalised (NFKC)
        assert Residents(http).chat("resident-ws", said).status_code == 200
        to_holder = [e for e in events_until(holder, "message") if e["type"] == "message"]
        assert to_holder[0]["ticket_id"] == ticket_id and to_holder[0]["message"]["text"] == said
        to_other = events_until(other, "activity")
        assert to_other[-1] == {"type": "activity", "ticket_id": ticket_id}
        assert "王秀英" not in json.dumps(to_other, ensure_ascii=False), "no text for a console not holding it"
    http.close()
