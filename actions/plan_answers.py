"""Answers from the resident's own plan (bot/knowledge) for policy questions the FAQ does not answer confidently:
instead of "您是想问…？" or 没听懂 when one passage of the plan clearly fits, and after a weak FAQ answer when a
passage of another section clearly fits better. Never for danger, complaints, out-of-scope or applications: those
paths run before (actions/understand.reply_unsure, actions/faq.py)."""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import Callable
from typing import Any

from rasa_sdk.executor import CollectingDispatcher

from bot.knowledge.answer_quotes import plan_quotes
from bot.knowledge.index import Finding, PassageIndex
from bot.knowledge.near_quotes import beyond_answer, near_quotes
from bot.knowledge.reply import clause_for, hotline_line, plan_block
from bot.knowledge.topics import settled_choice
from bot.rules.plans import load_plans
from bot.rules.routing import load_routing
from bot.rules.understanding import SURE_CONFIDENCE, SURE_MARGIN, selected_answer, selector_ranking

logger = logging.getLogger(__name__)
WAIT_SECONDS = 3.0  # a turn waits at most this long for the index (well inside the gateway's Rasa timeout); the
# launcher embeds the plans before the action server starts (bot/launcher/model.ensure_plan_passages)
ALSO_TOPICS = "您要问的也许在下面的题目里，可以点一下。"  # no "没有" or "不能": not read as a no

_index: PassageIndex | None = None
_loaded = threading.Event()
_started = threading.Lock()
_thread: threading.Thread | None = None


def _load() -> None:
    global _index
    try:
        _index = PassageIndex.build()
        logger.info("plan passages: %d indexed", len(_index.passages))
    except Exception:  # no seeds, a broken cache: the bot still clarifies as before
        logger.exception("plan passages not available")
    finally:
        _loaded.set()


def start_loading() -> None:
    """Load the index in a background thread (once): the action server starts it when it imports the actions."""
    global _thread
    with _started:
        if _thread is None:
            _thread = threading.Thread(target=_load, name="plan-passages", daemon=True)
            _thread.start()


def plan_index(wait: float = WAIT_SECONDS) -> PassageIndex | None:
    """The passage index; None while it is not loaded within `wait` seconds (the bot then clarifies as before)."""
    start_loading()
    _loaded.wait(wait)
    return _index


async def find_in_plan(text: str | None, region: str | None) -> list[Finding]:
    """confident_findings off the event loop (embedding and scoring take tens of ms of CPU; the first call may wait
    for the index), so other conversations are not held up."""
    return await asyncio.get_running_loop().run_in_executor(None, confident_findings, text, region, None)


def confident_findings(text: str | None, region: str | None, index: PassageIndex | None = None) -> list[Finding]:
    """The region's plan's finding when it is confident; region unknown in a two-region deployment: each plan's."""
    index = index or plan_index()
    if index is None or not (text or "").strip():
        return []
    regions = [region] if region else list(load_routing().served)
    return [f for f in index.findings(str(text), regions) if f.confident]


async def confirm_in_plan(
    text: str | None, region: str | None, choices: list[str], domain: dict[str, Any]
) -> str | None:
    """The one FAQ key among `choices` that quotes the plan passage nearest to `text` (the region's plan; each plan
    while the region is unknown) — bot/knowledge/topics.py; None when the plan does not single one out. `domain` is
    the action's domain (its responses carry the quotes). Off the event loop, like find_in_plan."""
    return await asyncio.get_running_loop().run_in_executor(None, confirmed_key, text, region, choices, domain)


def confirmed_key(
    text: str | None,
    region: str | None,
    choices: list[str],
    domain: dict[str, Any],
    index: PassageIndex | None = None,
) -> str | None:
    index = index or plan_index()
    if index is None:
        return None
    regions = [region] if region else list(load_routing().served)
    return settled_choice(index, text, regions, choices, domain.get("responses") or {})


async def _quotes_off_loop(
    compose: Callable[..., list[str]],
    faq_key: str,
    question: str | None,
    region: str | None,
    domain: dict[str, Any],
    said: str,
) -> list[str]:
    """`compose(index, responses, faq_key, question, regions, plans, said)` in a worker thread, for the resident's
    region or each served one while it is unknown; empty without the index or a question."""
    if not (question or "").strip():
        return []
    regions = [region] if region else list(load_routing().served)
    responses = domain.get("responses") or {}

    def work() -> list[str]:
        index = plan_index()
        if index is None:
            return []
        return compose(index, responses, faq_key, str(question), regions, load_plans(), said)

    return await asyncio.get_running_loop().run_in_executor(None, work)


