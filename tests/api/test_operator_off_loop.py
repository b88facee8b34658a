"""The operator console's routes never query the database on the event loop (issue 16): a blocking query there
stalls every resident's chat turn on that gateway. Every statement the engine runs while an operator route is on the
stack is checked for a running event loop in its thread; the whole console workflow runs against the real database."""

from __future__ import annotations

import asyncio
import traceback
from datetime import datetime, timedelta, timezone

from sqlalchemy import event

from tests.api.conftest import INTERNAL, login

OPERATOR_ROUTES = "bot/api/routes/operator.py"


def _watch(engine) -> list[str]:  # noqa: ANN001 - an Engine
    """Statements an operator route ran on the event loop's thread (empty when all ran in worker threads)."""
    on_loop: list[str] = []

    def before(_conn, _cursor, statement, *_args) -> None:  # noqa: ANN001
        try:
            asyncio.get_running_loop()
        except RuntimeError:
            return  # a worker thread: fine
        if any(frame.filename.endswith(OPERATOR_ROUTES) for frame in traceback.extract_stack()):
            on_loop.append(" ".join(statement.split())[:80])

    event.listen(engine, "before_cursor_execute", before)
    return on_loop


def _ticket(client, sender: str, **extra) -> str:
    body = {"sender_id": sender, "reason": "request", "last_user_text": "我要找人工"} | extra
    response = client.post("/internal/tickets", json=body, headers=INTERNAL)
    assert response.status_code == 200, response.text
    return response.json()["handoff"]["ticket_id"]


def test_console_workflow_runs_no_query_on_the_event_loop(client) -> None:
    on_loop = _watch(client.app.state.engine)
    op, staff = login(client, "op1"), login(client, "staff1")
    chat = _ticket(client, "offloop-chat")
    call = _ticket(client, "offloop-call", reason="callback", contact_phone="13800138000")
    calls = [
        ("get", "/api/operator/tickets", op, None),
        ("post", f"/api/operator/tickets/{chat}/claim", op, None),
        ("get", f"/api/operator/tickets/{chat}", op, None),
        ("post", f"/api/operator/tickets/{chat}/messages", op, {"text": "您好，我来帮您。"}),
        ("post", f"/api/operator/tickets/{chat}/transfer", op, {"queue": "12345"}),
        ("post", f"/api/operator/tickets/{chat}/claim", op, None),
        ("post", f"/api/operator/tickets/{chat}/resolve", op, {"outcome": "已解答"}),
        ("post", f"/api/operator/tickets/{call}/claim", op, None),
        ("post", f"/api/operator/tickets/{call}/callback", op,
         {"result": "retry", "retry_at": (datetime.now(timezone.utc) + timedelta(hours=2)).isoformat()}),
        ("post", f"/api/operator/tickets/{call}/claim", op, None),
        ("post", f"/api/operator/tickets/{call}/callback", op, {"result": "reached", "note": "已说明"}),
        ("get", "/api/operator/canned", staff, None),
        ("post", "/api/operator/canned", staff, {"title": "问候", "text": "您好"}),
    ]  # fmt: skip
    for method, url, headers, body in calls:
        response = client.request(method, url, headers=headers, json=body)
        assert response.status_code in (200, 201), (url, response.text)
    assert client.get(f"/api/operator/tickets/{chat}", headers=op).json()["status"] == "resolved"
    assert client.get(f"/api/operator/tickets/{call}", headers=op).json()["status"] == "resolved"
    assert on_loop == [], f"queries on the event loop: {on_loop}"
