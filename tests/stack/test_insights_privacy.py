"""Insights never hold personal data (issue 15): complete applications in dialect (names, ID numbers, card numbers and
phones, some spoken), plus questions outside a form that name people, go through the real stack; then every stored
insight row is read back and no name, ID or phone of them — nor a recognisable part — appears in any column."""

from __future__ import annotations

import json
import time
from typing import Any

import httpx
import pytest
from sqlalchemy import create_engine, func, select
from sqlalchemy.orm import Session

from bot.insights.privacy import scrub
from bot.storage.models import TurnOutcome
from tests.conftest import new_sender
from tests.intake.access import stack_access
from tests.intake.metrics import ROOT
from tests.intake.runner import IntakeRunner
from tests.intake.schema import FormSchema
from tests.intake.scripts import Script, load_scripts
from tests.residents import Residents

SCRIPTS = ROOT / "tests" / "data" / "intake_dev" / "scripts.yml"
NAME_FIELDS = ("applicant_name", "proxy_name")
NUMBER_FIELDS = ("id_number", "card_number", "phone", "proxy_phone")
# Outside any form: people named in passing, in dialect, next to real questions.
LOOSE_TURNS = [
    "俺叫牛二旦，俺家低保咋还没到账",
    "我是石建国，我想问问导盲犬能不能坐公交",
    "俺闺女叫李翠花，她那个残疾证丢了咋整",
    "帮我查一下，申请人是马建军，电话13703551234",
]
LOOSE_SECRETS = ["牛二旦", "石建国", "李翠花", "马建军", "13703551234", "1234"]
# No personal data and nothing the bot can answer: their text is kept (so the check below reads real text).
PLAIN = ["明天天气怎么样", "给我讲个笑话吧", "今天股票涨了没有", "电话13912345678，我的快递怎么还没到"]


class KeyedRunner(IntakeRunner):
    """The intake harness, talking the way the web chat does (each conversation's key kept and sent back)."""

    def __init__(self, *args, **kwargs) -> None:  # noqa: ANN002, ANN003
        super().__init__(*args, **kwargs)
        self.residents = Residents(self.http)

    def _chat(self, sender: str, text: str) -> tuple[str, Any]:
        response = self.http.post(
            f"{self.access.gateway_url}/api/chat",
            json={"sender_id": sender, "text": text},
            headers=self.residents.headers(sender),
        )
        self.residents._keep(sender, response)
        response.raise_for_status()
        body = response.json()
        return "\n".join(m.get("text") or "" for m in body["messages"]), body.get("handoff")


def chosen_scripts() -> list[Script]:
    """The dialect applications of the development set (and at least three scripts in all)."""
    scripts = [s for s in load_scripts(SCRIPTS) if s.expect_stored]
    dialect = [s for s in scripts if any(style.startswith("dialect") for style in s.styles)]
    return (dialect + [s for s in scripts if s not in dialect])[: max(3, len(dialect))]


def secrets_of(script: Script) -> list[str]:
    """Names (whole, and the given name), numbers (whole, and their telling parts) and how they were said."""
    found: list[str] = []
    for facts in (script.facts, script.expected_record()):
        for name in (str(facts.get(f) or "") for f in NAME_FIELDS):
            if name:
                found += [name, name[1:]] if len(name) >= 3 else [name]
        for number in (str(facts.get(f) or "") for f in NUMBER_FIELDS):
            if number:
                found += [number, number[-4:]] + ([number[:6] + number[6:10]] if len(number) > 11 else [])
    found += [str(v) for v in script.say.values() if str(v).strip()]
    return [s for s in dict.fromkeys(found) if len(s) >= 2]


def insight_rows(stack) -> list[TurnOutcome]:
    engine = create_engine(stack.config.database_url)
    with Session(engine) as session:
        rows = list(session.scalars(select(TurnOutcome)))
    engine.dispose()
    return rows


def settled_count(stack, within: float = 60.0) -> int:
    """Wait until the gateway's background recorder has written everything (the count stops changing)."""
    engine = create_engine(stack.config.database_url)
    last, stable_since, deadline = -1, time.monotonic(), time.monotonic() + within
    try:
        while time.monotonic() < deadline:
            with Session(engine) as session:
                count = session.scalar(select(func.count()).select_from(TurnOutcome)) or 0
            if count != last:
                last, stable_since = count, time.monotonic()
            elif time.monotonic() - stable_since > 3:
                return count
            time.sleep(0.5)
    finally:
        engine.dispose()
    return last


@pytest.mark.stack
def test_no_stored_insight_holds_a_name_id_or_phone_from_applications(stack) -> None:
    runner = KeyedRunner(stack_access(stack), FormSchema.load(ROOT))
    scripts = chosen_scripts()
    results = [runner.run(script) for script in scripts]
    runner.close()
    stored = [r for r in results if r.outcome == "stored"]
    assert stored, [(r.id, r.outcome, r.transcript[-2:]) for r in results]
    with httpx.Client(base_url=stack.url, timeout=60) as http:
        residents = Residents(http)
        for text in [*LOOSE_TURNS, *PLAIN]:
            residents.say(new_sender(), text)

    assert settled_count(stack) > sum(r.turns for r in results)
    rows = insight_rows(stack)
    columns = [
        json.dumps([r.question, r.keywords, r.topic, r.intent, r.answer_key, r.channel], ensure_ascii=False)
        for r in rows
    ]  # fmt: skip
    secrets = [s for script in scripts for s in secrets_of(script)] + LOOSE_SECRETS + ["13912345678", "5678"]
    leaks = sorted({(secret, text) for text in columns for secret in secrets if secret in text})
    assert not leaks, leaks[:10]
    # The rows read are the turns just made: the application turns were recorded (counted, without their text).
    assert sum(r.topic == "申请办理" for r in rows) >= sum(r.turns for r in stored) // 2, [r.topic for r in rows]
    assert not [r.question for r in rows if r.topic == "申请办理" and r.question]
    # No turn of an application keeps its text, not even the confirmation after the form has cleared its slots.
    said = {scrub(text) for r in results for who, text in r.transcript[1:] if who == "resident"} - {None}
    kept = {r.question for r in rows if r.question}
    assert not kept & said, kept & said
    unanswered = [r for r in rows if r.outcome != "answered"]
    print(
        f"{len(rows)} insight rows ({len(unanswered)} unanswered, {sum(bool(r.question) for r in rows)} with text), "
        f"{len(stored)}/{len(scripts)} applications stored, {len(secrets)} secrets checked"
    )
