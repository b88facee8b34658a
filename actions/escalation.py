"""Hand the conversation to a hotline operator: ask the gateway for a ticket (with the slots and transcript this
server already holds) and tell the resident what will really happen."""

from __future__ import annotations

import json
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.gateway_client import post, resident_channel
from actions.handover_region import (
    HANDOVER_REGION_QUESTION,
    REASON_OF_INTENT,
    asked_region_for_handover,
    lines_by_region,
    matter_line,
)
from actions.history import MISSES_BEFORE_OFFERING_HUMAN, consecutive_misses
from actions.parse import selected_faq
from actions.region import conversation_region
from actions.repeats import TOLD_WRONG_BEFORE_HANDOVER, handover_topic, times_told_wrong
from actions.safety_net import numbers_first
from bot.escalation.transcript import MAX_LINES, filled_slots, transcript_from_events
from bot.rules.benefits import wants_to_apply
from bot.rules.complaints import (
    HURT_ADVICE,
    asked_line,
    complaint_matter,
    is_grievance,
    misunderstood_again,
    tells_of_harm,
    wants_person,
)
from bot.rules.danger import assess
from bot.rules.danger_replies import first_replies
from bot.rules.latin import DIGITS_REPLY, LATIN_REPLY, SYMBOLS_REPLY, is_latin_only, only_digits, only_symbols
from bot.rules.out_of_scope import out_of_scope_intent
from bot.rules.routing import load_routing
from bot.rules.understanding import OOS_INTENTS, wants_to_apply_now


def _last_topic(tracker: Tracker) -> str | None:
    """The most recent FAQ topic the resident asked about (for routing and the ticket summary)."""
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            selector = (event.get("parse_data") or {}).get("response_selector") or {}
            key = ((selector.get("faq") or {}).get("response") or {}).get("intent_response_key")
            if key:
                return key
    return None


# Actions that hand a misunderstanding over through `escalate` (or a follow-up of action_escalate): their hand-over
# asks the region too, like a complaint or a request. An application form's hand-over never asks (its own flow).
FALLBACK_CALLERS = frozenset({"action_unsure", "action_answer_faq", "action_fallback", "action_out_of_scope"})


def missed_which_benefit(tracker: Tracker) -> bool:
    """The application form handed over because "您想申请哪一项？" was missed (no benefit chosen yet), not because the
    resident asked for a helper."""
    misses = tracker.get_slot("intake_misses") or {}
    text = (tracker.latest_message or {}).get("text")
    benefit_missed = isinstance(misses, dict) and bool(misses.get("benefit"))
    return benefit_missed and not tracker.get_slot("benefit") and not wants_person(text, in_form=True)


def calling_action(tracker: Tracker) -> str | None:
    """The action that ran just before this one: action_listen when the resident's message triggered it, another
    action's name when that action asked for it (a FollowupAction)."""
    for event in reversed(tracker.events):
        if event.get("event") == "action":
            return event.get("name")
    return None


def region_decides_the_line(tracker: Tracker, line: str | None = None, matter: str | None = None) -> bool:
    """A hand-over (complaint, request for a person, repeated misunderstanding) whose region is unknown, in a
    deployment where the served regions send it to different lines (绥芬河市 12385, 潞城区 12345; `line`: the line the
    resident asked for): the hand-over asks where the resident is. Never in a form, on the phone (no buttons, and the
    call is put through at once), or right after the same question."""
    if tracker.active_loop or resident_channel(tracker) in ("voice", "phone") or conversation_region(tracker):
        return False
    if asked_region_for_handover(tracker.events):
        return False
    topic = handover_topic(tracker.events) or selected_faq(tracker)
    return len(lines_by_region(load_routing(), line, topic, matter)) > 1


def handover_region_buttons() -> list[dict[str, str]]:
    """One button per served region: the answer goes to the gateway while the ticket waits, which moves the ticket to
    that region's line (bot/escalation/region_move.py)."""
    return [
        {"title": region, "payload": "/inform_region" + json.dumps({"region": region}, ensure_ascii=False)}
        for region in load_routing().served
    ]


