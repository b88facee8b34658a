"""Issue 16: what one chat turn costs the gateway, counted (never timed): Redis round trips, Rasa requests and
database statements on the tickets table per turn, with Rasa replaced by the stand-in of bench/stub_rasa.py.

Counting is scoped to the request: an ASGI wrapper gives each HTTP request its own tally (a ContextVar), so the
gateway's background loops (ticket delivery, console fan-out) never count toward a turn."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from contextvars import ContextVar

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import event

from bench import stub_rasa
from bot.main import create_app
from bot.storage.redis_client import CountingConnection
from tests.api.conftest import REDIS_URL, make_settings
from tests.api.live_server import serve

TALLY: ContextVar[Counter | None] = ContextVar("turn_cost_tally", default=None)
KEY = "X-Conversation-Key"


@pytest.fixture()
def rasa() -> Iterator[str]:
    with serve(stub_rasa.app) as url:
        yield url


@pytest.fixture()
def gateway(rasa, database_url, tmp_path, redis_prefix, monkeypatch) -> Iterator[tuple[TestClient, list[Counter]]]:
    """A gateway on Redis and the database, talking to the stand-in Rasa; yields it and the per-turn tallies."""
    original = CountingConnection.send_packed_command

    async def send(self, command, check_health=True) -> None:  # noqa: ANN001
        tally = TALLY.get()
        if tally is not None:
            tally["redis"] += 1
        await original(self, command, check_health)

    monkeypatch.setattr(CountingConnection, "send_packed_command", send)
    handshake = CountingConnection.on_connect_check_health

    async def on_connect(self, *args, **kwargs) -> None:  # noqa: ANN001, ANN002, ANN003
        """A new pooled connection's greeting (HELLO, CLIENT SETINFO) belongs to no turn."""
        token = TALLY.set(None)
        try:
            await handshake(self, *args, **kwargs)
        finally:
            TALLY.reset(token)

    monkeypatch.setattr(CountingConnection, "on_connect_check_health", on_connect)
    settings = make_settings(database_url, tmp_path, REDIS_URL, redis_prefix).model_copy(
        update={"rasa_url": rasa, "action_server_url": rasa}
    )
    app = create_app(settings)
    tallies: list[Counter] = []

    async def wrapper(scope, receive, send_) -> None:  # noqa: ANN001
        if scope["type"] != "http":
            await app(scope, receive, send_)
            return
        tally = Counter()
        tallies.append(tally)
        token = TALLY.set(tally)
        try:
            await app(scope, receive, send_)
        finally:
            TALLY.reset(token)

    with TestClient(wrapper) as client:

        def on_statement(_conn, _cursor, statement: str, *_args) -> None:  # noqa: ANN001
            tally = TALLY.get()
            if tally is not None and "tickets" in statement:
                tally["ticket statements"] += 1

        event.listen(app.state.engine, "before_cursor_execute", on_statement)
        client.app_state = app.state  # type: ignore[attr-defined]
        yield client, tallies


def turn(client: TestClient, sender: str, text: str, keys: dict[str, str]) -> httpx.Response:
    headers = {KEY: keys[sender]} if sender in keys else {}
    answer = client.post("/api/chat", json={"sender_id": sender, "text": text}, headers=headers)
    assert answer.status_code == 200, answer.text
    keys.setdefault(sender, answer.headers.get(KEY, ""))
    return answer


def test_a_chat_turn_costs_one_rasa_request_and_two_redis_round_trips(gateway, rasa) -> None:
    client, tallies = gateway
    keys: dict[str, str] = {}
    turn(client, "warm", "你好", keys)  # loads the scripts into Redis (EVALSHA falls back to SCRIPT LOAD once)
    client.portal.call(client.app_state.ticket_markers.sync)  # done at start anyway; here surely before the turns
    rasa_before, stub_before = client.app_state.dialogue.requests, httpx.get(f"{rasa}/count").json()["turns"]
    turns = [("c1", "潞城区重度残疾人护理补贴谁能领"), ("c1", "要带什么材料"), ("c2", "你好"), ("c1", "谢谢")]
    tallies.clear()
    for sender, text in turns:
        assert turn(client, sender, text, keys).json()["messages"]
    assert client.app_state.dialogue.requests - rasa_before == len(turns)
    assert httpx.get(f"{rasa}/count").json()["turns"] - stub_before == len(turns)
    # Rate limits (address and conversation) and the ticket marker in one script call, the tracker-expiry check (and
    # the ticket marker again: did the turn open one?) in another.
    assert [t["redis"] for t in tallies] == [2] * len(turns), tallies
    # No ticket: the markers answer before and after the turn; the tickets table is not asked.
    assert [t["ticket statements"] for t in tallies] == [0] * len(turns)


