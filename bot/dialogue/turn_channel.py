"""A Rasa input channel (runs inside Rasa, `.venv-rasa`): Rasa's REST webhook plus how the message was understood.

POST /webhooks/turn/webhook takes the REST channel's body and answers {"messages": [...], "state": {...}}, where
`state` holds what the insights recorder needs (the parse's intent and response selector, the active form). It is
read from the tracker store inside Rasa after the turn, so the gateway makes one request per turn instead of a
second GET of the whole tracker. Loaded through the credentials file the launcher writes (bot/launcher/stack.py)."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from rasa.core.channels.rest import RestInput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

log = logging.getLogger(__name__)


def turn_state(tracker: Any) -> dict[str, Any]:
    """The part of a tracker the gateway records per turn (no text, no entities: nothing personal)."""
    if tracker is None:
        return {}
    parse = tracker.latest_message.parse_data if tracker.latest_message else {}
    selector = {
        name: {"response": {k: v for k, v in ((part or {}).get("response") or {}).items()
                            if k in ("intent_response_key", "confidence")}}
        for name, part in ((parse or {}).get("response_selector") or {}).items()
        if name != "all_retrieval_intents"
    }  # fmt: skip
    intent = (parse or {}).get("intent") or {}
    return {
        "latest_message": {
            "intent": {"name": intent.get("name"), "confidence": intent.get("confidence")},
            "response_selector": selector,
        },
        "active_loop": {"name": tracker.active_loop_name},
    }


class TurnInput(RestInput):
    """`turn`: like `rest`, with the turn's state in the same answer."""

    @classmethod
    def name(cls) -> str:
        return "turn"

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
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
            try:
                await on_new_message(message)
            except Exception:  # noqa: BLE001 - as Rasa's REST channel: answer what was collected
                log.exception("turn channel: message handling failed")
            state: dict[str, Any] = {}
            try:
                state = turn_state(await request.app.ctx.agent.tracker_store.retrieve(sender_id))
            except Exception as exc:  # noqa: BLE001 - the turn's answer matters more than its record
                log.warning("turn channel: no state for the turn (%s)", type(exc).__name__)
            return response.json({"messages": collector.messages, "state": state})

        return webhook
