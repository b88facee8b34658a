"""A Rasa input channel (runs inside Rasa, `.venv-rasa`): Rasa's REST webhook plus how the message was understood.

POST /webhooks/turn/webhook takes the REST channel's body and answers {"messages": [...], "state": {...}}, where
`state` holds what the insights recorder needs (the parse's intent and response selector, the active form). It is
taken from the tracker Rasa saves at the end of the turn (a wrapper around MessageProcessor.save_tracker fills a
per-request holder), so neither the gateway nor Rasa reads the tracker a second time. Loaded through
dialogue/credentials.yml (bot/launcher/stack.py passes it with --credentials)."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from contextvars import ContextVar
from typing import Any

from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from rasa.core.channels.rest import RestInput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.dialogue.turn_state import turn_state

log = logging.getLogger(__name__)
_TURN: ContextVar[dict[str, Any] | None] = ContextVar("accessline_turn", default=None)


def _keep_saved_state() -> None:
    """Wrap MessageProcessor.save_tracker once: the turn's state goes to the holder of the request being served.

    The processor runs the turn in the request's own task (agent.handle_message awaits it under the conversation
    lock), so the ContextVar set by `receive` is the one seen here."""
    from rasa.core.processor import MessageProcessor

    original = MessageProcessor.save_tracker
    if getattr(original, "_accessline_turn", False):
        return

    async def save_tracker(self: Any, tracker: Any) -> None:
        await original(self, tracker)
        holder = _TURN.get()
        if holder is not None:
            holder["state"] = turn_state(tracker)

    save_tracker._accessline_turn = True  # type: ignore[attr-defined]
    MessageProcessor.save_tracker = save_tracker  # type: ignore[method-assign]


class TurnInput(RestInput):
    """`turn`: like `rest`, with the turn's state in the same answer."""

    @classmethod
    def name(cls) -> str:
        return "turn"

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        _keep_saved_state()
        webhook = Blueprint("accessline_turn_webhook", __name__)

        @webhook.route("/", methods=["GET"])
        async def health(_request: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @webhook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            sender_id = await self._extract_sender(request)
            collector = CollectingOutputChannel()
            message = UserMessage(
                self._extract_message(request), collector, sender_id,
                input_channel=self._extract_input_channel(request), metadata=self.get_metadata(request),
            )  # fmt: skip
            holder: dict[str, Any] = {}
            token = _TURN.set(holder)
            try:
                await on_new_message(message)
            except Exception:  # noqa: BLE001 - as Rasa's REST channel: answer what was collected
                log.exception("turn channel: message handling failed")
            finally:
                _TURN.reset(token)
            return response.json({"messages": collector.messages, "state": holder.get("state") or {}})

        return webhook
