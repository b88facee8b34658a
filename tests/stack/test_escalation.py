"""Escalation through the real stack: trigger → ticket → claim → reply reaches the resident → resolve → bot resumes."""

from __future__ import annotations

import httpx
import pytest

from bot.cli import create_user
from tests.conftest import new_sender, tracker_slots
from tests.residents import Residents
from tests.stack.conversation import Conversation

PASSWORD = "stack-operator-password"


@pytest.fixture(scope="module")
def operator(stack) -> httpx.Client:
    create_user("stack_op", "operator", PASSWORD, stack.config.database_url)
    client = httpx.Client(base_url=stack.url, timeout=30)
    token = client.post("/api/auth/token", data={"username": "stack_op", "password": PASSWORD}).json()["access_token"]
    client.headers["Authorization"] = f"Bearer {token}"
    yield client
    client.close()


RESIDENTS: dict[str, Residents] = {}


def residents(stack) -> Residents:
    """One web client per stack, keeping every conversation's key."""
    if stack.url not in RESIDENTS:
        RESIDENTS[stack.url] = Residents(httpx.Client(base_url=stack.url, timeout=60))
    return RESIDENTS[stack.url]


def chat(stack, sender: str, text: str) -> dict:
    return residents(stack).say(sender, text)


@pytest.mark.stack
def test_handoff_round_trip_and_the_bot_comes_back(stack, operator) -> None:
    sender = new_sender()
    turn = chat(stack, sender, "转人工")
    handoff = turn["handoff"]
    assert handoff["queue"] == "12385" and handoff["priority"] == "normal" and handoff["position"] >= 1
    assert "转接" in turn["messages"][0]["text"]
    assert tracker_slots(stack, sender) is not None

    relayed = chat(stack, sender, "我想问一下护理补贴")
    assert relayed["messages"] == [] and relayed["handoff"]["ticket_id"] == handoff["ticket_id"], "the bot is silent"

    ticket = handoff["ticket_id"]
    assert operator.post(f"/api/operator/tickets/{ticket}/claim").status_code == 200
    detail = operator.get(f"/api/operator/tickets/{ticket}").json()
    assert any(line["text"] == "转人工" for line in detail["transcript"]), "the operator sees the conversation"
    operator.post(f"/api/operator/tickets/{ticket}/messages", json={"text": "您好，请讲。"})
    update = residents(stack).updates(sender, wait=5).json()
    assert update["messages"][0] | {"buttons": None} == {
        "text": "您好，请讲。", "buttons": None, "from_person": True, "author": "operator"
    }  # fmt: skip

    operator.post(f"/api/operator/tickets/{ticket}/resolve", json={"outcome": "已解答护理补贴问题"})
    back = chat(stack, sender, "我在潞城区，怎么办残疾人证")
    assert back["handoff"] is None
    texts = [m["text"] for m in back["messages"]]
    assert any("智能助手" in t for t in texts), "the hand-back message reaches the resident"
    assert len(texts) >= 2 and not all("智能助手" in t for t in texts), "the bot answers again"


@pytest.mark.stack
def test_danger_gets_emergency_numbers_first_and_an_emergency_ticket(stack) -> None:
    turn = chat(stack, new_sender(), "我妈摔倒了起不来，家里没人")
    first = turn["messages"][0]["text"]
    assert all(number in first for number in ("110", "120", "119"))
    assert turn["handoff"]["queue"] == "emergency" and turn["handoff"]["priority"] == "emergency"
    assert turn["handoff"]["position"] is None, "a person in danger is never shown a queue position"


@pytest.mark.stack
def test_routing_follows_the_region(stack) -> None:
    c = Conversation(stack.url)
    c.say("潞城区")
    turn = c.resident.say(c.sender_id, "我要找人工")
    assert turn["handoff"]["queue"] == "12345", "潞城's plan names only 12345"
    c2 = Conversation(stack.url)
    c2.say("绥芬河市")
    assert c2.resident.say(c2.sender_id, "我要找人工")["handoff"]["queue"] == "12385"


@pytest.mark.stack
def test_complaint_is_high_priority(stack) -> None:
    sender = new_sender()
    chat(stack, sender, "我是绥芬河的")
    turn = chat(stack, sender, "你们工作人员态度太差了，我要投诉")
    assert turn["handoff"]["priority"] == "high" and turn["handoff"]["queue"] == "12385"


