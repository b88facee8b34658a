"""What to tell a resident who asks where the last answer comes from (pure: no Rasa imports, unit-tested)."""

from __future__ import annotations

from typing import Any

from actions.answers import choose_variation
from bot.rules.plans import Plans
from bot.rules.understanding import selected_answer, understood_faq

NO_ANSWER_YET = "您还没有问政策方面的问题。先问一个问题，我再告诉您回答依据的是哪个文件。"
INTRO = "刚才的回答，依据的是："
MAX_CHARS = 150


def last_answered_faq(events: list[dict[str, Any]]) -> str | None:
    """The FAQ the bot last answered (the latest policy question it understood), e.g. "faq/living_subsidy"."""
    for event in reversed(events):
        if event.get("event") != "user":
            continue
        parse = event.get("parse_data") or {}
        if (parse.get("intent") or {}).get("name") == "faq" and understood_faq(parse):
            return selected_answer(parse)[0]
    return None


def _chunks(prefix: str, parts: list[str], suffix: str) -> list[str]:
    """`prefix` + parts joined by 、 + `suffix`, split into messages of at most MAX_CHARS."""
    messages, current = [], prefix
    for part in parts:
        joiner = "" if current == prefix else "、"
        if current != prefix and len(current) + len(joiner) + len(part) + len(suffix) > MAX_CHARS:
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


def source_messages(
    events: list[dict[str, Any]], responses: dict[str, Any], region: str | None, plans: Plans
) -> list[str]:
    """Everything to say for “这是哪个文件说的”, given the conversation so far and the domain's responses."""
    faq_key = last_answered_faq(events)
    variations = responses.get(f"utter_{faq_key}") or [] if faq_key else []
    chosen = choose_variation(variations, region) if variations else None
    metadata = (chosen or {}).get("metadata")
    described = describe_sources(metadata if isinstance(metadata, dict) else {}, plans)
    return [INTRO, *described] if described else [NO_ANSWER_YET]