def handoff_messages(reply: dict[str, Any]) -> list[str]:
    """What the gateway says will really happen (queue place and wait, or office hours, a call-back and the line
    open now); its one owner is bot/escalation/promises.py."""
    words = reply.get("words")
    return [w for w in words if isinstance(w, str) and w] if isinstance(words, list) else []


def waits_for_a_person(reply: dict[str, Any]) -> bool:
    """The ticket is waiting for an operator (nobody has claimed it; not an emergency): it can still move."""
    handoff = reply.get("handoff") if isinstance(reply.get("handoff"), dict) else {}
    return reply.get("status") == "waiting" and handoff.get("state") in ("waiting", "closed")


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
    dispatcher: CollectingDispatcher,
    tracker: Tracker,
    reason: str,
    line: str | None = None,
    ask_region: bool = True,
    matter: str | None = None,
) -> list[dict[str, Any]]:
    """Create the ticket through the gateway (for the conversation's region, and the hotline the resident asked for)
    and say what will happen. The bot is not paused: the gateway decides per message who answers (the operator once
    one is there or the line is staffed; the bot while the line is closed, and in a crisis until someone joins).

    Region unknown, and the regions' lines differ (`ask_region`, region_decides_the_line): the ticket is made at once
    all the same, on the default line, and the same reply asks where the resident is, with one button per region.
    The answer reaches the gateway while the ticket waits, and moves it to that region's line; said nothing, it
    stays where it is."""
    payload = ticket_request(tracker, reason, line)
    reply = await post("/internal/tickets", payload)
    if reply.unavailable or "handoff" not in reply.body:
        hotline = load_routing().hotline_phrase(payload["region"])
        dispatcher.utter_message(text=f"对不起，现在转不了人工。请直接拨打{hotline}。")
        return []
    for text in handoff_messages(reply.body):
        dispatcher.utter_message(text=text)
    if (
        ask_region
        and reason != "danger"
        and waits_for_a_person(reply.body)
        and region_decides_the_line(tracker, line, matter)
    ):
        dispatcher.utter_message(text=HANDOVER_REGION_QUESTION, buttons=handover_region_buttons())
    return [SlotSet("region", payload["region"])] if payload["region"] != tracker.get_slot("region") else []


async def escalate_misunderstanding(dispatcher: CollectingDispatcher, tracker: Tracker) -> list[dict[str, Any]]:
    """Missed again and again: a person on the region's disability line (the bot could not tell what it was about),
    high priority; region unknown, the same reply asks where (the ticket then moves to that region's line)."""
    line = matter_line(load_routing(), conversation_region(tracker), "fallback", None)
    return await escalate(dispatcher, tracker, "fallback", line)


