"""Answer policy questions (retrieval intent `faq`) for the resident's region."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.answers import apply_button_for, choose_variation, split_messages
from actions.parse import selected_faq
from actions.understand import chosen_faq, reply_unsure
from bot.rules.benefits import wants_to_apply
from bot.rules.regions import canonical_region, detect_region
from bot.rules.routing import load_routing
from bot.rules.understanding import judge


def region_from_message(tracker: Tracker) -> str | None:
    message = tracker.latest_message or {}
    for entity in message.get("entities") or []:
        if entity.get("entity") == "region":
            region = canonical_region(str(entity.get("value")))
            if region:
                return region
    return detect_region(message.get("text"))


def say_faq(dispatcher: CollectingDispatcher, domain: dict[str, Any], faq_key: str, region: str | None) -> bool:
    """Utter the answer for `region`; False (nothing said) when the region must be asked first."""
    variations = (domain.get("responses") or {}).get(f"utter_{faq_key}") or []
    if not variations:
        dispatcher.utter_message(response="utter_default")
        return True
    chosen = choose_variation(variations, region)
    if chosen is None:
        return False
    common_part_only = region is None and bool((chosen.get("metadata") or {}).get("ask_region"))
    messages = split_messages(load_routing().fill_hotlines(chosen.get("text") or "", region))
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
        if wants_to_apply((tracker.latest_message or {}).get("text")):
            return [FollowupAction("action_start_application")]  # a request to apply, however phrased (issue 14)
        chosen = chosen_faq(tracker)  # a "您是想问…" button
        verdict = judge(tracker.latest_message or {}) if intent == "faq" else None
        if verdict and verdict.kind != "answer":
            return await reply_unsure(dispatcher, tracker, verdict)  # unsure: offer topics, decline or ask again
        events: list[dict[str, Any]] = []
        mentioned = region_from_message(tracker)
        region = mentioned or tracker.get_slot("region")
        if mentioned and mentioned != tracker.get_slot("region"):
            events.append(SlotSet("region", mentioned))

        if chosen:
            faq_key = chosen
        elif intent == "faq":
            faq_key = verdict.faq if verdict else selected_faq(tracker)
        else:  # the user answered the region question, or just told us where they live
            if not mentioned:
                dispatcher.utter_message(response="utter_region_unknown")
                return events
            faq_key = tracker.get_slot("pending_faq")
            if not faq_key:
                dispatcher.utter_message(response="utter_region_noted", region=mentioned)
                return events

        if not faq_key or not say_faq(dispatcher, domain, faq_key, region):
            dispatcher.utter_message(response="utter_ask_faq_region")
            return [*events, SlotSet("pending_faq", faq_key)]
        return [*events, SlotSet("pending_faq", None)]
