"""“这是哪个文件说的？” — tell the resident which plan (and section) and which national documents the last FAQ answer
rests on, from the answer's own metadata (nlu_data/faq: metadata.sources / metadata.national, see config/plans.yml)."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.citations import source_messages
from bot.rules.plans import load_plans


class ActionTellSources(Action):
    """Name the documents behind the last answer (plan, section; national documents)."""

    def name(self) -> str:
        return "action_tell_sources"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        responses = domain.get("responses") or {}
        for text in source_messages(tracker.events or [], responses, tracker.get_slot("region"), load_plans()):
            dispatcher.utter_message(text=text)
        return []
