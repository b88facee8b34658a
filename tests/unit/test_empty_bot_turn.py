"""A turn that stays with the bot never comes back empty: when Rasa returns no message (a custom action failed and
Rasa went on listening), the gateway says it could not answer and how to go on (bot/services/chat.py)."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field

from bot.dialogue.client import BotMessage, TurnResult
from bot.escalation.promises import Handoff
from bot.services import messages
from bot.services.chat import ChatService


@dataclass
class SilentRasa:
    """Answers every turn with the given messages (none by default)."""

    said: list[BotMessage] = field(default_factory=list)

    async def turn(self, sender_id: str, text: str, channel: str | None = None, client_tag: str | None = None):
        return TurnResult(list(self.said))


@dataclass
class NoTickets:
    """An escalation service with no ticket, or with the hand-over `handoff` opened by the turn."""

    handoff: Handoff | None = None

    async def handoff_for(self, sender_id: str):
        return None

    async def after_turn(self, sender_id: str):
        return self.handoff, []


def _reply(rasa: SilentRasa, escalation: NoTickets | None = None, text: str = "明天刮风大吗"):
    service = ChatService(rasa, escalation or NoTickets(), max_chars=500)
    return asyncio.run(service.handle("resident-1", text))


def test_an_empty_rasa_turn_gets_the_safe_fallback() -> None:
    turn = _reply(SilentRasa())
    assert [m.text for m in turn.messages] == [messages.NO_REPLY]
    assert "转人工" in messages.NO_REPLY and "120" in messages.NO_REPLY
    assert turn.handoff is None


def test_a_turn_with_messages_is_passed_on_unchanged() -> None:
    said = [BotMessage(text="天气我查不了，请看天气预报。")]
    assert [m.text for m in _reply(SilentRasa(said)).messages] == ["天气我查不了，请看天气预报。"]


def test_a_hand_over_waiting_for_a_person_is_not_padded() -> None:
    waiting = Handoff(ticket_id="t1", queue="12385", priority="normal", position=1, banner="您排第1位")
    turn = _reply(SilentRasa(), NoTickets(waiting))
    assert turn.messages == [] and turn.handoff["ticket_id"] == "t1"
