"""GET /api/hotlines: what pages that do not know the region tell residents to call, from the routing table."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient

from bot.main import create_app
from tests.api.conftest import make_settings


def test_hotlines_come_from_the_routing_table(database_url: str, tmp_path: Path) -> None:
    with TestClient(create_app(make_settings(database_url, tmp_path))) as client:
        data = client.get("/api/hotlines").json()
    assert data["text"] == "12385残疾人服务热线（绥芬河市）或12345政务服务便民热线（潞城区）"
    assert data["regions"]["潞城区"] == {"disability": "12345政务服务便民热线", "general": "12345政务服务便民热线"}
    assert data["regions"]["绥芬河市"]["disability"] == "12385残疾人服务热线"
