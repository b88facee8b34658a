"""Personal data in hand-overs (issue 11, item 5): only the operator holding a ticket reads its summary slots,
transcript and messages; none of it is stored in clear."""

from __future__ import annotations

from sqlalchemy import text

from bot.escalation.transcript import public_summary
from bot.rules.id_card import id_check_digit
from tests.api.conftest import INTERNAL, login
from tests.residents import Residents

ID_NUMBER = "14042619750315002" + id_check_digit("14042619750315002")
NAME, ADDRESS, PHONE = "王秀英", "东街12号", "13800138000"


def open_ticket(client, sender: str) -> str:
    said = {"from": "resident", "text": f"我叫{NAME}，身份证{ID_NUMBER}，转人工", "at": "2026-12-01T02:00:00+00:00"}
    body = {"sender_id": sender, "reason": "request", "transcript": [said]}  # as the action server sends it
    response = client.post("/internal/tickets", json=body, headers=INTERNAL)
    assert response.status_code == 200, response.text
    return response.json()["handoff"]["ticket_id"]


def test_only_the_holder_reads_transcript_and_messages(client) -> None:
    ticket_id = open_ticket(client, "resident-p1")
    Residents(client).say("resident-p1", f"我住在{ADDRESS}，电话{PHONE}")
    op, admin = login(client, "op1"), login(client, "admin1")

    waiting = client.get(f"/api/operator/tickets/{ticket_id}", headers=admin).json()
    assert waiting["transcript"] == [] and waiting["messages"] == [] and waiting["withheld"] is True
    assert waiting["topic"] is None and waiting["reason"] == "request", "the queue card is still there"
    assert NAME not in str(waiting) and ADDRESS not in str(waiting) and ID_NUMBER[-4:] not in str(waiting)

    assert client.post(f"/api/operator/tickets/{ticket_id}/claim", headers=op).status_code == 200
    held = client.get(f"/api/operator/tickets/{ticket_id}", headers=op).json()
    assert held["withheld"] is False
    assert any(NAME in line["text"] and ID_NUMBER not in line["text"] for line in held["transcript"]), (
        "the holder reads the transcript, ID numbers masked"
    )
    assert [m["text"] for m in held["messages"]] == [f"我住在{ADDRESS},电话{PHONE}"]

    other = client.get(f"/api/operator/tickets/{ticket_id}", headers=admin).json()
    assert other["withheld"] is True and other["messages"] == [] and other["transcript"] == []


def test_tickets_and_messages_are_encrypted_at_rest(client) -> None:
    ticket_id = open_ticket(client, "resident-p2")
    resident = Residents(client)
    resident.say("resident-p2", f"我住在{ADDRESS}，电话{PHONE}")
    op = login(client, "op1")
    client.post(f"/api/operator/tickets/{ticket_id}/claim", headers=op)
    client.post(f"/api/operator/tickets/{ticket_id}/messages", json={"text": f"{NAME}您好"}, headers=op)
    client.post(f"/api/operator/tickets/{ticket_id}/resolve", json={"outcome": f"已回电{PHONE}"}, headers=op)
    with client.app.state.engine.connect() as connection:
        stored = [
            str(tuple(row))
            for table in ("tickets", "ticket_messages")
            for row in connection.execute(text(f"SELECT * FROM {table}"))  # noqa: S608 - fixed table names
        ]
    assert stored, "the rows are there"
    dump = "\n".join(stored)
    for secret in (NAME, ADDRESS, PHONE, ID_NUMBER, ID_NUMBER[:4] + "*"):
        assert secret not in dump, f"{secret!r} is stored in clear"
    assert resident.updates("resident-p2").json()["messages"][0]["text"] == f"{NAME}您好", "and read back decrypted"


def test_the_public_summary_keeps_no_personal_slot() -> None:
    summary = {
        "topic": "care_subsidy",
        "reason": "request",
        "slots": {"region": "潞城区", "benefit": "care_subsidy", "applicant_name": NAME,
                  "id_number": "1404**********0021", "phone": "138****8000", "address": ADDRESS, "town": "潞华街道",
                  "household": "低保", "proxy_name": "李明"},
    }  # fmt: skip
    assert public_summary(summary) == {
        "topic": "care_subsidy",
        "reason": "request",
        "slots": {"region": "潞城区", "benefit": "care_subsidy"},
    }
