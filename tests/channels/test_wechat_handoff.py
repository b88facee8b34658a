"""A hand-off asked for on WeChat or by voice opens a ticket that names that channel (not Rasa's "rest").

The channel travels with each turn to Rasa (REST webhook `metadata` / `input_channel`); action_escalate passes it to
the gateway's /internal/tickets. The action server always calls the session stack's gateway, so the ticket is read
from that gateway's database."""

from __future__ import annotations

import time

import httpx
import pytest
from defusedxml.ElementTree import fromstring
from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session

from bot.channels.wechat.identity import sender_id_for
from bot.storage.models import Ticket
from tests.channels.test_wechat_stack import WECHAT_KEY, post, wechat_gateway  # noqa: F401 (fixture)
from tests.channels.wechat_client import fixture, new_openid
from tests.conftest import new_sender

pytestmark = pytest.mark.stack


def tickets_of(stack, sender_id: str, wait: float = 30.0) -> list[Ticket]:
    """The sender's tickets in the stack gateway's database (waits while a pushed turn may still be running)."""
    engine = create_engine(stack.config.database_url)
    deadline = time.monotonic() + wait
    try:
        while True:
            with Session(engine) as session:
                found = list(session.scalars(select(Ticket).where(Ticket.sender_id == sender_id)))
            if found or time.monotonic() > deadline:
                return found
            time.sleep(0.5)
    finally:
        engine.dispose()


def test_wechat_handoff_ticket_says_wechat(stack, wechat_gateway) -> None:  # noqa: F811
    gateway = wechat_gateway(4.0)
    openid = new_openid()
    response = post(gateway, fixture("text.xml", openid=openid, content="转人工"))
    if response.text != "success":  # answered within the budget (otherwise it is pushed later)
        assert "转接" in fromstring(response.text).findtext("Content")
    tickets = tickets_of(stack, sender_id_for(openid, WECHAT_KEY))
    assert [(t.channel, t.reason) for t in tickets] == [("wechat", "request")]


def test_voice_handoff_ticket_says_voice(stack) -> None:
    sender = new_sender()
    response = httpx.post(f"{stack.url}/api/voice/turn", json={"sender_id": sender, "text": "转人工"}, timeout=120)
    assert response.status_code == 200, response.text
    assert response.json()["handoff"]["ticket_id"]
    tickets = tickets_of(stack, sender, wait=0)
    assert [(t.id, t.channel) for t in tickets] == [(response.json()["handoff"]["ticket_id"], "voice")]
    url = f"http://127.0.0.1:{stack.config.rasa_port}/conversations/{sender}/tracker"
    events = httpx.get(url, params={"token": stack.token}, timeout=10).json()["events"]
    said = [e for e in events if e.get("event") == "user"]
    assert [(e["input_channel"], e["metadata"].get("channel")) for e in said] == [("voice", "voice")]


def test_web_chat_handoff_ticket_says_web(stack, chat) -> None:
    sender = new_sender()
    response = chat(sender, "转人工")
    assert response.status_code == 200, response.text
    assert [t.channel for t in tickets_of(stack, sender, wait=0)] == ["web"]
