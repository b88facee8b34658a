"""Messages the model cannot read: pinyin without characters, English, or only digits. Pinyin is matched to the
training examples by sound and English by a few topic words (bot/rules/pinyin_match.py); a clear match is answered
(or handed over, declined, greeted), anything else gets a reply in both languages asking for Chinese characters —
never a guessed topic."""

from __future__ import annotations

import re
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.region import conversation_region
from bot.rules.danger_replies import first_replies
from bot.rules.injection import INJECTION_REPLY, is_injection
from bot.rules.latin import has_english_words, is_latin_only, only_digits
from bot.rules.pinyin_match import english_label, has_pinyin_words, latin_region, looks_like_pinyin, pinyin_label
from bot.rules.routing import load_routing
from bot.rules.understanding import judge

OOS_KINDS = {"oos_government": "government", "oos_medical": "medical", "out_of_scope": "other"}
SMALL_TALK = {"greet": "utter_greet", "goodbye": "utter_goodbye", "thanks": "utter_you_are_welcome"}


def hotline_numbers() -> set[str]:
    """Every hotline number the deployment routes to (12385, 12345)."""
    return {str(number) for table in load_routing().regions.values() for number in table.values()}


def latin_label(text: str) -> str | None:
    """What a Latin-letter message asks for: pinyin by sound, English by topic words."""
    return pinyin_label(text) if looks_like_pinyin(text) else english_label(text)


async def answer_latin(
    dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
) -> list[dict[str, Any]] | None:
    """Handle a pinyin / English / digits-only message; None for any other message (the caller goes on)."""
    text = str((tracker.latest_message or {}).get("text") or "")
    if text.startswith("/"):
        return None  # a button's payload (/choose_faq{…}, /inform_region{…}): its intent is already set
    if is_injection(text):
        dispatcher.utter_message(text=INJECTION_REPLY)  # an attempt to change the rules or get others' data
        return []
    if only_digits(text):
        digits = re.sub(r"\D", "", text)
        if digits in hotline_numbers():  # "12385": what is this line
            return _answer(dispatcher, tracker, domain, "faq/hotlines", None)
        return await _not_understood(dispatcher, tracker)
    if not is_latin_only(text):
        if judge(tracker.latest_message or {}).kind == "answer":
            return None
        # "yangguang jiayuan 在哪": the characters and the pinyin read together; else English topic words ("我 deaf 想要
        # hearing aid" — "hearing" also spells pinyin syllables, so English is tried when pinyin names nothing)
        label = pinyin_label(text) if has_pinyin_words(text) else None
        if not label and has_english_words(text):
            label = english_label(text)
        if label and label.startswith("faq/"):
            return _answer(dispatcher, tracker, domain, label, latin_region(text))
        return None
    label = latin_label(text)
    if label and label.startswith("faq/"):
        return _answer(dispatcher, tracker, domain, label, latin_region(text))
    if label == "danger":
        return await _danger(dispatcher, tracker)
    if label == "request_human":
        from actions.escalation import escalate

        return await escalate(dispatcher, tracker, "request")
    if label in OOS_KINDS:
        from actions.understand import decline

        return decline(dispatcher, tracker, OOS_KINDS[label])
    if label in SMALL_TALK:
        dispatcher.utter_message(response=SMALL_TALK[label])
        return []
    return await _not_understood(dispatcher, tracker)


async def _danger(dispatcher: CollectingDispatcher, tracker: Tracker) -> list[dict[str, Any]]:
    """A life in danger, in English or pinyin: every emergency number (and the crisis line) first, then a person."""
    from actions.escalation import escalate

    first, *rest = first_replies(None)
    dispatcher.utter_message(text=first)
    events = await escalate(CollectingDispatcher(), tracker, "danger")  # never a queue position after the numbers
    for follow_up in rest:
        dispatcher.utter_message(text=follow_up)
    return events


async def _not_understood(dispatcher: CollectingDispatcher, tracker: Tracker) -> list[dict[str, Any]]:
    """Ask again (the bilingual or the digits reply); the second miss in a row hands over."""
    from actions.escalation import answer_not_understood

    return await answer_not_understood(dispatcher, tracker)


def _answer(
    dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any], faq_key: str, named: str | None
) -> list[dict[str, Any]]:
    from actions.faq import answer_topic

    region = named or conversation_region(tracker)
    events: list[dict[str, Any]] = []
    if region and region != tracker.get_slot("region"):
        events.append(SlotSet("region", region))
    return answer_topic(dispatcher, domain, faq_key, region, events)
