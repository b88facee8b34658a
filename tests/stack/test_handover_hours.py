"""Hand-over through the real stack at night (issue 15, residents 1, 2, 6; issue 16 item 3): the embedded default
(no Redis, SQLite), the real config/escalation.yml and the clock set to Monday 22:00 Beijing time (12385 closed,
12345 and the emergency line open).

The bot says what will really happen, keeps answering policy questions while nobody is on duty, stays with a
person in crisis until an operator joins, and every turn is recorded for insights from what the turn returned."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session

from bot.cli import create_user
from bot.launcher.stack import Stack, StackConfig
from bot.storage.models import Ticket, TurnOutcome
from tests.conftest import free_port, new_sender
from tests.residents import Residents

pytestmark = pytest.mark.stack
NIGHT = "2026-11-30T22:00:00+08:00"
PASSWORD = "night-operator-password"


@pytest.fixture(scope="module")
def night(trained_model: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    workdir = tmp_path_factory.mktemp("night")
    config = StackConfig(
        model=trained_model, port=free_port(), rasa_port=free_port(), actions_port=free_port(), redis_url=None,
        database_url=f"sqlite:///{workdir / 'night.db'}", runtime_dir=workdir, log_dir=workdir / "logs",
        extra_env={"ACCESSLINE_CLOCK": NIGHT, "CHAT_RATE_PER_ADDRESS": "0", "TRAINING_RUNNER": "false"},
    )  # fmt: skip
    running = Stack(config)
    try:
        running.start(timeout=400)
    except Exception:
        running.stop()
        for log in sorted((workdir / "logs").glob("*.log")):
            print(f"--- {log.name}\n{log.read_text(errors='replace')[-4000:]}")
        raise
    create_user("night_op", "operator", PASSWORD, config.database_url)
    yield running
    running.stop()


@pytest.fixture(scope="module")
def resident(night: Stack) -> Iterator[Residents]:
    client = httpx.Client(base_url=night.url, timeout=90)
    yield Residents(client)
    client.close()


def texts(turn: dict) -> str:
    return "\n".join(m["text"] for m in turn["messages"])


def ticket_of(night: Stack, sender: str) -> Ticket:
    engine = create_engine(night.config.database_url)
    with Session(engine) as session:
        ticket = session.scalar(select(Ticket).where(Ticket.sender_id == sender))
    engine.dispose()
    assert ticket is not None, "a ticket was stored"
    return ticket


def operator(night: Stack) -> dict:
    token = httpx.post(f"{night.url}/api/auth/token", data={"username": "night_op", "password": PASSWORD}).json()
    return {"Authorization": f"Bearer {token['access_token']}"}


def test_closed_line_is_honest_and_the_bot_keeps_answering(night: Stack, resident: Residents) -> None:
    sender = new_sender()
    turn = resident.say(sender, "转人工")
    said = texts(turn)
    assert "明天08:30" in said and "12345" in said and "110" in said, said
    assert "排第" not in said and "前面还有" not in said and "故障" not in said, said
    assert turn["handoff"]["state"] == "closed" and turn["handoff"]["position"] is None

    answer = resident.say(sender, "护理补贴怎么申请")
    assert answer["messages"], "the bot answers policy questions while nobody is on duty"
    assert "已经发给人工客服" not in texts(answer) and "补贴" in texts(answer), texts(answer)
    assert answer["handoff"]["state"] == "closed", "the banner keeps telling the truth"

    called = resident.say(sender, "我的电话是13800138000")
    assert "138****8000" in texts(called), texts(called)
    ticket = ticket_of(night, sender)
    assert (ticket.kind, ticket.status, ticket.queue) == ("callback", "callback_scheduled", "12385")


def test_region_slot_routes_to_the_open_line(night: Stack, resident: Residents) -> None:
    sender = new_sender()
    resident.say(sender, "我是潞城区的，护理补贴怎么申请")
    turn = resident.say(sender, "转人工")
    assert turn["handoff"]["queue"] == "12345" and turn["handoff"]["state"] == "waiting", turn["handoff"]
    assert "您排第1位" in texts(turn) or "您排第" in texts(turn), texts(turn)
    assert ticket_of(night, sender).region == "潞城区"


def test_region_named_after_the_hand_over_moves_the_ticket_to_the_open_line(night: Stack, resident: Residents) -> None:
    """Region unknown: handed over at once to 12385 (closed); the 潞城区 button moves it to 12345, open now."""
    sender = new_sender()
    turn = resident.say(sender, "转人工")
    assert turn["handoff"]["queue"] == "12385" and turn["handoff"]["state"] == "closed", turn["handoff"]
    payload = next(b["payload"] for m in turn["messages"] for b in (m.get("buttons") or []) if b["title"] == "潞城区")
    moved = resident.say(sender, payload)
    assert moved["handoff"]["queue"] == "12345" and moved["handoff"]["state"] == "waiting", moved["handoff"]
    assert "12345" in texts(moved) and "您排第" in texts(moved), texts(moved)
    ticket = ticket_of(night, sender)
    assert (ticket.queue, ticket.region, ticket.status) == ("12345", "潞城区", "waiting")


def test_crisis_the_bot_stays_until_an_operator_joins(night: Stack, resident: Residents) -> None:
    sender = new_sender()
    first = resident.say(sender, "我不想活了")
    said = texts(first)
    assert "120" in said and "陪着您" in said and "排第" not in said, said
    handoff = first["handoff"]
    assert handoff["priority"] == "emergency" and handoff["position"] is None and "排第" not in handoff["banner"]

    later = resident.say(sender, "我一个人在家，好难受")
    assert later["messages"], "nobody has joined yet: the bot keeps the resident company"
    assert later["handoff"]["state"] == "emergency" and later["handoff"]["position"] is None

    ticket_id = handoff["ticket_id"]
    op = operator(night)
    assert httpx.post(f"{night.url}/api/operator/tickets/{ticket_id}/claim", headers=op).status_code == 200
    joined = resident.say(sender, "你好")
    assert joined["messages"] == [] and joined["handoff"]["state"] == "joined", "now the person answers"
    detail = httpx.get(f"{night.url}/api/operator/tickets/{ticket_id}", headers=op).json()
    assert any("110" in line["text"] for line in detail["transcript"] if line["from"] == "bot"), (
        "the emergency transcript holds the bot's 110/120 reply"
    )
    assert [m["text"] for m in detail["messages"] if m["author"] == "resident"] == ["我一个人在家,好难受", "你好"]


def test_turns_are_recorded_from_the_turn_itself(night: Stack, resident: Residents) -> None:
    """The insights row exists although the gateway never fetched the tracker (the turn channel's state)."""
    sender = new_sender()
    resident.say(sender, "护理补贴怎么申请")
    engine = create_engine(night.config.database_url)
    for _ in range(50):  # written in the background after the reply
        with Session(engine) as session:
            rows = session.scalars(select(TurnOutcome)).all()
        if rows:
            break
        time.sleep(0.2)
    engine.dispose()
    assert rows and any(r.intent == "faq" and r.answer_key for r in rows), [(r.intent, r.answer_key) for r in rows]
