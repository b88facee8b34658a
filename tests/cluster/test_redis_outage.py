"""Redis stops while two gateways run, and starts again: tickets opened meanwhile reach every console by themselves.

Real processes only: a Redis server of the test's own (stopped and started for real), two gateway processes sharing
it and a PostgreSQL schema, an operator console on each. Nobody calls a recovery function: the gateways notice.
"""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import redis

from bot.storage.db import make_engine, make_session_factory
from bot.storage.models import Ticket
from tests.api.private_redis import PrivateRedis
from tests.cluster.conftest import INTERNAL_TOKEN, create_operators, gateway_env
from tests.cluster.processes import GatewayProcess
from tests.cluster.test_console_fanout import console, next_event, token
from tests.conftest import free_port

pytestmark = pytest.mark.timeout(180)


@pytest.fixture()
def redis_server() -> Iterator[PrivateRedis]:
    server = PrivateRedis(free_port())
    server.start()
    yield server
    server.destroy()


def test_tickets_opened_while_redis_is_down_reach_consoles(redis_server: PrivateRedis, pg_url: str,
                                                            tmp_path: Path) -> None:  # fmt: skip
    create_operators(pg_url, "op_a", "op_b")
    env = gateway_env(pg_url, redis_server.url, "alout", tmp_path)
    gateway_a, gateway_b = GatewayProcess("gateway-a", env, tmp_path), GatewayProcess("gateway-b", env, tmp_path)
    try:
        for gateway in (gateway_a, gateway_b):
            gateway.start()
        for gateway in (gateway_a, gateway_b):
            gateway.wait_alive()
        console_a = console(gateway_a, token(gateway_a, "op_a"))
        console_b = console(gateway_b, token(gateway_b, "op_b"))

        redis_server.stop()
        opened = []
        for _ in range(3):
            ask = {"sender_id": "o" + uuid.uuid4().hex[:12], "reason": "request"}
            response = httpx.post(f"{gateway_b.url}/internal/tickets", headers={"X-Internal-Token": INTERNAL_TOKEN},
                                  json=ask, timeout=30)  # fmt: skip
            assert response.status_code == 200, response.text
            opened.append(response.json()["handoff"]["ticket_id"])
        engine = make_engine(pg_url)
        with make_session_factory(engine)() as session:  # stored, not on the streams yet
            assert not any(session.get(Ticket, ticket_id).delivered for ticket_id in opened)
        engine.dispose()
        for ticket_id in opened:  # the gateway it was opened on still shows it at once
            assert next_event(console_b, "ticket.new", timeout=10)["ticket"]["id"] == ticket_id
        with pytest.raises(TimeoutError):  # the other gateway cannot know yet
            console_a.recv(timeout=3)

        redis_server.start()
        started = time.monotonic()
        seen = set()
        while seen != set(opened):
            seen.add(next_event(console_a, "ticket.new", timeout=40)["ticket"]["id"])
        print(f"tickets reached gateway A's console {time.monotonic() - started:.1f}s after Redis came back")

        client = redis.Redis.from_url(redis_server.url)
        published = []  # on the operators' streams too, each exactly once
        for stream in client.scan_iter("alout:tickets:*"):
            if client.type(stream) == b"stream":
                published += [fields[b"ticket"].decode() for _id, fields in client.xrange(stream)]
        assert sorted(t for t in published if t in opened) == sorted(opened)
        time.sleep(12)  # a further republish round must not announce them again
        with pytest.raises(TimeoutError):
            while True:
                event = json.loads(console_a.recv(timeout=3))
                assert event["type"] != "ticket.new", event
    finally:
        gateway_a.stop()
        gateway_b.stop()