def region_question(turn: dict) -> tuple[list[str], dict[str, str]]:
    """The texts said before the hand-over's region question, and the question's buttons (title → payload)."""
    texts = [m["text"] for m in turn["messages"]]
    asked = next((i for i, m in enumerate(turn["messages"]) if m.get("buttons")), None)
    assert asked is not None and "哪里" in texts[asked], texts
    return texts[:asked], {b["title"]: b["payload"] for b in turn["messages"][asked]["buttons"]}


@pytest.mark.stack
def test_a_complaint_from_an_unknown_region_goes_high_at_once_then_moves_to_the_named_regions_line(
    stack, operator
) -> None:
    sender = new_sender()
    first = chat(stack, sender, "你们工作人员态度太差了，我要投诉")
    handoff = first["handoff"]
    assert handoff and handoff["priority"] == "high" and handoff["queue"] == "12385", "handed over in the first reply"
    before, buttons = region_question(first)
    assert any("转接" in t for t in before) and not any("哪里" in t for t in before), "no question before it"
    assert set(buttons) == {"绥芬河市", "潞城区"}, buttons

    moved = chat(stack, sender, buttons["潞城区"])
    assert moved["handoff"]["ticket_id"] == handoff["ticket_id"], "the same ticket, moved"
    assert (moved["handoff"]["queue"], moved["handoff"]["priority"]) == ("12345", "high"), "潞城区's line"
    assert moved["handoff"]["region"] == "潞城区" and moved["handoff"]["transferred_from"] == "12385"
    assert any("潞城区" in m["text"] and "12345" in m["text"] for m in moved["messages"]), moved["messages"]
    card = next(t for t in operator.get("/api/operator/tickets").json() if t["id"] == handoff["ticket_id"])
    assert (card["queue"], card["region"], card["priority"]) == ("12345", "潞城区", "high")
    assert tracker_slots(stack, sender)["region"] == "潞城区", "the bot knows the region when it answers again"

    other = new_sender()
    first = chat(stack, other, "跑了五趟了都没人管 你们这是折腾人")
    assert first["handoff"]["priority"] == "high" and first["handoff"]["queue"] == "12385"
    later = chat(stack, other, "快点行不行")
    assert later["messages"] == [] and later["handoff"]["queue"] == "12385", "said nothing about where: it stays"


@pytest.mark.stack
def test_a_claimed_ticket_is_not_moved_by_the_region_answer(stack, operator) -> None:
    sender = new_sender()
    first = chat(stack, sender, "转人工")
    _before, buttons = region_question(first)
    ticket = first["handoff"]["ticket_id"]
    assert operator.post(f"/api/operator/tickets/{ticket}/claim").status_code == 200
    turn = chat(stack, sender, "我在潞城区")
    assert turn["messages"] == [] and turn["handoff"]["state"] == "joined", "the operator has the conversation"
    assert turn["handoff"]["queue"] == "12385" and turn["handoff"]["region"] is None
    turn = chat(stack, sender, buttons["潞城区"])
    assert turn["handoff"]["queue"] == "12385", "a claimed ticket is never moved"
    detail = operator.get(f"/api/operator/tickets/{ticket}").json()
    assert detail["queue"] == "12385" and "我在潞城区" in [m["text"] for m in detail["messages"]]


@pytest.mark.stack
def test_a_region_named_after_a_handover_is_an_ordinary_region_answer(stack) -> None:
    sender = new_sender()
    assert chat(stack, sender, "转人工")["handoff"]
    chat(stack, sender, "取消")
    turn = chat(stack, sender, '/inform_region{"region": "潞城区"}')
    assert turn["handoff"] is None and turn["messages"], "the policy answer's flow takes the region"


@pytest.mark.stack
def test_resident_can_cancel_waiting(stack) -> None:
    sender = new_sender()
    assert chat(stack, sender, "转人工")["handoff"]
    cancelled = chat(stack, sender, "取消")
    assert cancelled["handoff"] is None and "取消转人工" in cancelled["messages"][0]["text"]
    again = chat(stack, sender, "你好")
    assert again["messages"] and again["handoff"] is None, "the bot answers after the handoff is cancelled"
