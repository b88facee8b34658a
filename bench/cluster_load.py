"""A small, bounded load generator for the cluster (127.0.0.1 only), and the checks of what it left behind.

Each conversation is one thread speaking its turns in order, each turn waiting for the answer (as a resident does);
every text of a conversation is distinct, so its Rasa tracker shows whether a turn was lost, answered twice or out of
order. A turn refused with 502/503 counts as "asked to say it again" (the in-flight turn of a killed process); the
generator then goes on with the next text, as a resident would after "请再说一遍".
"""

from __future__ import annotations

import secrets
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field

import httpx

from bot.text.normalize import normalize_text
from tests.knowledge import fact_cases

SAY_AGAIN_STATUSES = (502, 503, 504)


def distinct_questions() -> list[str]:
    """FAQ questions (each answered by the bot, none handing over), one text each."""
    seen: list[str] = []
    for case in fact_cases():
        if case["question"] not in seen:
            seen.append(case["question"])
    return seen


@dataclass
class Turn:
    text: str
    status: int
    seconds: float
    answer: str = ""
    to_person: bool = False  # a ticket is open: the text went to the operator, not to Rasa (the bot stays silent)


@dataclass
class Conversation:
    sender: str
    key: str | None = field(default_factory=lambda: secrets.token_urlsafe(32))  # proposed with the first turn
    turns: list[Turn] = field(default_factory=list)

    @property
    def answered(self) -> list[str]:
        """Texts the bot answered (not those relayed to an operator once the conversation was handed over)."""
        return [t.text for t in self.turns if t.status == 200 and not (t.to_person and not t.answer)]

    @property
    def said_again(self) -> list[str]:
        return [t.text for t in self.turns if t.status in SAY_AGAIN_STATUSES]


def speak(base_url: str, conversation: Conversation, texts: list[str], stop: threading.Event, pause: float) -> None:
    """One resident: the texts in order, one at a time, until done or `stop`."""
    with httpx.Client(base_url=base_url, timeout=45) as client:
        for text in texts:
            if stop.is_set():
                return
            headers = {"X-Conversation-Key": conversation.key} if conversation.key else {}
            started = time.monotonic()
            try:
                response = client.post("/api/chat", json={"sender_id": conversation.sender, "text": text},
                                       headers=headers)  # fmt: skip
                status = response.status_code
            except httpx.HTTPError:
                status, response = 599, None
            turn = Turn(text, status, time.monotonic() - started)
            if response is not None:  # a new conversation's key comes with every answer, errors included
                conversation.key = conversation.key or response.headers.get("X-Conversation-Key")
            if response is not None and status == 200:
                body = response.json()
                turn.answer = "\n".join(m["text"] for m in body["messages"])
                turn.to_person = bool(body.get("handoff"))
            conversation.turns.append(turn)
            time.sleep(pause)


def run_load(base_url: str, conversations: int, turns: int, pause: float = 0.1,
             during: Callable[[], None] | None = None) -> list[Conversation]:  # fmt: skip
    """`conversations` residents speaking `turns` distinct texts each; `during()` runs meanwhile (a fault)."""
    questions = distinct_questions()
    if turns > len(questions):
        raise ValueError(f"at most {len(questions)} distinct turns")
    stop = threading.Event()
    tag = uuid.uuid4().hex[:8]
    made = [Conversation(f"load{tag}{i}") for i in range(conversations)]
    threads = []
    for index, conversation in enumerate(made):
        texts = questions[index % len(questions) :] + questions[: index % len(questions)]
        threads.append(threading.Thread(target=speak, args=(base_url, conversation, texts[:turns], stop, pause)))
    for thread in threads:
        thread.start()
    try:
        if during is not None:
            during()
    finally:
        for thread in threads:
            thread.join(300)
        stop.set()
    return made


@dataclass
class Findings:
    """What the trackers say about the turns (counts, not impressions)."""

    turns_sent: int = 0
    answered: int = 0
    said_again: int = 0
    lost: list[str] = field(default_factory=list)  # an answered turn missing from its conversation's history
    twice: list[str] = field(default_factory=list)  # a text found more than once in one history
    out_of_order: list[str] = field(default_factory=list)
    other_errors: list[str] = field(default_factory=list)  # a status that is neither 200 nor "say it again"
    silent: list[str] = field(default_factory=list)  # answered 200 with no message at all
    to_person: int = 0  # texts relayed to an operator (the conversation was handed over during the run)


def check(made: list[Conversation], tracker: Callable[[str], dict]) -> Findings:
    """Compare what each resident was answered with what its conversation's history holds."""
    found = Findings()
    for conversation in made:
        found.turns_sent += len(conversation.turns)
        found.answered += len(conversation.answered)
        found.said_again += len(conversation.said_again)
        found.other_errors += [f"{conversation.sender}:{t.status}" for t in conversation.turns
                               if t.status != 200 and t.status not in SAY_AGAIN_STATUSES]  # fmt: skip
        found.silent += [f"{conversation.sender}:{t.text}" for t in conversation.turns
                         if t.status == 200 and not t.answer and not t.to_person]  # fmt: skip
        found.to_person += sum(1 for t in conversation.turns if t.status == 200 and t.to_person and not t.answer)
        events = tracker(conversation.sender).get("events") or []
        history = [e.get("text") for e in events if e.get("event") == "user"]  # what the gateway passed on
        for text in set(history):
            if history.count(text) > 1:
                found.twice.append(f"{conversation.sender}:{text}")
        for text in conversation.answered:
            if normalize_text(text) not in history:
                found.lost.append(f"{conversation.sender}:{text}")
        sent_order = [normalize_text(t.text) for t in conversation.turns]
        positions = [sent_order.index(text) for text in history if text in sent_order]
        if positions != sorted(positions):
            found.out_of_order.append(conversation.sender)
    return found
