"""Hand the conversation to a hotline operator: ask the gateway for a ticket (with the slots and transcript this
server already holds) and tell the resident what will really happen."""

from __future__ import annotations

import json
import re
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.gateway_client import post, resident_channel
from actions.history import MISSES_BEFORE_OFFERING_HUMAN, consecutive_misses
from actions.parse import selected_faq
from actions.region import conversation_region
from actions.repeats import TOLD_WRONG_BEFORE_HANDOVER, handover_topic, times_told_wrong
from bot.escalation.transcript import MAX_LINES, filled_slots, transcript_from_events
from bot.rules.benefits import wants_to_apply
from bot.rules.complaints import asked_line, is_grievance
from bot.rules.danger import assess
from bot.rules.danger_replies import first_replies
from bot.rules.latin import DIGITS_REPLY, LATIN_REPLY, is_latin_only, only_digits
from bot.rules.routing import load_routing

REASON_OF_INTENT = {"request_human": "request", "complaint": "complaint", "danger": "danger"}
# A complaint that tells of someone hurt ("托养中心的人打了孩子 胳膊都青了 要讨个说法"): say where to go for that too.
HURT = re.compile(r"打了|打伤|打得|虐待|家暴|动手|推倒|受伤|伤着")
HANDOVER_REGION_QUESTION = "请问您在哪里？点一下您所在的地方，我把您转给当地的热线。"
HURT_ADVICE = "有人动手打人、伤了人，可以打110报警；受了伤请先去医院看看，留好病历。"


def _last_topic(tracker: Tracker) -> str | None:
    """The most recent FAQ topic the resident asked about (for routing and the ticket summary)."""
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            selector = (event.get("parse_data") or {}).get("response_selector") or {}
            key = ((selector.get("faq") or {}).get("response") or {}).get("intent_response_key")
            if key:
                return key
    return None


def region_decides_the_line(tracker: Tracker) -> bool:
    """A complaint whose region is unknown, in a deployment where the served regions send it to different lines
    (绥芬河市 12385, 潞城区 12345): ask first. Never in a form, on the phone (no buttons), nor after a button press."""
    if tracker.active_loop or resident_channel(tracker) in ("voice", "phone") or conversation_region(tracker):
        return False
    routing = load_routing()
    topic = handover_topic(tracker.events) or selected_faq(tracker)
    return len({routing.queue_for(region, topic) for region in routing.served}) > 1


def handover_region_buttons() -> list[dict[str, str]]:
    """One button per served region (the region answer), and one to go on without saying."""
    buttons = [
        {"title": region, "payload": "/inform_region" + json.dumps({"region": region}, ensure_ascii=False)}
        for region in load_routing().served
    ]
    return [*buttons, {"title": "不说了，直接转", "payload": "/complaint"}]


def asked_region_for_handover(events: list[dict[str, Any]]) -> bool:
    """True when the bot's last message before this one was the hand-over region question."""
    seen_user = False
    for event in reversed(events):
        if event.get("event") == "user":
            if seen_user:
                return False
            seen_user = True
        elif event.get("event") == "bot" and seen_user:
            return event.get("text") == HANDOVER_REGION_QUESTION
    return False


def handoff_messages(reply: dict[str, Any]) -> list[str]:
    """What the gateway says will really happen (queue place and wait, or office hours, a call-back and the line
    open now); its one owner is bot/escalation/promises.py."""
    words = reply.get("words")
    return [w for w in words if isinstance(w, str) and w] if isinstance(words, list) else []


def ticket_request(tracker: Tracker, reason: str, line: str | None = None) -> dict[str, Any]:
    """The ticket request with what this action server already holds: the slots and the transcript, taken from
    the tracker Rasa sent with the action call (so the gateway never reads the tracker back mid-turn)."""
    return {
        "sender_id": tracker.sender_id,
        "reason": reason,
        "channel": resident_channel(tracker),
        "topic": handover_topic(tracker.events) or selected_faq(tracker) or _last_topic(tracker),
        "region": conversation_region(tracker),
        "line": line,
        "slots": filled_slots(tracker.current_slot_values()),
        "transcript": transcript_from_events(tracker.events)[-MAX_LINES:],
    }


