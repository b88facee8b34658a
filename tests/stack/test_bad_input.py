"""Bad input gets a clear Chinese message, never a stack trace, and nothing unescaped comes back."""

from __future__ import annotations

import httpx
import pytest

from tests.conftest import joined_text, new_sender


@pytest.fixture()
def client(stack):
    with httpx.Client(base_url=stack.url, timeout=60) as c:
        yield c


@pytest.mark.stack
@pytest.mark.parametrize(
    "body",
    [
        b"{not json",
        b"[]",
        b'{"text": "hello"}',
        b'{"sender_id": "bad id!", "text": "x"}',
        b'{"sender_id": "' + b"a" * 65 + b'", "text": "x"}',
        b'{"sender_id": "", "text": "x"}',
        b'{"sender_id": "u1", "text": 12}',
        b'{"sender_id": "u1"}',
    ],
)
def test_invalid_request_is_422_with_a_chinese_message(client, body) -> None:
    response = client.post("/api/chat", content=body, headers={"content-type": "application/json"})
    assert response.status_code == 422
    detail = response.json()["detail"]
    assert "sender_id" in detail and "请求格式不对" in detail
    assert "Traceback" not in response.text


@pytest.mark.stack
@pytest.mark.parametrize("text", ["", "   ", "\u200b\u200b", "\n\t"])
def test_empty_text_gets_a_friendly_ask_again(chat, text) -> None:
    answer = joined_text(chat(new_sender(), text))
    assert "没有输入内容" in answer


@pytest.mark.stack
def test_text_over_1000_characters_is_refused_politely(chat) -> None:
    response = chat(new_sender(), "护" * 1001)
    assert response.status_code == 413
    assert "分几次说" in response.json()["detail"]
    assert chat(new_sender(), "护理补贴" * 250).status_code == 200  # exactly 1000 is fine


@pytest.mark.stack
def test_markup_is_never_echoed(chat) -> None:
    response = chat(new_sender(), "<script>alert('x')</script><img src=x onerror=alert(1)>")
    assert response.status_code == 200
    assert "<script" not in response.text and "onerror" not in response.text


@pytest.mark.stack
def test_traditional_and_full_width_text_is_understood(chat) -> None:
    simplified = joined_text(chat(new_sender(), "我在潞城区，怎么办残疾人证？"))
    traditional = joined_text(chat(new_sender(), "我在潞城區，怎麼辦殘疾人證\u200b？"))
    assert traditional == simplified


@pytest.mark.stack
def test_health_and_readiness(client) -> None:
    assert client.get("/healthz").json() == {"status": "ok"}
    ready = client.get("/readyz")
    assert ready.status_code == 200
    assert ready.json()["checks"] == {"rasa": True, "action_server": True, "database": True, "redis": True}
    assert client.get("/docs").status_code == 200