async def answer_quotes(
    faq_key: str, question: str | None, region: str | None, domain: dict[str, Any], said: str = ""
) -> list[str]:
    """The plan's own sentence(s) behind the FAQ answer `faq_key` nearest to `question`: the resident's plan, or each
    served plan while the region is unknown (bot/knowledge/answer_quotes.py). Off the event loop."""
    return await _quotes_off_loop(plan_quotes, faq_key, question, region, domain, said)


async def beyond_the_answer(
    faq_key: str, question: str | None, region: str | None, domain: dict[str, Any], said: str = ""
) -> list[str]:
    """After the FAQ answer `faq_key`: the plan's sentence nearest to `question` when it is not one the answer rests on
    (bot/knowledge/near_quotes.beyond_answer) — the plan and the FAQ's topic disagree, the resident gets both. Off the
    event loop."""
    return await _quotes_off_loop(beyond_answer, faq_key, question, region, domain, said)


async def nearest_in_plan(text: str | None, region: str | None) -> list[str]:
    """Beside a clarifying question: the plan's sentence nearest to `text` "for reference" (the resident's plan, each
    served plan while the region is unknown; bot/knowledge/near_quotes.py). Off the event loop; empty without the
    index or when nothing is near."""
    if not (text or "").strip():
        return []
    regions = [region] if region else list(load_routing().served)

    def work() -> list[str]:
        index = plan_index()
        return near_quotes(index, str(text), regions, load_plans()) if index is not None else []

    return await asyncio.get_running_loop().run_in_executor(None, work)


def plan_messages(findings: list[Finding], question: str, region: str | None) -> list[str]:
    """Lead-in + verbatim clause(s) + section (+ note, + "a direction") per plan, then the hotline."""
    plans = load_plans()
    several = len(findings) > 1 or (region is None and load_routing().only_region is None)
    messages: list[str] = []
    for found in findings:
        shown = [clause_for(hit.passage.text, question) for hit in found.hits]
        first = found.hits[0].passage
        messages += plan_block(plans, first.file, first.section, shown, name_region=several)
    messages.append(hotline_line(load_routing().hotline_phrase(region)))
    return messages


def say_plan_answer(
    dispatcher: CollectingDispatcher,
    findings: list[Finding],
    question: str,
    region: str | None,
    buttons: list[dict[str, str]] | None = None,
) -> None:
    """Utter the plan answer; `buttons` (the FAQ's topics when it had candidates) go with a line under it."""
    for text in plan_messages(findings, question, region):
        dispatcher.utter_message(text=text)
    if buttons:
        dispatcher.utter_message(text=ALSO_TOPICS, buttons=buttons)


def selector_sure(parse: dict[str, Any]) -> bool:
    """The ResponseSelector alone was sure of its answer (bot/rules/understanding's "sure" rule)."""
    _key, confidence = selected_answer(parse)
    ranking = selector_ranking(parse)
    runner_up = ranking[1][1] if len(ranking) > 1 else 0.0
    return confidence >= SURE_CONFIDENCE and confidence - runner_up >= SURE_MARGIN


def answer_sections(variations: list[dict[str, Any]]) -> set[tuple[str, str]]:
    """(plan file, section) of every source the FAQ answer names (any region's variation)."""
    found: set[tuple[str, str]] = set()
    for variation in variations:
        metadata = variation.get("metadata") if isinstance(variation.get("metadata"), dict) else {}
        for source in metadata.get("sources") or []:
            found.add((str(source.get("file")), str(source.get("section"))))
    return found


async def better_than_answer(
    parse: dict[str, Any], variations: list[dict[str, Any]], region: str | None
) -> list[Finding]:
    """After a weak FAQ answer (the selector alone was not sure): the confident findings from a section the answer
    does not rest on — the plan says something more to the point. Empty after a sure answer."""
    if selector_sure(parse):
        return []
    covered = answer_sections(variations)
    findings = await find_in_plan(parse.get("text"), region)
    return [f for f in findings if (f.hits[0].passage.file, f.hits[0].passage.section) not in covered]


start_loading()  # at import: the action server loads the index (from its disk cache) while it starts
