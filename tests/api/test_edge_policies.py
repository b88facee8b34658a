"""Issue 11 (low): security headers on every page and API answer; /docs, /openapi.json and /metrics behind
settings; integers a database column cannot hold are a 422, never a 500."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from bot.main import create_app
from tests.api.conftest import METRICS, create_users, login, make_settings

PAGES = ["/", "/console/", "/staff/", "/staff/training.html", "/chat-assets/chat.js", "/healthz"]


def gateway(tmp_path, **overrides) -> TestClient:
    settings = make_settings(f"sqlite:///{tmp_path / 'edge.db'}", tmp_path).model_copy(update=overrides)
    return TestClient(create_app(settings))


@pytest.fixture()
def client(tmp_path):
    with gateway(tmp_path) as test_client:
        yield test_client


def test_every_page_and_api_answer_has_the_security_headers(client) -> None:
    answers = [client.get(path) for path in PAGES]
    big = b"x" * 100_000
    answers += [client.post("/api/chat", json={"sender_id": "x"}), client.get("/api/applications"),
                client.post("/api/chat", content=big, headers={"content-type": "application/json"})]  # fmt: skip
    assert [a.status_code for a in answers[-3:]] == [422, 401, 413]
    for answer in answers:
        headers = answer.headers
        assert headers["x-content-type-options"] == "nosniff", answer.url
        assert headers["x-frame-options"] == "DENY"
        assert headers["referrer-policy"] == "no-referrer"
        policy = headers["content-security-policy"]
        assert "frame-ancestors 'none'" in policy and "script-src 'self';" in policy
        assert "unsafe-inline" not in policy


def test_docs_are_on_by_default_in_development_and_can_be_turned_off(tmp_path) -> None:
    with gateway(tmp_path) as client:
        assert client.get("/docs").status_code == 200 and client.get("/openapi.json").status_code == 200
        assert "content-security-policy" in client.get("/docs").headers
    with gateway(tmp_path, api_docs=False) as client:
        assert [client.get(p).status_code for p in ("/docs", "/redoc", "/openapi.json")] == [404, 404, 404]


def test_docs_are_off_in_production_unless_asked_for(tmp_path) -> None:
    secrets = {"environment": "production", "accessline_master_secret": "p" * 40}
    with gateway(tmp_path, **secrets) as client:
        assert client.get("/openapi.json").status_code == 404
    with gateway(tmp_path, api_docs=True, **secrets) as client:
        assert client.get("/openapi.json").status_code == 200


def test_metrics_need_the_token_when_one_is_set(client) -> None:
    assert client.get("/metrics").status_code == 401
    assert client.get("/metrics", headers={"Authorization": "Bearer wrong"}).status_code == 401
    answer = client.get("/metrics", headers=METRICS)
    assert answer.status_code == 200 and "accessline_queue_length" in answer.text


def test_metrics_without_a_token_are_for_loopback_only(tmp_path) -> None:
    with gateway(tmp_path, metrics_token=None) as remote:
        assert remote.get("/metrics").status_code == 403  # the test client's address is not loopback
    settings = make_settings(f"sqlite:///{tmp_path / 'edge.db'}", tmp_path).model_copy(update={"metrics_token": None})
    with TestClient(create_app(settings), client=("127.0.0.1", 40000)) as local:
        assert local.get("/metrics").status_code == 200
    with gateway(tmp_path, metrics_token=None, metrics_public=True) as public:
        assert public.get("/metrics").status_code == 200


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/api/staff/training/jobs/99999999999999999999999"),
        ("get", "/api/staff/training/jobs/-99999999999999999999999"),
        ("post", "/api/staff/training/jobs/99999999999999999999999/cancel"),
        ("post", "/api/staff/training/models/99999999999999999999999/activate"),
        ("get", "/api/staff/faq/revisions/99999999999999999999999"),
        ("get", "/api/applications?page=9223372036854775807"),
        ("get", "/api/applications?page=99999999999999999999999"),
    ],
)
def test_integers_beyond_the_database_are_422(database_url, tmp_path, method, path) -> None:
    """On SQLite (64-bit) and PostgreSQL (32-bit INTEGER) alike."""
    create_users(database_url)
    with TestClient(create_app(make_settings(database_url, tmp_path))) as client:
        admin = login(client, "admin1")
        answer = getattr(client, method)(path, headers=admin)
        just_over = getattr(client, method)(path.replace("99999999999999999999999", "2147483648"), headers=admin)
    assert answer.status_code == 422, answer.text
    assert answer.json()["detail"] and answer.json()["fields"]
    assert just_over.status_code in (200, 404, 422), just_over.text  # beyond PostgreSQL's INTEGER, within SQLite's
