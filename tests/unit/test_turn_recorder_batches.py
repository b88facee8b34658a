"""The insights recorder writes turn outcomes in batches off the response path: every recorded turn reaches the
database (after `drain`, or by itself within a moment), with the same row a single save would have written."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

from sqlalchemy import select

from bot.insights.recorder import FLUSH_SECONDS, TurnRecorder, classify
from bot.storage.db import make_engine, make_session_factory
from bot.storage.migrate import upgrade
from bot.storage.models import TurnOutcome

NLU_DATA = Path(__file__).resolve().parents[2] / "nlu_data"


def _state(intent: str, key: str | None = None) -> dict:
    parse = {"intent": {"name": intent, "confidence": 0.9}}
    if key:
        parse["response_selector"] = {"faq": {"response": {"intent_response_key": key}}}
    return {"latest_message": parse, "active_loop": {}}


def _recorder(tmp_path: Path) -> TurnRecorder:
    url = f"sqlite:///{tmp_path / 'insights.db'}"
    upgrade(url)
    return TurnRecorder(make_session_factory(make_engine(url)), NLU_DATA, lambda sender: f"h-{sender}")


def _rows(recorder: TurnRecorder) -> list[tuple]:
    with recorder._sessions() as session:  # noqa: SLF001 - the test reads what the recorder wrote
        found = session.scalars(select(TurnOutcome).order_by(TurnOutcome.id))
        return [(r.conversation, r.intent, r.answer_key, r.outcome, r.handoff, r.question) for r in found]


def test_batched_turns_are_the_rows_single_saves_write(tmp_path) -> None:
    batched, single = _recorder(tmp_path / "a"), _recorder(tmp_path / "b")
    turns = [
        ("r1", "两项补贴是什么", _state("faq", "faq/two_subsidies"), False),
        ("r2", "明天天气怎么样", _state("out_of_scope"), False),
        ("r3", "我要找人工", _state("request_human"), True),
    ]

    async def run() -> None:
        for sender, text, state, handoff in turns:
            batched.record(sender, text, "web", handoff, state)
        batched.record("r4", "没有状态", "web", False, {})  # no state from the turn: counted, not stored
        await batched.drain()

    for path in (tmp_path / "a", tmp_path / "b"):
        path.mkdir(exist_ok=True)
    asyncio.run(run())
    for sender, text, state, handoff in turns:
        single.save(sender, text, "web", handoff, classify(state))
    assert _rows(batched) == _rows(single) and len(_rows(batched)) == 3
    assert batched.missing_state == 1


def test_pending_turns_are_written_without_a_drain(tmp_path) -> None:
    (tmp_path / "c").mkdir()
    recorder = _recorder(tmp_path / "c")

    async def run() -> int:
        recorder.record("r1", "两项补贴是什么", "web", False, _state("faq", "faq/two_subsidies"))
        deadline = time.monotonic() + FLUSH_SECONDS + 10
        while time.monotonic() < deadline and not await asyncio.to_thread(_rows, recorder):
            await asyncio.sleep(0.05)
        return len(await asyncio.to_thread(_rows, recorder))

    assert asyncio.run(run()) == 1
