"""When the assistant is unsure: offer the likeliest topics ("您是想问…？"), decline out-of-scope questions with a
redirect, or ask to rephrase; the second miss in a row hands over (the existing escalation). The decision itself is
bot/rules/understanding.judge (shared with the miss count and the insights)."""

from __future__ import annotations

import json
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import FollowupAction
from rasa_sdk.executor import CollectingDispatcher

from actions.escalation import answer_not_understood, escalate_misunderstanding
from actions.history import MISSES_BEFORE_OFFERING_HUMAN, consecutive_misses
from actions.latin import answer_latin
from actions.plan_answers import confirm_in_plan, find_in_plan, nearest_in_plan, say_plan_answer
from actions.region import conversation_region
from actions.repeats import TOLD_WRONG_BEFORE_HANDOVER, times_told_wrong
from actions.safety_net import numbers_first
from bot.rules.complaints import asks_if_human, is_complaint, is_grievance
from bot.rules.danger import is_danger
from bot.rules.out_of_scope import where_to_go
from bot.rules.routing import load_routing
from bot.rules.understanding import Verdict, faq_titles, judge, wants_to_apply_now

CHOOSE_INTENT = "choose_faq"
TOPIC_ENTITY = "faq_topic"
OOS_RESPONSES = {"government": "utter_oos_government", "medical": "utter_oos_medical", "other": "utter_oos_other"}
I_AM_A_PROGRAM = (
    "我是残疾人服务的智能助手，是电脑程序，不是真人。我能回答残疾人的政策和服务，也能帮您申请补贴。"
    "想跟工作人员说，请点“人工客服”，或者说“转人工”。"
)


def choice_button(faq_key: str) -> dict[str, str]:
    """A button that answers `faq_key` directly (payload parsed without the model)."""
    title = faq_titles().get(faq_key, faq_key.removeprefix("faq/"))
    return {"title": title, "payload": f"/{CHOOSE_INTENT}{json.dumps({TOPIC_ENTITY: faq_key}, ensure_ascii=False)}"}


def chosen_faq(tracker: Tracker) -> str | None:
    """The topic of a pressed "您是想问…" button, when the latest message is one."""
    message = tracker.latest_message or {}
    if ((message.get("intent") or {}).get("name")) != CHOOSE_INTENT:
        return None
    for entity in message.get("entities") or []:
        value = str(entity.get("value") or "")
        if entity.get("entity") == TOPIC_ENTITY and value in faq_titles():
            return value
    return None


def decline(dispatcher: CollectingDispatcher, tracker: Tracker, kind: str | None) -> list[dict[str, Any]]:
    """Out of scope: say so and where to go (12345 for other government services, a doctor / 120 for health); a
    question about the assistant itself ("你是真人吗") is answered honestly, with the way to a person."""
    if asks_if_human((tracker.latest_message or {}).get("text")):
        dispatcher.utter_message(text=I_AM_A_PROGRAM, buttons=[{"title": "人工客服", "payload": "/request_human"}])
        return []
    hotline = load_routing().hotline_phrase(conversation_region(tracker), "general")
    dispatcher.utter_message(response=OOS_RESPONSES.get(kind or "other", "utter_oos_other"), general_hotline=hotline)
    if kind != "medical" and (office := where_to_go((tracker.latest_message or {}).get("text"))):
        dispatcher.utter_message(text=office)  # the usual office for it (config/out_of_scope.yml)
    return []