async def escalate(
    dispatcher: CollectingDispatcher, tracker: Tracker, reason: str, line: str | None = None
) -> list[dict[str, Any]]:
    """Create the ticket through the gateway (for the conversation's region, and the hotline the resident asked for)
    and say what will happen. The bot is not paused: the gateway decides per message who answers (the operator once
    one is there or the line is staffed; the bot while the line is closed, and in a crisis until someone joins)."""
    payload = ticket_request(tracker, reason, line)
    reply = await post("/internal/tickets", payload)
    if reply.unavailable or "handoff" not in reply.body:
        hotline = load_routing().hotline_phrase(payload["region"])
        dispatcher.utter_message(text=f"对不起，现在转不了人工。请直接拨打{hotline}。")
        return []
    for text in handoff_messages(reply.body):
        dispatcher.utter_message(text=text)
    return [SlotSet("region", payload["region"])] if payload["region"] != tracker.get_slot("region") else []


class ActionEscalate(Action):
    """转人工 / complaint / danger → a ticket for the right queue; the bot steps aside."""

    def name(self) -> str:
        return "action_escalate"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[dict]:
        intent = ((tracker.latest_message or {}).get("intent") or {}).get("name")
        if intent == "inform_region":  # the answer to the region question of a complaint (rule in understanding.yml)
            if not asked_region_for_handover(tracker.events):
                return [FollowupAction("action_answer_faq")]  # any other region answer: the policy answer's flow
            return await escalate(dispatcher, tracker, "complaint")
        reason = REASON_OF_INTENT.get(intent or "", "request")
        text = (tracker.latest_message or {}).get("text")
        if reason == "danger":
            found = assess(text)  # None: the model alone saw the danger — every number, and the crisis line
            first, *rest = first_replies(found.kind if found else None)
            dispatcher.utter_message(text=first)  # the very first thing said; never a queue position after it
            events = await escalate(CollectingDispatcher(), tracker, reason)
            for follow_up in rest:
                dispatcher.utter_message(text=follow_up)
            return events
        if (
            reason == "complaint"
            and not tracker.active_loop
            and wants_to_apply((tracker.latest_message or {}).get("text"))
            and not is_grievance((tracker.latest_message or {}).get("text"))
        ):
            return [FollowupAction("action_start_application")]  # "到底能不能申请护理补贴！": let them apply (issue 14)
        if reason == "complaint" and not str(text or "").startswith("/"):
            dispatcher.utter_message(text="对不起，给您添麻烦了。我马上请人工客服来处理。")
            if HURT.search(text or ""):
                dispatcher.utter_message(text=HURT_ADVICE)  # abuse told as a complaint: the police and a doctor too
            if region_decides_the_line(tracker):
                dispatcher.utter_message(text=HANDOVER_REGION_QUESTION, buttons=handover_region_buttons())
                return []  # one tap, then the hand-over to that region's line (12385 or 12345)
        line = asked_line(text)
        if line:
            routing, region = load_routing(), conversation_region(tracker)
            serving = routing.line_for(region, line)
            if serving != line and region:
                dispatcher.utter_message(text=f"{region}没有{line}热线，您的事由{routing.hotline_label(serving)}办理。")
        return await escalate(dispatcher, tracker, reason, line)


class ActionFallback(Action):
    """Ask to rephrase with a 人工客服 button; the second miss in a row hands over to a person."""

    def name(self) -> str:
        return "action_fallback"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[dict]:
        from actions.latin import answer_latin

        latin = await answer_latin(dispatcher, tracker, domain)
        return latin if latin is not None else await answer_not_understood(dispatcher, tracker)


async def answer_not_understood(dispatcher: CollectingDispatcher, tracker: Tracker) -> list[dict[str, Any]]:
    """Ask to rephrase (with a 人工客服 button); the second miss in a row hands over to a person."""
    if wants_to_apply((tracker.latest_message or {}).get("text")):
        return [FollowupAction("action_start_application")]  # a request to apply, however phrased (issue 14)
    if (
        consecutive_misses(tracker.events) >= MISSES_BEFORE_OFFERING_HUMAN
        or times_told_wrong(tracker.events) >= TOLD_WRONG_BEFORE_HANDOVER
    ):
        dispatcher.utter_message(text="对不起，我还是没听懂。我请人工客服来帮您。")
        return await escalate(dispatcher, tracker, "fallback")
    text = (tracker.latest_message or {}).get("text")
    if is_latin_only(text) or only_digits(text):  # pinyin or English not understood, or only a number
        reply = DIGITS_REPLY if only_digits(text) else LATIN_REPLY
        dispatcher.utter_message(text=reply, buttons=[{"title": "人工客服", "payload": "/request_human"}])
        return []
    dispatcher.utter_message(response="utter_default")
    return []
