"""No log line of the whole stack (gateway, Rasa, action server) carries personal data or a secret after a
complete application, a status query and a hand-over with an operator reply (issue 11, standing check).

The stack fixture writes each process's output under its runtime dir (logs/*.log); the values below are used by
no other test, so a hit can only come from this run."""

from __future__ import annotations

import json
import re

import httpx
import pytest

from bot.cli import create_user
from bot.core.config import PROJECT_ROOT
from bot.rules.id_card import id_check_digit
from tests.stack.conversation import Conversation

ID_17 = "14042619820617004"  # 山西 prefix, born 1982-06-17
ID_NUMBER = ID_17 + id_check_digit(ID_17)
CARD = ID_NUMBER + "42"  # 肢体 二级
NAME = "欧阳慧敏"
PHONE = "13623456781"
ADDRESS = "幸福南路88号"
PASSWORD = "log-scan-operator-password"


def spaced(number: str) -> str:
    return " ".join(re.findall(r"\d{1,4}", number[:3])) + " " + number[3:7] + " " + number[7:]


def secrets_of(stack) -> dict[str, str]:
    """Everything secret the processes know: the Rasa token, the internal token and data/secrets.json."""
    known = {"rasa token": stack.token, "internal token": stack.internal_token}
    secrets_file = PROJECT_ROOT / "data" / "secrets.json"
    if secrets_file.exists():
        known |= {f"secrets.json {k}": v for k, v in json.loads(secrets_file.read_text()).items()}
    return known


def apply_and_hand_over(stack) -> str:
    """A full care-subsidy application, a status query, then a hand-over with an operator reply; answers the JWT."""
    c = Conversation(stack.url)
    c.expect("我想申请护理补贴", "同意吗")
    c.expect("同意", "给自己申请")
    c.expect("给自己", "姓名")
    c.expect(NAME, "身份证号")
    c.expect(ID_NUMBER, "残疾人证")
    c.expect("有", "残疾人证号")
    c.expect(CARD, "电话")
    c.expect(PHONE, "住在哪里")
    c.expect("潞城区", "住在哪里")
    c.expect(f"潞华街道{ADDRESS}", "低保")
    c.expect("低保", "请核对", NAME)
    done = c.expect("确认", "已经提交")
    reference = "".join(re.search(r"申请编号是 (\d{4}) (\d{4})", done).groups())
    c.expect("我的申请到哪了", "申请编号")
    c.expect(reference, "后4位")
    c.expect(PHONE[-4:], "护理补贴")

    turn = c.resident.say(c.sender_id, "转人工")
    ticket = turn["handoff"]["ticket_id"]
    c.resident.say(c.sender_id, f"我叫{NAME}，电话{PHONE}，住{ADDRESS}，身份证{ID_NUMBER}")
    create_user("logscan_op", "operator", PASSWORD, stack.config.database_url)
    with httpx.Client(base_url=stack.url, timeout=30) as operator:
        token = operator.post("/api/auth/token", data={"username": "logscan_op", "password": PASSWORD}).json()
        jwt = token["access_token"]
        operator.headers["Authorization"] = f"Bearer {jwt}"
        assert operator.post(f"/api/operator/tickets/{ticket}/claim").status_code == 200
        detail = operator.get(f"/api/operator/tickets/{ticket}").json()
        assert detail["summary"]["slots"].get("region") == "潞城区"
        reply = f"{NAME}您好，我们会按{PHONE}回电。"
        assert operator.post(f"/api/operator/tickets/{ticket}/messages", json={"text": reply}).status_code == 200
        assert c.resident.updates(c.sender_id, wait=5).json()["messages"][0]["text"] == reply
        assert operator.post(f"/api/operator/tickets/{ticket}/resolve", json={"outcome": "已答复"}).status_code == 200
    c.close()
    return jwt


@pytest.mark.stack
def test_no_log_line_holds_personal_data_or_a_secret(stack) -> None:
    jwt = apply_and_hand_over(stack)
    forbidden = {
        "ID number": ID_NUMBER,
        "disability card": CARD,
        "phone": PHONE,
        "phone as read back": spaced(PHONE),
        "name": NAME,
        "address": ADDRESS,
        "JWT": jwt,
        **secrets_of(stack),
    }
    logs = sorted(stack.config.log_dir.glob("*.log"))
    assert {p.stem for p in logs} >= {"gateway", "rasa", "actions"}, logs
    leaks = [
        f"{path.name}:{number}: {what}"
        for path in logs
        for number, line in enumerate(path.read_text(errors="replace").splitlines(), 1)
        for what, value in forbidden.items()
        if value and value in line
    ]
    assert not leaks, "personal data or secrets in the logs:\n" + "\n".join(leaks[:40])
