"""The emergency numbers first, when a message the danger rules let through still sounds like danger.

The gateway's danger rules (bot/rules/danger.py) hand real emergencies over before Rasa sees them. What reaches the
actions has passed them; when it nevertheless sounds close to danger (bot/nlu/danger_similarity.py, e5 similarity
to the sentences of config/danger_exemplars.yml), the reply starts with the numbers to call — 12356 too when it
sounds like self-harm, and as the last clause otherwise (harm to others and to oneself are told in
similar words) — and then answers as usual. Never a hand-over by itself: a false alarm costs one sentence."""

from __future__ import annotations

import asyncio
import logging
import threading

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from bot.nlu.danger_similarity import Nearness, shared
from bot.rules.danger import is_hypothetical

logger = logging.getLogger(__name__)
NUMBERS = (
    "如果现在有危险，请马上打电话：有人受伤或病重打120，有人伤害您打110，着火打119；有人想不开，打12356心理援助热线。"
)
TO_A_PERSON = {"title": "马上找人工客服", "payload": "/request_human"}  # one tap to a person
SELF_HARM_NUMBERS = "如果您现在很难受、想伤害自己，请马上打12356心理援助热线，有危险打120或110。您不是一个人。"


def safety_line(nearness: Nearness | None) -> str | None:
    """The sentence to say first, or None."""
    if nearness is None or not nearness.sounds_dangerous:
        return None
    return SELF_HARM_NUMBERS if nearness.self_harm else NUMBERS


async def numbers_first(dispatcher: CollectingDispatcher, tracker: Tracker) -> bool:
    """Say the emergency numbers when the resident's own words sound like danger (not a button, not a "要是…")."""
    text = str((tracker.latest_message or {}).get("text") or "")
    if not text or text.startswith("/") or is_hypothetical(text):
        return False
    try:
        nearness = await asyncio.to_thread(shared().nearness, text)
    except Exception:  # noqa: BLE001 - no encoder, broken exemplars: answer as before
        logger.exception("semantic safety net unavailable")
        return False
    line = safety_line(nearness)
    if line is None:
        return False
    logger.info("safety net: numbers given (danger %.3f, ordinary %.3f)", nearness.danger, nearness.ordinary)
    dispatcher.utter_message(text=line, buttons=[TO_A_PERSON])
    return True


def _warm() -> None:
    try:
        shared()
    except Exception:  # noqa: BLE001 - said again, with the cause, on the first turn that needs it
        logger.warning("semantic safety net not loaded at start")


threading.Thread(target=_warm, name="danger-exemplars", daemon=True).start()  # embed the sentences before turn one