def escalating_during_the_turn(client: TestClient, monkeypatch) -> None:
    """Rasa's turn opens a ticket on the way, as action_escalate does through POST /internal/tickets."""
    state = client.app_state
    original = state.dialogue.turn

    async def turn_that_escalates(sender_id: str, text: str, *args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        result = await original(sender_id, text, *args, **kwargs)
        await state.escalation.escalate(sender_id=sender_id, reason="request", channel="web")
        return result

    monkeypatch.setattr(state.dialogue, "turn", turn_that_escalates)


def test_a_ticket_opened_during_the_turn_is_in_its_reply(gateway, monkeypatch) -> None:
    client, _tallies = gateway
    keys: dict[str, str] = {}
    turn(client, "e1", "你好", keys)
    escalating_during_the_turn(client, monkeypatch)
    reply = turn(client, "e1", "我要找人工", keys).json()
    assert reply["handoff"] is not None and reply["handoff"]["ticket_id"]  # read after the turn: the hint said so


def test_a_ticket_opened_on_another_gateway_sends_the_next_turn_to_the_operator(gateway, rasa, database_url, tmp_path,
                                                                              redis_prefix) -> None:  # fmt: skip
    client, _tallies = gateway
    keys: dict[str, str] = {}
    turn(client, "x1", "你好", keys)
    client.portal.call(client.app_state.ticket_markers.sync)
    settings = make_settings(database_url, tmp_path, REDIS_URL, redis_prefix).model_copy(
        update={"rasa_url": rasa, "action_server_url": rasa}
    )
    with TestClient(create_app(settings)) as other:  # a second gateway on the same Redis and database
        opened = other.portal.call(lambda: other.app.state.escalation.escalate(sender_id="x1", reason="request",
                                                                               channel="web"))  # fmt: skip
    stub_before = httpx.get(f"{rasa}/count").json()["turns"]
    reply = turn(client, "x1", "我还在等", keys).json()
    assert reply["handoff"]["ticket_id"] == opened["handoff"]["ticket_id"]  # relayed to the operator, not to Rasa
    assert httpx.get(f"{rasa}/count").json()["turns"] == stub_before


def test_a_ticket_from_before_the_markers_still_reaches_the_operator(gateway, rasa) -> None:
    """Tickets stored before the markers existed: the database answers until the backfill, then the marker does."""
    client, tallies = gateway
    state = client.app_state
    keys: dict[str, str] = {}
    turn(client, "b1", "你好", keys)
    markers, state.escalation.markers = state.escalation.markers, None  # stored as an older gateway did: no marker
    client.portal.call(lambda: state.escalation.escalate(sender_id="b1", reason="request", channel="web"))
    state.escalation.markers = markers
    redis_keys = markers.keys("b1")
    client.portal.call(state.redis.delete, redis_keys[0])  # the markers as before the first backfill
    tallies.clear()
    assert turn(client, "b1", "还在吗", keys).json()["handoff"]["ticket_id"]  # from the database
    client.portal.call(markers.sync)  # the backfill
    assert client.portal.call(markers.read, "b1") is True
    assert turn(client, "b1", "还在吗", keys).json()["handoff"]["ticket_id"]  # from the marker


def test_without_redis_a_conversation_with_a_ticket_goes_to_the_operator(rasa, database_url, tmp_path) -> None:
    settings = make_settings(database_url, tmp_path).model_copy(update={"rasa_url": rasa, "action_server_url": rasa})
    with TestClient(create_app(settings)) as client:
        keys: dict[str, str] = {}
        assert turn(client, "n2", "你好", keys).json()["handoff"] is None
        client.portal.call(lambda: client.app.state.escalation.escalate(sender_id="n2", reason="request",
                                                                        channel="web"))  # fmt: skip
        stub_before = httpx.get(f"{rasa}/count").json()["turns"]
        assert turn(client, "n2", "我还在等", keys).json()["handoff"]["ticket_id"]
        assert httpx.get(f"{rasa}/count").json()["turns"] == stub_before


def test_without_redis_a_ticket_opened_during_the_turn_is_found_in_the_database(
    rasa, database_url, tmp_path, monkeypatch
) -> None:
    settings = make_settings(database_url, tmp_path).model_copy(update={"rasa_url": rasa, "action_server_url": rasa})
    with TestClient(create_app(settings)) as client:
        client.app_state = client.app.state  # type: ignore[attr-defined]
        keys: dict[str, str] = {}
        assert turn(client, "n1", "你好", keys).json()["handoff"] is None
        escalating_during_the_turn(client, monkeypatch)
        assert turn(client, "n1", "我要找人工", keys).json()["handoff"]["ticket_id"]


def test_a_turn_with_personal_data_adds_one_round_trip(gateway) -> None:
    client, tallies = gateway
    keys: dict[str, str] = {}
    turn(client, "p1", "你好", keys)
    tallies.clear()
    turn(client, "p1", "我的电话是13912345678", keys)  # marks the conversation: its tracker expires sooner
    turn(client, "p1", "谢谢", keys)
    assert [t["redis"] for t in tallies] == [3, 2], tallies


def test_a_voice_text_turn_reads_the_ticket_marker_with_its_conversation_limit(gateway) -> None:
    """/api/voice/turn: the address limit, then the conversation's limit with the ticket markers (one script call),
    then the after-turn script; no round trip of its own for the markers, no tickets-table statement."""
    client, tallies = gateway
    keys: dict[str, str] = {}
    client.portal.call(client.app_state.ticket_markers.sync)
    for text in ("你好", "谢谢"):
        headers = {KEY: keys["v1"]} if "v1" in keys else {}
        answer = client.post("/api/voice/turn", json={"sender_id": "v1", "text": text}, headers=headers)
        assert answer.status_code == 200, answer.text
        keys.setdefault("v1", answer.headers.get(KEY, ""))
    tallies.clear()
    answer = client.post("/api/voice/turn", json={"sender_id": "v1", "text": "要带什么材料"}, headers={KEY: keys["v1"]})
    assert answer.status_code == 200 and answer.json()["messages"], answer.text
    assert [(t["redis"], t["ticket statements"]) for t in tallies] == [(3, 0)], tallies
