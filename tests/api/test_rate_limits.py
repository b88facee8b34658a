"""Issue 11 (low): /api/chat and the voice endpoints are rate-limited per client address and per conversation,
in Redis when configured (shared by all gateways), in memory otherwise."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from bot.main import create_app
from tests.api.conftest import REDIS_URL, make_settings


def gateway(tmp_path, name: str = "rl", **overrides) -> TestClient:
    settings = make_settings(f"sqlite:///{tmp_path / f'{name}.db'}", tmp_path).model_copy(update=overrides)
    return TestClient(create_app(settings))


def say(client: TestClient, sender: str):
    return client.post("/api/chat", json={"sender_id": sender, "text": " "})  # answered without Rasa


def test_chat_is_limited_per_conversation(tmp_path) -> None:
    with gateway(tmp_path, chat_rate_per_sender=3) as client:
        statuses = [say(client, "s1").status_code for _ in range(4)]
        other = say(client, "s2")
        refused = say(client, "s1")
    assert statuses == [200, 200, 200, 429] and other.status_code == 200
    assert refused.status_code == 429 and 1 <= int(refused.headers["retry-after"]) <= 60
    assert "太快" in refused.json()["detail"]


def test_chat_is_limited_per_address_across_conversations(tmp_path) -> None:
    with gateway(tmp_path, chat_rate_per_address=5, chat_rate_per_sender=0) as client:
        statuses = [say(client, f"a{i}").status_code for i in range(7)]
    assert statuses == [200] * 5 + [429] * 2


def test_voice_endpoints_are_limited_per_address(tmp_path) -> None:
    with gateway(tmp_path, voice_rate_per_address=2) as client:
        answers = [client.post("/api/voice/stt?format=ulaw8k", content=b"") for _ in range(2)]
        assert all(a.status_code != 429 for a in answers)
        assert client.post("/api/voice/tts", json={"text": "你好"}).status_code == 429
        assert client.post("/api/voice/turn", json={"sender_id": "v1", "digits": "1"}).status_code == 429


def test_voice_turn_is_limited_per_conversation(tmp_path) -> None:
    with gateway(tmp_path, voice_rate_per_sender=1, voice_rate_per_address=0) as client:
        first = client.post("/api/voice/turn", json={"sender_id": "v1", "digits": "7", "reply_format": "ulaw8k"})
        second = client.post("/api/voice/turn", json={"sender_id": "v1", "digits": "7"})
    assert first.status_code != 429 and second.status_code == 429


def test_limits_are_shared_through_redis(tmp_path, redis_prefix) -> None:
    common = {"redis_url": REDIS_URL, "redis_key_prefix": redis_prefix, "chat_rate_per_sender": 2}
    with gateway(tmp_path, "one", **common) as one, gateway(tmp_path, "two", **common) as two:
        assert [say(one, "r1").status_code, say(two, "r1").status_code] == [200, 200]
        assert say(one, "r1").status_code == 429 and say(two, "r1").status_code == 429


@pytest.mark.parametrize("redis_url", [None, "redis://127.0.0.1:9/0"])
def test_without_redis_or_while_it_is_down_limits_hold_in_memory(tmp_path, redis_url) -> None:
    with gateway(tmp_path, redis_url=redis_url, chat_rate_per_sender=2) as client:
        assert [say(client, "m1").status_code for _ in range(3)] == [200, 200, 429]
