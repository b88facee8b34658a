"""Record how each Rasa turn went, in the background after the reply has been sent. No personal data is kept."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot.insights.grouping import keywords
from bot.insights.privacy import scrub
from bot.insights.topics import TopicIndex
from bot.rules.understanding import understood_faq
from bot.storage.models import TurnOutcome

log = logging.getLogger(__name__)
# Outside a form, a bare answer (`inform`: a number, a name …) is not understood either (rules.yml: action_fallback).
UNANSWERED_INTENTS = {"nlu_fallback": "fallback", "inform": "fallback", "out_of_scope": "out_of_scope"}
# Slots that say nothing about who the resident is: any other slot filled means an application is under way.
NOT_PERSONAL_SLOTS = frozenset(
    {"region", "benefit", "for_self", "pi_consent", "pending_faq", "session_started_metadata"}
)
# A bare answer (`inform`) is what a form asks for (a name, a number, an address): never kept as text.
NEVER_TEXT_INTENTS = frozenset({"inform"})


def in_application(state: dict[str, Any]) -> bool:
    """True while an application is being taken (its form is active or asking, or a personal slot of it is filled,
    e.g. during the read-back after the form): such a turn is never stored as text."""
    if (state.get("active_loop") or {}).get("name"):
        return True
    slots = state.get("slots") or {}
    if slots.get("requested_slot"):
        return True
    return any(value not in (None, "", [], False) for name, value in slots.items() if name not in NOT_PERSONAL_SLOTS
               and name != "requested_slot")  # fmt: skip


@dataclass
class Outcome:
    intent: str
    confidence: float
    answer_key: str | None
    outcome: str  # answered | fallback | out_of_scope
    in_form: bool
    keep_text: bool = True  # False: inside an application, or a bare answer — the question text is never stored


def classify(state: dict[str, Any]) -> Outcome:
    """Read the turn's result from the tracker state (`latest_message` is the parse of the user's message)."""
    parse = state.get("latest_message") or {}
    intent = (parse.get("intent") or {}).get("name") or "nlu_fallback"
    confidence = float((parse.get("intent") or {}).get("confidence") or 0.0)
    selected = ((parse.get("response_selector") or {}).get(intent) or {}).get("response") or {}
    answer_key = selected.get("intent_response_key") if intent == "faq" else None
    in_form = bool((state.get("active_loop") or {}).get("name"))
    outcome = "answered" if in_form else UNANSWERED_INTENTS.get(intent, "answered")
    if outcome == "answered" and not in_form and not understood_faq(parse):
        outcome = "fallback"  # taken for a policy question, but no answer fitted: the bot asked again
    keep_text = not in_application(state) and intent not in NEVER_TEXT_INTENTS
    return Outcome(intent, round(confidence, 4), answer_key, outcome, in_form, keep_text)


APPLYING_SECONDS = 1800  # after a turn inside an application, the conversation's next turns keep no text either
MAX_APPLYING = 10000


FLUSH_SECONDS = 0.5  # turns recorded within this long are written in one transaction
Pending = tuple[str, str, str, bool, Outcome]


class TurnRecorder:
    """Gathers each turn's outcome and writes them in batches, off the response path (one transaction per batch,
    not one per turn); a failure is logged and never reaches the resident."""

    def __init__(self, sessions, data_dir: Path, conversation_hash) -> None:
        self._sessions = sessions
        self._topics = TopicIndex(data_dir / "faq")
        self._userdict = data_dir / "dict" / "userdict.txt"
        self._hash = conversation_hash
        self._pending: list[Pending] = []
        self._flusher: asyncio.Task | None = None
        self._flush_now = asyncio.Event()
        self.missing_state = 0  # turns Rasa answered without the turn channel's state (not recorded)
        # Conversations seen inside an application (keyed hash → until when, monotonic): the state is taken after
        # the turn, when a confirmed application has already cleared its slots, so the confirming turn ("对，确认")
        # and any correction right after it would otherwise look like ordinary questions.
        self._applying: dict[str, float] = {}

    def _remember_application(self, key: str, state: dict[str, Any], outcome: Outcome) -> None:
        now = time.monotonic()
        if in_application(state):
            self._applying[key] = now + APPLYING_SECONDS
            if len(self._applying) > MAX_APPLYING:
                for old in sorted(self._applying, key=self._applying.get)[: MAX_APPLYING // 10]:
                    del self._applying[old]
        elif self._applying.get(key, 0.0) > now:
            outcome.keep_text = False

    def record(self, sender_id: str, text: str, channel: str, handoff: bool, state: dict[str, Any]) -> None:
        """Record the turn off the response path, from the state the turn itself returned (no Rasa request)."""
        if not state.get("latest_message"):
            self.missing_state += 1
            return
        try:
            outcome = classify(state)
            self._remember_application(self._hash(sender_id), state, outcome)
        except Exception as exc:  # noqa: BLE001 - insights must never disturb a conversation
            log.warning("turn outcome not recorded: %s", type(exc).__name__)
            return
        self._pending.append((sender_id, text, channel, handoff, outcome))
        if self._flusher is None or self._flusher.done():
            self._flusher = asyncio.create_task(self._flush_soon())

    async def _flush_soon(self) -> None:
        """Wait a moment (or for `drain`) so that the turns of the next FLUSH_SECONDS share one write."""
        with contextlib.suppress(asyncio.TimeoutError):
            await asyncio.wait_for(self._flush_now.wait(), FLUSH_SECONDS)
        batch, self._pending = self._pending, []
        if batch:
            try:
                await asyncio.to_thread(self.save_all, batch)
            except Exception as exc:  # noqa: BLE001 - insights must never disturb a conversation
                log.warning("%d turn outcomes not recorded: %s", len(batch), type(exc).__name__)

    async def drain(self) -> None:
        """Write pending records now and wait for them (tests, shutdown)."""
        while self._flusher is not None and not self._flusher.done():
            self._flush_now.set()
            await asyncio.gather(self._flusher, return_exceptions=True)
        self._flush_now.clear()

    async def close(self) -> None:
        await self.drain()

    def _row(self, sender_id: str, text: str, channel: str, handoff: bool, outcome: Outcome) -> TurnOutcome:
        """One turn's outcome row (the question text only when unanswered, scrubbed)."""
        question = scrub(text) if outcome.outcome != "answered" and outcome.keep_text else None
        words = keywords(question, self._userdict) if question else []
        return TurnOutcome(
            conversation=self._hash(sender_id)[:64],
            channel=channel[:16],
            intent=outcome.intent[:100],
            confidence=outcome.confidence,
            answer_key=outcome.answer_key,
            topic=("申请办理" if outcome.in_form else self._topics.topic(outcome.intent, outcome.answer_key))[:32],
            outcome=outcome.outcome,
            handoff=handoff,
            question=question,
            keywords=words,
        )

    def save_all(self, batch: list[Pending]) -> None:
        """Store a batch of turn outcomes in one transaction; a turn whose row cannot be made is left out."""
        rows = []
        for pending in batch:
            try:
                rows.append(self._row(*pending))
            except Exception as exc:  # noqa: BLE001
                log.warning("turn outcome not recorded: %s", type(exc).__name__)
        if rows:
            with self._sessions() as session:
                session.add_all(rows)
                session.commit()

    def save(self, sender_id: str, text: str, channel: str, handoff: bool, outcome: Outcome) -> None:
        """Store one turn's outcome (the question text only when unanswered, scrubbed)."""
        row = self._row(sender_id, text, channel, handoff, outcome)
        with self._sessions() as session:
            session.add(row)
            session.commit()
