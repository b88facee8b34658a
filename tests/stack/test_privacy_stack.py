"""Privacy through the real stack with Redis (issue 11, items 4 and 5): conversations that held personal data leave
Redis sooner, and status-query guesses are counted per client, with the client tag carried through Rasa and the
action server."""

from __future__ import annotations

import httpx
import pytest
import redis

from bot.cli import create_user
from bot.dialogue.tracker_expiry import rasa_tracker_key
from tests.api.test_applications_api import submission
from tests.conftest import TEST_REDIS_URL, new_sender
from tests.residents import Residents
from tests.stack.conversation import Conversation

WEEK = 7 * 24 * 3600
PERSONAL = 3600  # TRACKER_PERSONAL_DATA_SECONDS (default)


def tracker_ttl(stack, sender_id: str) -> int:
    client = redis.Redis.from_url(TEST_REDIS_URL)
    try:
        return client.ttl(rasa_tracker_key(stack.config.redis_key_prefix, sender_id))
    finally:
        client.close()


@pytest.mark.stack
def test_conversations_with_personal_data_expire_within_the_hour(stack) -> None:
    plain = Conversation(stack.url)
    plain.say("护理补贴谁能领")
    assert tracker_ttl(stack, plain.sender_id) > WEEK - 600, "Rasa's own key and expiry (the key name matches)"

    typed = Conversation(stack.url)
    typed.say("你好")
    typed.say("我的电话是13800138000")
    assert 0 < tracker_ttl(stack, typed.sender_id) <= PERSONAL
    typed.say("护理补贴谁能领")
    assert 0 < tracker_ttl(stack, typed.sender_id) <= PERSONAL, "and stays short after later turns"
    plain.close()
    typed.close()


@pytest.mark.stack
def test_a_closed_hand_over_shortens_the_conversations_life(stack) -> None:
    c = Conversation(stack.url)
    ticket = c.resident.say(c.sender_id, "转人工")["handoff"]["ticket_id"]
    c.resident.say(c.sender_id, "我想问问我家的情况")
    assert tracker_ttl(stack, c.sender_id) > WEEK - 600
    create_user("privacy_op", "operator", "privacy-operator-password", stack.config.database_url)
    with httpx.Client(base_url=stack.url, timeout=30) as operator:
        token = operator.post(
            "/api/auth/token", data={"username": "privacy_op", "password": "privacy-operator-password"}
        )
        operator.headers["Authorization"] = f"Bearer {token.json()['access_token']}"
        assert operator.post(f"/api/operator/tickets/{ticket}/claim").status_code == 200
        assert operator.post(f"/api/operator/tickets/{ticket}/resolve", json={"outcome": "已答复"}).status_code == 200
    assert 0 < tracker_ttl(stack, c.sender_id) <= PERSONAL
    c.close()


def status_query(resident: Residents, sender: str, reference: str, last4: str) -> str:
    resident.say(sender, "我的申请到哪了")
    resident.say(sender, reference)
    return "\n".join(m["text"] for m in resident.say(sender, last4)["messages"])


@pytest.mark.stack
def test_guesses_from_six_conversations_lock_the_reference(stack) -> None:
    internal = {"X-Internal-Token": stack.internal_token}
    body = submission(idempotency_key="stack-status-" + new_sender(), sender_id=new_sender(), phone="13755556666")
    reference = httpx.post(f"{stack.url}/internal/applications", json=body, headers=internal).json()["reference"]
    before = set(
        redis.Redis.from_url(TEST_REDIS_URL).scan_iter(f"{stack.config.redis_key_prefix}:ratelimit:status-client:*")
    )
    answers = []
    for i in range(6):
        # Six residents behind six addresses (the gateway trusts X-Forwarded-For from 127.0.0.1, as behind nginx).
        resident = Residents(httpx.Client(base_url=stack.url, timeout=60, headers={"X-Forwarded-For": f"10.9.8.{i}"}))
        last4 = "6666" if i == 5 else f"{1000 + i}"
        answers.append(status_query(resident, new_sender(), reference, last4))
        resident.http.close()
    assert all("没有查到" in a for a in answers[:5]), answers
    assert "次数太多" in answers[5] and "护理补贴" not in answers[5], "locked: even the right answer tells nothing"
    client = redis.Redis.from_url(TEST_REDIS_URL)
    after = set(client.scan_iter(f"{stack.config.redis_key_prefix}:ratelimit:status-client:*"))
    client.close()
    # The five wrong answers were counted per address (the locked sixth counts nothing): had the client tag not come
    # back from the action server, all five would sit under one "unverified" client.
    assert len(after - before) == 5
