"""Answer policy questions (retrieval intent `faq`) for the resident's region."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.answers import apply_button_for, both_regions, choose_variation, needs_region, split_messages
from actions.doubts import ASK_AGAIN, doubted_alternatives
from actions.escalation import escalate
from actions.latin import answer_latin
from actions.parse import selected_faq
from actions.plan_answers import ALSO_TOPICS, answer_quotes, better_than_answer, beyond_the_answer, say_plan_answer
from actions.region import conversation_region, region_in_message
from actions.repeats import (
    RESTATEMENTS_BEFORE_HANDOVER,
    TOLD_WRONG_BEFORE_HANDOVER,
    times_asked_in_a_row,
    times_told_wrong,
)
from actions.safety_net import numbers_first
from actions.understand import chosen_faq, confirmed_by_plan, reply_unsure, topic_buttons
from bot.rules.routing import load_routing
from bot.rules.understanding import faq_titles, judge, wants_to_apply_now

RESTATED = "这个问题我好像没能帮您说清楚。我请人工客服来帮您。"
DIFFERS = "这件事{regions}的规定不一样。"


def region_from_message(tracker: Tracker) -> str | None:
    return region_in_message(tracker.latest_message or {})


def say_faq(dispatcher: CollectingDispatcher, domain: dict[str, Any], faq_key: str, region: str | None) -> bool:
    """Utter the answer for `region`; False (nothing said) when the region must be asked first."""
    variations = (domain.get("responses") or {}).get(f"utter_{faq_key}") or []
    if not variations:
        dispatcher.utter_message(response="utter_default")
        return True
    chosen = choose_variation(variations, region)
    if chosen is None:
        if needs_region(variations):  # nothing in common to say first: at least say why the region is asked
            dispatcher.utter_message(text=DIFFERS.format(regions="和".join(load_routing().served)))
        return False
    common_part_only = region is None and bool((chosen.get("metadata") or {}).get("ask_region"))
    text = chosen.get("text") or ""
    about_the_lines = "{hotline}" in text and "{general_hotline}" in text  # an answer about the lines names each one
    both = both_regions(variations, load_routing()) if region is None else None
    messages = both or split_messages(load_routing().fill_hotlines(text, region, one_line=not about_the_lines))
    apply_button = apply_button_for(faq_key)
    for index, text in enumerate(messages):
        last = index == len(messages) - 1 and not common_part_only
        dispatcher.utter_message(text=text, buttons=[apply_button] if last and apply_button else [])
    return not common_part_only  # the common part of an answer that differs by region: the region is asked next


class ActionAnswerFaq(Action):
    """Say the FAQ answer for the region; ask the region once when the answer depends on it."""

    def name(self) -> str:
        return "action_answer_faq"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        intent = ((tracker.latest_message or {}).get("intent") or {}).get("name")
        text = (tracker.latest_message or {}).get("text")
        if wants_to_apply_now(text):  # "能领不" is a question: the answer, not the form
            return [FollowupAction("action_start_application")]  # a request to apply, however phrased (issue 14)
        await numbers_first(dispatcher, tracker)  # sounds like danger the rules let through: the numbers first
        latin = await answer_latin(dispatcher, tracker, domain)
        if latin is not None:
            return latin  # pinyin, English or only digits: matched by sound or words, or asked in Chinese
        if offer_other_topics(dispatcher, tracker):
            return []  # "不对吧" after an answer: the question's other likely topics, not the same answer again
        chosen = chosen_faq(tracker)  # a "您是想问…" button
        judged = intent in ("faq", "nlu_fallback")  # nlu_fallback: action_unsure found the plan settles it
        verdict = await confirmed_by_plan(judge(tracker.latest_message or {}), tracker, domain) if judged else None
        if verdict and verdict.kind != "answer":
            return await reply_unsure(dispatcher, tracker, verdict)  # unsure: offer topics, decline or ask again
        events: list[dict[str, Any]] = []
        mentioned = region_from_message(tracker)
        region = conversation_region(tracker)  # named now or in any earlier turn, or the deployment's one region
        if region and region != tracker.get_slot("region"):
            events.append(SlotSet("region", region))

        if chosen:
            faq_key = chosen
        elif judged:
            faq_key = verdict.faq if verdict else selected_faq(tracker)
            if times_asked_in_a_row(tracker.events, faq_key) > RESTATEMENTS_BEFORE_HANDOVER:
                dispatcher.utter_message(text=RESTATED)  # asked, then restated twice: the answer did not help
                return [*events, *await escalate(dispatcher, tracker, "fallback")]
        else:  # the user answered the region question, or just told us where they live
            if not mentioned:
                dispatcher.utter_message(response="utter_region_unknown")
                return events
            faq_key = tracker.get_slot("pending_faq")
            if not faq_key:
                dispatcher.utter_message(response="utter_region_noted", region=mentioned)
                return events

        events = answer_topic(dispatcher, domain, faq_key, region, events)
        findings: list[Any] = []
        if verdict and verdict.kind == "answer" and not chosen and not _asked_region(events):
            variations = (domain.get("responses") or {}).get(f"utter_{faq_key}") or []
            findings = await better_than_answer(tracker.latest_message or {}, variations, region)
            if findings:  # a weak answer, and the plan says something more to the point elsewhere
                say_plan_answer(dispatcher, findings, str(text), region)
        if faq_key and not findings and not _asked_region(events) and not _about_the_lines(domain, faq_key):
            # the plan's own sentence on it, cited (not under the answer about the lines: the plan's aims for the
            # lines, "7×24小时", would read as today's service)
            said = "\n".join(str(m.get("text") or "") for m in dispatcher.messages)
            for line in await answer_quotes(faq_key, question_asked(tracker), region, domain, said):
                dispatcher.utter_message(text=line)
            if not chosen:  # the plan's nearest sentence is elsewhere: it too (the resident chose no topic)
                said = "\n".join(str(m.get("text") or "") for m in dispatcher.messages)
                for line in await beyond_the_answer(faq_key, question_asked(tracker), region, domain, said):
                    dispatcher.utter_message(text=line)
        if verdict and verdict.choices and not _asked_region(events):  # settled by the plan: the others offered
            dispatcher.utter_message(text=ALSO_TOPICS, buttons=topic_buttons(verdict.choices))
        return events


class ActionUnsure(ActionAnswerFaq):
    """nlu_fallback (the intent model unsure): the same decision as for a policy question — the plan may settle it
    (actions/understand.confirmed_by_plan); otherwise clarify, decline or ask again (bot/rules/understanding.py)."""

    def name(self) -> str:
        return "action_unsure"


def offer_other_topics(dispatcher: CollectingDispatcher, tracker: Tracker) -> bool:
    """The resident only doubts the last answer ("不对吧", "不是这个"): offer the other likely topics of the question it
    answered (actions/doubts.py) — unless told wrong twice already (then the usual hand-over). False: not a doubt."""
    if times_told_wrong(tracker.events) >= TOLD_WRONG_BEFORE_HANDOVER:
        return False
    others = doubted_alternatives(tracker.events or [], set(faq_titles()))
    if others:
        dispatcher.utter_message(text=ASK_AGAIN, buttons=topic_buttons(others))
    return bool(others)


class ActionDeny(Action):
    """ "不对" / "不是" outside a question: after an answer, the resident doubts it — offer the other likely topics of
    that question; told wrong twice — a person; else ask what else they want to know."""

    def name(self) -> str:
        return "action_deny"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        if times_told_wrong(tracker.events) >= TOLD_WRONG_BEFORE_HANDOVER:
            dispatcher.utter_message(text=RESTATED)
            return await escalate(dispatcher, tracker, "fallback")
        if not offer_other_topics(dispatcher, tracker):
            dispatcher.utter_message(response="utter_anything_else")
        return []


def _about_the_lines(domain: dict[str, Any], faq_key: str) -> bool:
    """The answer about the hotlines themselves (it names each line: {hotline} and {general_hotline})."""
    variations = (domain.get("responses") or {}).get(f"utter_{faq_key}") or []
    return any("{hotline}" in str(v.get("text")) and "{general_hotline}" in str(v.get("text")) for v in variations)


def question_asked(tracker: Tracker) -> str | None:
    """The resident's question this answer is for: the latest message in their own words (a pressed button or the
    answer to the region question is not; the question before it is)."""
    for event in reversed(tracker.events or []):
        if event.get("event") != "user":
            continue
        text = str(event.get("text") or "")
        parse = event.get("parse_data") or {}
        if text.startswith("/") or ((parse.get("intent") or {}).get("name")) in _NOT_QUESTIONS:
            continue
        return text
    return None


_NOT_QUESTIONS = frozenset({"inform_region", "affirm", "deny", "choose_faq"})


def _asked_region(events: list[dict[str, Any]]) -> bool:
    """answer_topic asked the region (and kept the topic) instead of answering."""
    return any(e.get("event") == "slot" and e.get("name") == "pending_faq" and e.get("value") for e in events)


def answer_topic(
    dispatcher: CollectingDispatcher,
    domain: dict[str, Any],
    faq_key: str | None,
    region: str | None,
    events: list[dict[str, Any]],
) -> list[dict[str, Any]]:
    """Say the answer for `region`, or ask the region (and remember the topic) when the answer depends on it."""
    if not faq_key or not say_faq(dispatcher, domain, faq_key, region):
        dispatcher.utter_message(response="utter_ask_faq_region")
        return [*events, SlotSet("pending_faq", faq_key)]
    return [*events, SlotSet("pending_faq", None)]
