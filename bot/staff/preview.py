"""Show an answer exactly as the bot would send it: the action server's own variation choice and message split."""

from __future__ import annotations

from pathlib import Path

from ruamel.yaml import YAML

from actions.answers import apply_button_for, choose_variation, split_messages
from bot.rules.regions import REGIONS
from bot.rules.routing import load_routing
from bot.staff.validation import DEFAULT_ANSWER

ASK_REGION = "utter_ask_faq_region"


def _variations(answers: dict[str, str]) -> list[dict]:
    """The answers as Rasa response variations, in the order the store writes them."""
    variations = []
    for key in [*REGIONS, DEFAULT_ANSWER]:
        if key in answers:
            condition = [] if key == DEFAULT_ANSWER else [{"type": "slot", "name": "region", "value": key}]
            variations.append({"condition": condition, "text": answers[key]} if condition else {"text": answers[key]})
    return variations


def _ask_region(nlu_data: Path) -> dict:
    """The bot's own "which region?" message from the domain (what it says when the region is needed)."""
    for path in sorted((nlu_data / "domain").glob("*.yml")):
        responses = (YAML(typ="safe").load(path.read_text("utf-8")) or {}).get("responses") or {}
        if ASK_REGION in responses:
            first = responses[ASK_REGION][0]
            return {"text": first.get("text", ""), "buttons": first.get("buttons") or []}
    return {"text": "请问您在哪里？", "buttons": []}


def render(nlu_data: Path, name: str, answers: dict[str, str], region: str | None, ask_region: bool = False) -> dict:
    """The messages a resident in `region` (None = not known yet) gets for FAQ `name` with these answers, hotlines
    filled in as the bot fills them; `ask_region`: the answer for everybody is only the common part, so the bot says
    it and then asks the region."""
    chosen = choose_variation(_variations(answers), region)
    if chosen is None:
        return {"region": region, "asks_region": True, "messages": [_ask_region(nlu_data)]}
    asks = region is None and ask_region
    texts = split_messages(load_routing().fill_hotlines(chosen.get("text") or "", region))
    button = apply_button_for(f"faq/{name}")
    messages = [
        {"text": text, "buttons": [button] if button and index == len(texts) - 1 and not asks else []}
        for index, text in enumerate(texts)
    ]
    if asks:
        messages.append(_ask_region(nlu_data))
    return {"region": region, "asks_region": asks, "messages": messages}
