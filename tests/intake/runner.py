"""Run application scripts against a running stack and read every stored record back through the staff API."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, field
from typing import Any

import httpx

from tests.intake.checks import compare, invalid_values
from tests.intake.resident import Resident
from tests.intake.schema import FormSchema
from tests.intake.scripts import Script

CONVERSATION_KEY = "X-Conversation-Key"
MAX_TURNS = 40
MAX_SAME_QUESTION = 5
REFERENCE = re.compile(r"编号\D{0,6}(\d{4})\s?(\d{4})(?!\d)")
ASK_BENEFIT = re.compile(r"申请哪一项|想申请哪|办哪一项|哪一种")
ASK_REGION = re.compile(r"绥芬河市还是潞城区|哪个地区|哪个区|您在哪里|住在哪")


@dataclass
class ScriptResult:
    id: str
    benefit: str
    styles: list[str]
    expect_stored: bool
    expect_handover: bool | None
    outcome: str = "stuck"  # stored | ended | handover | stuck | error
    reference: str | None = None
    turns: int = 0
    facts: int = 0
    new_records: int = 0
    mismatches: list[str] = field(default_factory=list)
    invalid: list[str] = field(default_factory=list)
    event_checks: list[tuple[str, bool]] = field(default_factory=list)
    personal_slots_left: list[str] = field(default_factory=list)
    transcript: list[tuple[str, str]] = field(default_factory=list)

    @property
    def exact(self) -> bool:
        """Stored with every field right (for scripts that should store), or nothing stored (for the others)."""
        if self.expect_stored:
            return self.outcome == "stored" and self.new_records == 1 and not self.mismatches
        return self.new_records == 0 and (self.expect_handover is not True or self.outcome == "handover")


@dataclass
class StackAccess:
    """Where the stack listens and how to read it: /api/chat, Rasa's tracker API, the staff API."""

    gateway_url: str
    rasa_url: str
    rasa_token: str
    staff_headers: dict[str, str]


class IntakeRunner:
    def __init__(self, access: StackAccess, schema: FormSchema, timeout: float = 60.0) -> None:
        self.access = access
        self.schema = schema
        self.http = httpx.Client(timeout=timeout)
        self._keys: dict[str, str] = {}  # sender → X-Conversation-Key

    def close(self) -> None:
        self.http.close()

    # -- the stack -----------------------------------------------------------------------------------------------
    def _chat(self, sender: str, text: str) -> tuple[str, Any]:
        # the first reply issues the conversation's key; every later turn sends it back, as the web chat does
        headers = {CONVERSATION_KEY: self._keys[sender]} if sender in self._keys else {}
        response = self.http.post(
            f"{self.access.gateway_url}/api/chat", json={"sender_id": sender, "text": text}, headers=headers
        )
        response.raise_for_status()
        if CONVERSATION_KEY in response.headers:
            self._keys[sender] = response.headers[CONVERSATION_KEY]
        body = response.json()
        return "\n".join(m.get("text") or "" for m in body["messages"]), body.get("handoff")

    def _tracker(self, sender: str) -> dict[str, Any]:
        url = f"{self.access.rasa_url}/conversations/{sender}/tracker"
        response = self.http.get(url, params={"token": self.access.rasa_token})
        response.raise_for_status()
        return response.json()

    def stored_count(self) -> int:
        url = f"{self.access.gateway_url}/api/applications"
        response = self.http.get(url, params={"page_size": 1}, headers=self.access.staff_headers)
        response.raise_for_status()
        return int(response.json()["total"])

    def _record(self, reference: str) -> dict[str, Any]:
        url = f"{self.access.gateway_url}/api/applications/{reference}"
        response = self.http.get(url, headers=self.access.staff_headers)
        response.raise_for_status()
        return response.json()

    # -- one script ----------------------------------------------------------------------------------------------
    def _requested(self, tracker: dict[str, Any]) -> str | None:
        loop = (tracker.get("active_loop") or {}).get("name")
        if not self.schema.is_application_form(loop):
            return None
        return (tracker.get("slots") or {}).get("requested_slot")

    def run(self, script: Script) -> ScriptResult:
        result = ScriptResult(script.id, script.benefit, script.styles, script.expect_stored, script.expect_handover)
        result.facts = script.fact_count()
        resident = Resident(script, self.schema.extra_key_for_slot)
        sender = "intake" + uuid.uuid4().hex[:12]
        before = self.stored_count()
        try:
            self._converse(script, resident, sender, result)
        except httpx.HTTPError as exc:
            result.outcome = "error"
            result.transcript.append(("error", f"{type(exc).__name__}: {exc}"))
        result.event_checks = resident.event_checks
        result.new_records = self.stored_count() - before
        if result.reference:
            record = self._record(result.reference)
            expected = {**script.expected_record(), "benefit": self.schema.benefit_key(script.benefit)}
            result.mismatches = compare(expected, record, self.schema.benefit_fields(record), self.schema.extra_value)
            result.invalid = invalid_values(record)
        if result.outcome in ("stored", "ended"):
            slots = (self._tracker(sender).get("slots") or {}) if result.outcome != "error" else {}
            result.personal_slots_left = [s for s in self.schema.personal_slots if slots.get(s) not in (None, False)]
        return result

    def _converse(self, script: Script, resident: Resident, sender: str, result: ScriptResult) -> None:
        text = script.opening
        rephrased = False
        same_question: dict[str, int] = {}
        for _ in range(MAX_TURNS):
            result.turns += 1
            result.transcript.append(("resident", text))
            reply, handoff = self._chat(sender, text)
            result.transcript.append(("bot", reply))
            match = REFERENCE.search(reply)
            if match or handoff:
                resident.record_reply(reply)
            if match and ("提交" in reply or "申请编号" in reply):
                result.reference = match.group(1) + match.group(2)
                result.outcome = "stored"
                return
            if handoff:
                result.outcome = "handover"
                return
            requested = self._requested(self._tracker(sender))
            resident.record_reply(reply, requested)
            ask = resident.ask_name(requested)
            if ask is None and ASK_BENEFIT.search(reply):
                text = f"我想申请{script.benefit}"
                continue
            if ask is None and ASK_REGION.search(reply) and not resident.fired_cancel():
                ask = "region"
            if ask is None:
                if resident.fired_cancel() or rephrased:
                    result.outcome = "ended"
                    return
                rephrased = True
                text = f"我想申请{script.benefit}"
                continue
            same_question[ask] = same_question.get(ask, 0) + 1
            if same_question[ask] > MAX_SAME_QUESTION:
                result.outcome = "stuck"
                return
            text = resident.answer(ask, requested, reply)
        result.outcome = "stuck"