async def reply_unsure(
    dispatcher: CollectingDispatcher, tracker: Tracker, verdict: Verdict | None = None
) -> list[dict[str, Any]]:
    """Decline, offer choices or ask again; the second miss in a row goes to a person."""
    verdict = verdict or judge(tracker.latest_message or {})
    if verdict.kind == "out_of_scope":
        return decline(dispatcher, tracker, verdict.oos)
    if wants_to_apply_now((tracker.latest_message or {}).get("text")):  # "能领不" is a question, not a request
        return [FollowupAction("action_start_application")]  # a request to apply, however phrased (issue 14)
    if (
        consecutive_misses(tracker.events) >= MISSES_BEFORE_OFFERING_HUMAN
        or times_told_wrong(tracker.events) >= TOLD_WRONG_BEFORE_HANDOVER
    ):
        dispatcher.utter_message(text="对不起，我还是没弄明白。我请人工客服来帮您。")
        return await escalate_misunderstanding(dispatcher, tracker)
    buttons = topic_buttons(verdict.choices)
    if await answer_from_plan(dispatcher, tracker, verdict, buttons):
        return []
    if verdict.kind == "clarify":
        for line in await near_sentence(tracker):  # the plan's nearest sentence, for reference, above the question
            dispatcher.utter_message(text=line)
        dispatcher.utter_message(response="utter_clarify", buttons=buttons)
        return []
    return await answer_not_understood(dispatcher, tracker)


async def answer_from_plan(
    dispatcher: CollectingDispatcher, tracker: Tracker, verdict: Verdict, buttons: list[dict[str, str]]
) -> bool:
    """A question the FAQ could only guess at (clarify) or did not understand, that one passage of the resident's
    plan clearly answers: that passage (actions/plan_answers.py), the topic buttons kept. Never for a complaint or a
    danger the rules see (their own paths come first; this is a second guard)."""
    text = (tracker.latest_message or {}).get("text")
    if verdict.kind not in ("clarify", "not_understood") or is_complaint(text) or is_grievance(text) or is_danger(text):
        return False
    region = conversation_region(tracker)
    findings = await find_in_plan(text, region)
    if findings:
        say_plan_answer(dispatcher, findings, str(text), region, buttons)
    return bool(findings)


async def near_sentence(tracker: Tracker) -> list[str]:
    """Above "您是想问…？": the plan's sentence nearest to the question, for reference (actions/plan_answers.py). Never
    for a complaint or a danger the rules see (their own paths come first; this is a second guard)."""
    text = (tracker.latest_message or {}).get("text")
    if is_complaint(text) or is_grievance(text) or is_danger(text):
        return []
    return await nearest_in_plan(text, conversation_region(tracker))


async def confirmed_by_plan(verdict: Verdict, tracker: Tracker, domain: dict[str, Any]) -> Verdict:
    """A clarifying verdict the plan settles: when exactly one of the offered topics quotes the plan passage nearest to
    the question, the FAQ model and the plan search agree — that topic is answered, the other topics offered under it
    (bot/knowledge/topics.py). Never for a complaint or a danger the rules see (their own paths come first)."""
    text = (tracker.latest_message or {}).get("text")
    if verdict.kind != "clarify" or is_complaint(text) or is_grievance(text) or is_danger(text):
        return verdict
    key = await confirm_in_plan(text, conversation_region(tracker), verdict.choices, domain)
    if key is None:
        return verdict
    return Verdict("answer", faq=key, choices=[c for c in verdict.choices if c != key])  # the others still offered


def topic_buttons(choices: list[str]) -> list[dict[str, str]]:
    """The "您是想问…" buttons for `choices`, and the way to a person."""
    buttons = [choice_button(key) for key in choices]
    return [*buttons, {"title": "都不是，找人工客服", "payload": "/request_human"}] if buttons else []


class ActionOutOfScope(Action):
    """A clear question outside the bot's remit: decline with a redirect (never "没听懂")."""

    def name(self) -> str:
        return "action_out_of_scope"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[dict]:
        await numbers_first(dispatcher, tracker)  # sounds like danger the rules let through: the numbers first
        latin = await answer_latin(dispatcher, tracker, domain)
        if latin is not None:
            return latin
        verdict = judge(tracker.latest_message or {})
        return decline(dispatcher, tracker, verdict.oos if verdict.kind == "out_of_scope" else None)
