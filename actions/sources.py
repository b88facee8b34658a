"""“这是哪个文件说的？” — tell the resident which plan (and section) and which national documents the last FAQ answer
rests on, from the answer's own metadata (nlu_data/faq: metadata.sources / metadata.national, see config/plans.yml)."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.answers import choose_variation
from bot.rules.plans import Plans, load_plans
from bot.rules.understanding import selected_answer, understood_faq

NO_ANSWER_YET = "您还没有问政策方面的问题。先问一个问题，我再告诉您回答依据的是哪个文件。"
INTRO = "刚才的回答，依据的是："
NATIONAL = "国家的规定：{titles}。"
MAX_CHARS = 150


def last_answered_faq(tracker: Tracker) -> str | None:
    """The FAQ the bot last answered (the latest policy question it understood), e.g. "faq/living_subsidy"."""
    for event in reversed(tracker.events or []):
        if event.get("event") != "user":
            continue
        parse = event.get("parse_data") or {}
        if (parse.get("intent") or {}).get("name") == "faq" and understood_faq(parse):
            return selected_answer(parse)[0]
    return None


def _chunks(prefix: str, parts: list[str], suffix: str) -> list[str]:
    """`prefix + parts joined by 、 + suffix`, split into messages of at most MAX_CHARS."""
    messages, current = [], prefix
    for part in parts:
        joiner = "" if current == prefix else "、"
        if len(current) + len(joiner) + len(part) + len(suffix) > MAX_CHARS and current != prefix:
            messages.append(current + suffix)
            current, joiner = prefix, ""
        current += joiner + part
    messages.append(current + suffix)
    return messages


def describe_sources(metadata: dict[str, Any], plans: Plans) -> list[str]:
    """Plain messages naming each plan with its sections, then the national documents, then any note on a plan."""
    by_plan: dict[str, list[str]] = {}
    for source in metadata.get("sources") or []:
        sections = by_plan.setdefault(str(source.get("file")), [])
        section = str(source.get("section") or "")
        if section and section not in sections:
            sections.append(section)
    messages: list[str] = []
    notes: list[str] = []
    for file, sections in by_plan.items():
        plan = plans.plans.get(file)
        if plan is None:
            continue
        messages += _chunks(plan.title, sections, "。") if sections else [plan.title + "。"]
        if plan.note:
            notes.append(plan.note)
    national = [plans.national[k].title for k in metadata.get("national") or [] if k in plans.national]
    if national:
        messages += _chunks("国家的规定：", national, "。")
    return messages + notes


class ActionTellSources(Action):
    """Name the documents behind the last answer (plan, section; national documents)."""

    def name(self) -> str:
        return "action_tell_sources"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        faq_key = last_answered_faq(tracker)
        variations = (domain.get("responses") or {}).get(f"utter_{faq_key}") or [] if faq_key else []
        chosen = choose_variation(variations, tracker.get_slot("region")) if variations else None
        metadata = (chosen or {}).get("metadata") or {}
        messages = describe_sources(metadata if isinstance(metadata, dict) else {}, load_plans())
        if not messages:
            dispatcher.utter_message(text=NO_ANSWER_YET)
            return []
        dispatcher.utter_message(text=INTRO)
        for text in messages:
            dispatcher.utter_message(text=text)
        return []