class ActionEscalate(Action):
    """转人工 / complaint / danger → a ticket for the right queue; the bot steps aside."""

    def name(self) -> str:
        return "action_escalate"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[dict]:
        intent = ((tracker.latest_message or {}).get("intent") or {}).get("name")
        text = (tracker.latest_message or {}).get("text")
        if intent == "inform_region":
            # A region named after a hand-over (rule in understanding.yml): the gateway has already moved a waiting
            # ticket to that region's line; for the bot it is the ordinary region answer of the policy flow.
            return [FollowupAction("action_answer_faq")]
        caller = calling_action(tracker)
        followed = caller not in (None, "action_listen")  # another action asked for this hand-over
        reason = REASON_OF_INTENT.get(intent or "") or (
            "fallback" if followed and caller in FALLBACK_CALLERS and not wants_person(text) else "request"
        )
        if reason == "request" and misunderstood_again(text) and not wants_person(text):
            reason = "fallback"  # "你到底懂不懂", "又说错了": a repeated misunderstanding, high priority
        form_missed = followed and reason == "request" and missed_which_benefit(tracker)
        if form_missed:
            reason = "fallback"  # the form could not tell which benefit: as any repeated misunderstanding
        if reason == "danger":
            found = assess(text)  # None: the model alone saw the danger — every number, and the crisis line
            first, *rest = first_replies(found.kind if found else None)
            dispatcher.utter_message(text=first)  # the very first thing said; never a queue position after it
            events = await escalate(CollectingDispatcher(), tracker, reason, ask_region=False)
            for follow_up in rest:
                dispatcher.utter_message(text=follow_up)
            return events
        if reason == "complaint" and not tracker.active_loop and wants_to_apply(text) and not is_grievance(text):
            return [FollowupAction("action_start_application")]  # "到底能不能申请护理补贴！": let them apply (issue 14)
        if not followed:
            # a complaint or a request that sounds like danger the rules let through ("护工打了我妈…"): the numbers
            # first (actions/safety_net.py); a follow-up's caller has already judged the same message
            await numbers_first(dispatcher, tracker)
        if reason == "complaint" and not str(text or "").startswith("/"):
            dispatcher.utter_message(text="对不起，给您添麻烦了。我马上请人工客服来处理。")
            if tells_of_harm(text):
                dispatcher.utter_message(text=HURT_ADVICE)  # abuse told as a complaint: the police and a doctor too
        line = asked_line(text)
        matter = (complaint_matter(text) or "disability") if reason == "complaint" and not line else None
        # Everyone is handed over at once (issue 12: "给我接12385" never gets a question first), to the line of the
        # region when known, else the default line; a region that decides the line is asked in the same reply.
        # not after a form's own hand-over, unless it never learnt which benefit (nor, so, the region)
        ask_region = not followed or caller in FALLBACK_CALLERS or form_missed
        line = line or matter_line(load_routing(), conversation_region(tracker), reason, text)
        return await self._hand_over(dispatcher, tracker, reason, line, ask_region, matter)

    @staticmethod
    async def _hand_over(
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        reason: str,
        line: str | None,
        ask_region: bool,
        matter: str | None,
    ) -> list[dict[str, Any]]:
        """Tell the resident which line serves them when they asked for another, then create the ticket."""
        if line:
            routing, region = load_routing(), conversation_region(tracker)
            serving = routing.line_for(region, line)
            if serving != line and region:
                dispatcher.utter_message(text=f"{region}没有{line}热线，您的事由{routing.hotline_label(serving)}办理。")
        return await escalate(dispatcher, tracker, reason, line, ask_region=ask_region, matter=matter)


class ActionFallback(Action):
    """Ask to rephrase with a 人工客服 button; the second miss in a row hands over to a person."""

    def name(self) -> str:
        return "action_fallback"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[dict]:
        from actions.latin import answer_latin

        await numbers_first(dispatcher, tracker)  # read as an answer out of place, yet sounds like danger
        latin = await answer_latin(dispatcher, tracker, domain)
        return latin if latin is not None else await answer_not_understood(dispatcher, tracker)


async def answer_not_understood(dispatcher: CollectingDispatcher, tracker: Tracker) -> list[dict[str, Any]]:
    """Ask to rephrase (with a 人工客服 button); the second miss in a row hands over to a person. A question plainly
    outside the remit (whatever the model made of it: "帮我算算这月电费", "Where can I get a visa?") is
    declined with where to go instead — never "没听懂"."""
    text = (tracker.latest_message or {}).get("text")
    if wants_to_apply_now(text):
        return [FollowupAction("action_start_application")]  # a request to apply, however phrased (issue 14)
    outside = out_of_scope_intent(text) if not tracker.active_loop else None
    if outside:
        from actions.understand import decline

        return decline(dispatcher, tracker, OOS_INTENTS[outside])
    if (
        consecutive_misses(tracker.events) >= MISSES_BEFORE_OFFERING_HUMAN
        or times_told_wrong(tracker.events) >= TOLD_WRONG_BEFORE_HANDOVER
    ):
        dispatcher.utter_message(text="对不起，我还是没听懂。我请人工客服来帮您。")
        return await escalate_misunderstanding(dispatcher, tracker)
    if is_latin_only(text) or only_digits(text) or only_symbols(text):  # pinyin, English, a number, only emoji
        reply = DIGITS_REPLY if only_digits(text) else SYMBOLS_REPLY if only_symbols(text) else LATIN_REPLY
        dispatcher.utter_message(text=reply, buttons=[{"title": "人工客服", "payload": "/request_human"}])
        return []
    dispatcher.utter_message(response="utter_default")
    return []
