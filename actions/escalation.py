"""Hand the conversation to a hotline operator: ask the gateway for a ticket (with the slots and transcript this
server already holds) and tell the resident what will really happen."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import FollowupAction
from rasa_sdk.executor import CollectingDispatcher

from actions.gateway_client import post, resident_channel
from actions.history import MISSES_BEFORE_OFFERING_HUMAN, consecutive_misses
from actions.parse import selected_faq
from bot.escalation.transcript import MAX_LINES, filled_slots, transcript_from_events
from bot.rules.benefits import wants_to_apply
from bot.rules.danger import EMERGENCY_FOLLOW_UP, EMERGENCY_MESSAGE

REASON_OF_INTENT = {"request_human": "request", "complaint": "complaint", "danger": "danger"}


def _last_topic(tracker: Tracker) -> str | None:
    """The most recent FAQ topic the resident asked about (for routing and the ticket summary)."""
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            selector = (event.get("parse_data") or {}).get("response_selector") or {}
            key = ((selector.get("faq") or {}).get("response") or {}).get("intent_response_key")
            if key:
                return key
    return None


def handoff_messages(reply: dict[str, Any]) -> list[str]:
    """What the gateway says will really happen (queue place and wait, or office hours and a call-back)."""
    words = reply.get("words")
    if isinstance(words, list) and words:
        return [w for w in words if isinstance(w, str) and w]
    return [FALLBACK_WORDS]


FALLBACK_WORDS = "已经为您登记转接人工客服。着急的话请直接拨打12385残疾人服务热线，或12345政务服务便民热线。"
UNAVAILABLE_WORDS = "对不起，现在转不了人工。请直接拨打12385残疾人服务热线，或12345政务服务便民热线。"


def ticket_request(tracker: Tracker, reason: str) -> dict[str, Any]:
    """The ticket request with what this action server already holds: the slots and the transcript, taken from
    the tracker Rasa sent with the action call (so the gateway never has to read the tracker back mid-turn)."""
    return {
        "sender_id": tracker.sender_id,
        "reason": reason,
        "channel": resident_channel(tracker),
        "topic": selected_faq(tracker) or _last_topic(tracker),
        "slots": filled_slots(tracker.current_slot_values()),
        "transcript": transcript_from_events(tracker.events)[-MAX_LINES:],
    }


async def escalate(dispatcher: CollectingDispatcher, tracker: Tracker, reason: str) -> list[dict[str, Any]]:
    """Create the ticket through the gateway and say what will happen. The bot is not paused here: the gateway
    decides per message who answers (the operator once one is there; the bot while the line is closed, and in an
    emergency until an operator joins)."""
    reply = await post("/internal/tickets", ticket_request(tracker, reason))
    if reply.unavailable or "handoff" not in reply.body:
        dispatcher.utter_message(text=UNAVAILABLE_WORDS)
        return []
    for text in handoff_messages(reply.body):
        dispatcher.utter_message(text=text)
    return []


class ActionEscalate(Action):
    """转人工 / complaint / danger → a ticket for the right queue; the bot steps aside."""

    def name(self) -> str:
        return "action_escalate"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[dict]:
        intent = ((tracker.latest_message or {}).get("intent") or {}).get("name")
        reason = REASON_OF_INTENT.get(intent or "", "request")
        if reason == "danger":
            dispatcher.utter_message(text=EMERGENCY_MESSAGE)  # the very first thing said
            said = CollectingDispatcher()
            events = await escalate(said, tracker, reason)
            dispatcher.utter_message(text=EMERGENCY_FOLLOW_UP)
            for message in said.messages:  # the gateway's words: the bot stays until an operator joins
                dispatcher.utter_message(text=message.get("text"))
            return events
        if (
            reason == "complaint"
            and not tracker.active_loop
            and wants_to_apply((tracker.latest_message or {}).get("text"))
        ):
            return [FollowupAction("action_start_application")]  # "到底能不能申请护理补贴！": let them apply (issue 14)
        if reason == "complaint":
            dispatcher.utter_message(text="对不起，给您添麻烦了。我马上请人工客服来处理。")
        return await escalate(dispatcher, tracker, reason)


class ActionFallback(Action):
    """Ask to rephrase with a 人工客服 button; the second miss in a row hands over to a person."""

    def name(self) -> str:
        return "action_fallback"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[dict]:
        return await answer_not_understood(dispatcher, tracker)


async def answer_not_understood(dispatcher: CollectingDispatcher, tracker: Tracker) -> list[dict[str, Any]]:
    """Ask to rephrase (with a 人工客服 button); the second miss in a row hands over to a person."""
    if wants_to_apply((tracker.latest_message or {}).get("text")):
        return [FollowupAction("action_start_application")]  # a request to apply, however phrased (issue 14)
    if consecutive_misses(tracker.events) >= MISSES_BEFORE_OFFERING_HUMAN:
        dispatcher.utter_message(text="对不起，我还是没听懂。我请人工客服来帮您。")
        return await escalate(dispatcher, tracker, "fallback")
    dispatcher.utter_message(response="utter_default")
    return []
