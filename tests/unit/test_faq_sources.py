"""Every FAQ answer rests on the plans (verbatim quotes, in their sections) or on a named national document; what
it states (figures, programme names, levels) is in those sources; it keeps the plan's modality; it is short, plain
and region-right; and it passes its fact checks (tests/data/faq_cases.yml), read here without the stack."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import pytest

from actions.answers import both_regions
from bot.rules.plans import MODALITY_WORDS, load_plans, squash
from bot.rules.regions import REGIONS
from bot.rules.routing import load_routing
from bot.staff.validation import MAX_MESSAGE_CHARS
from tests.knowledge import asks_region, fact_cases, faq_responses, region_of, seed_index, variation_for

PLANS = load_plans()
VARIATIONS = [(key, n, v) for key, vs in faq_responses().items() for n, v in enumerate(vs, start=1)]
IDS = [f"{key.removeprefix('utter_faq/')}#{n}:{region_of(v) or 'any'}" for key, n, v in VARIATIONS]
EMERGENCY_NUMBERS = {"110", "119", "120"}
HOTLINE_NUMBERS = {"12385", "12345"}
DOCUMENT_NUMBER = re.compile(r"[国发办令]+[〔\[]?\d{4}[〕\]]?\d+号|国务院令第\d+号")
FIGURE = re.compile(r"\d+(?:\.\d+)?(?:[-—–~～]\d+)?(?:%|周岁|岁|个月|项|名|人|年|级|户|小时)?")
LEVELS = re.compile(r"[一二三四](?:、[一二三四])*级")
QUOTED = re.compile(r"“([^”]{2,30})”")


def normal(text: str) -> str:
    """For comparing figures: NFKC, one kind of dash, no spaces."""
    return squash(re.sub(r"[—–－~～]", "-", unicodedata.normalize("NFKC", text)))


def _meta(variation: dict) -> dict:
    return variation.get("metadata") or {}


def _quotes(variation: dict) -> list[str]:
    return [str(s.get("quote") or "") for s in _meta(variation).get("sources") or []]


def _support(variation: dict) -> str:
    """Everything the answer may state: its quotes and the facts of the national documents it names."""
    facts = [f for key in _meta(variation).get("national") or [] for f in PLANS.national[key].facts]
    return normal("|".join(_quotes(variation) + facts))


@lru_cache(maxsize=1)
def programme_names() -> list[str]:
    """Names the plans put in quotation marks (“阳光家园计划”, “两项补贴” …), plus a few they use unquoted."""
    names = {m for text in seed_index().texts.values() for m in QUOTED.findall(text) if len(m) <= 14}
    names |= {"阳光家园", "福康工程", "爱得其所", "喘息服务", "单人户", "渐退期", "一人一案", "一人一策", "五个一"}
    return sorted(n for n in names if not n.isdigit())


def _filled(text: str, region: str | None) -> str:
    return load_routing().fill_hotlines(text, region)


def _plain(text: str, variation: dict) -> str:
    """What the answer claims: without the national documents' numbers it names, the hotline placeholders and the
    sentences that say what a plan does NOT contain ("规划没有写…")."""
    for key in _meta(variation).get("national") or []:
        text = text.replace(key, "")
    text = text.replace("{hotline}", "").replace("{general_hotline}", "")
    return "".join(s for s in re.split(r"(?<=[。；])", text) if "没有写" not in s and "没有单独写" not in s)


@pytest.mark.parametrize(("key", "number", "variation"), VARIATIONS, ids=IDS)
def test_every_answer_names_its_sources(key: str, number: int, variation: dict) -> None:
    meta = _meta(variation)
    assert set(meta) <= {"sources", "national", "ask_region"}, f"{key} #{number}: unknown metadata {set(meta)}"
    assert meta.get("sources") or meta.get("national"), f"{key} #{number} names no source"
    for document in meta.get("national") or []:
        assert document in PLANS.national, f"{key} #{number}: {document} is not in config/plans.yml"
        assert document in variation["text"], f"{key} #{number} rests on {document} without naming it"
    for named in DOCUMENT_NUMBER.findall(variation["text"]):
        assert named in (meta.get("national") or []), f"{key} #{number} names {named} but does not list it"


@pytest.mark.parametrize(("key", "number", "variation"), VARIATIONS, ids=IDS)
def test_quotes_are_verbatim_in_their_plan_and_section(key: str, number: int, variation: dict) -> None:
    seeds = seed_index()
    region = region_of(variation)
    for source in _meta(variation).get("sources") or []:
        assert seeds.source_errors(source) == [], f"{key} #{number}"
        assert source.get("section") == seeds.section_of(source["file"], source["quote"]), (
            f"{key} #{number}: section of {source['quote'][:20]!r} (run scripts/faq_sources.py --fill)"
        )
        if region is not None:
            assert PLANS.plans[source["file"]].region == region, f"{key} #{number} for {region} quotes the other plan"


@pytest.mark.parametrize(("key", "number", "variation"), VARIATIONS, ids=IDS)
def test_figures_and_names_come_from_the_sources(key: str, number: int, variation: dict) -> None:
    text, support = _plain(variation["text"], variation), _support(variation)
    for figure in FIGURE.findall(unicodedata.normalize("NFKC", text)):
        if figure in EMERGENCY_NUMBERS:
            continue
        assert normal(figure) in support, f"{key} #{number} states {figure!r}, which none of its sources says"
    for level in LEVELS.findall(text):
        assert normal(level) in support, f"{key} #{number} states {level!r}, which none of its sources says"
    for name in QUOTED.findall(text):
        assert normal(name) in support, f"{key} #{number} names “{name}”, which none of its sources says"
    for name in programme_names():
        if name in text:
            assert normal(name) in support, f"{key} #{number} names {name!r}, which none of its sources says"


@pytest.mark.parametrize(("key", "number", "variation"), VARIATIONS, ids=IDS)
def test_answers_are_short_plain_and_region_right(key: str, number: int, variation: dict) -> None:
    region = region_of(variation)
    text = variation["text"]
    assert not re.search(r"(?<![{\d])(12385|12345)(?![\d}])", text) or key == "utter_faq/hotlines", (
        f"{key} #{number}: write {{hotline}} or {{general_hotline}}, the routing names the region's hotline"
    )
    if not asks_region(variation):
        assert "{hotline}" in text or "{general_hotline}" in text, f"{key} #{number} does not say where to call"
    for shown_to in [region] if region else [None, *REGIONS]:
        for paragraph in _filled(text, shown_to).split("\n\n"):
            assert paragraph.strip(), f"{key} #{number} has an empty message"
            assert len(paragraph) <= MAX_MESSAGE_CHARS, f"{key} #{number} ({shown_to}): {len(paragraph)} characters"
            assert not paragraph.startswith("规划说"), f"{key} #{number}: say what the resident can get, not 规划说"
            assert not any(mark in paragraph for mark in ("**", "|", "##", "- ", "<")), f"{key} #{number}: markup"
    others = [r for r in REGIONS if r != region] if region else []
    for other in others:
        assert other[:2] not in text, f"{key} #{number} for {region} talks about {other}"


@pytest.mark.parametrize("key", sorted(faq_responses()))
def test_answer_contract_with_the_faq_action(key: str) -> None:
    variations = faq_responses()[key]
    defaults = [v for v in variations if region_of(v) is None]
    assert len(defaults) <= 1, f"{key}: at most one answer without a region"
    assert all(not asks_region(v) for v in variations if region_of(v)), f"{key}: ask_region only without a region"
    covered = {region_of(v) for v in variations}
    if not defaults or asks_region(defaults[0]):
        assert set(REGIONS) <= covered, f"{key}: a region has no answer"


CASES = fact_cases()
CASE_IDS = [f"{c['intent']}@{c.get('region') or 'any'}" for c in CASES]


def test_fact_cases_cover_every_answer_the_bot_can_give() -> None:
    covered = {(c["intent"], c.get("region")) for c in CASES}
    for key, variations in faq_responses().items():
        intent = key.removeprefix("utter_")
        regions = {region_of(v) for v in variations}
        for region in regions | (set(REGIONS) if None in regions else set()):
            assert (intent, region) in covered, f"no fact check for {intent} in {region or 'an unknown region'}"


@pytest.mark.parametrize("case", CASES, ids=CASE_IDS)
def test_answers_pass_their_fact_checks(case: dict) -> None:
    """The same checks as tests/stack/test_faq_answers.py, on the text the action would pick (no stack needed)."""
    region = case.get("region")
    variation = variation_for("utter_" + case["intent"], region)
    assert variation is not None, f"{case['intent']} has no answer for {region}"
    assert bool(case.get("asks_region")) == asks_region(variation), f"{case['intent']}@{region}: asks_region"
    both = both_regions(faq_responses()["utter_" + case["intent"]], load_routing()) if region is None else None
    answer = "\n\n".join(both) if both else _filled(variation["text"], region)  # what action_answer_faq says
    for fact in case["expect"]:
        assert fact in answer, f"{case['intent']}@{region} lacks {fact!r}"
    for wrong in [*(case.get("absent") or []), *(case.get("overstated") or [])]:
        assert wrong not in answer, f"{case['intent']}@{region} must not say {wrong!r}"
    if region == "潞城区":
        assert "12385" not in answer, "潞城's plan names only 12345"
    modal = [w for q in _quotes(variation) for w in MODALITY_WORDS if w in q.replace("没有条件", "")]
    if modal:
        assert case.get("overstated"), f"{case['intent']}@{region}: sources say {modal}: list what must not be said"


@pytest.mark.parametrize(("key", "number", "variation"), VARIATIONS, ids=IDS)
def test_answers_name_the_hotline_their_hand_over_goes_to(key: str, number: int, variation: dict) -> None:
    """A topic config/escalation.yml routes to the general queue names {general_hotline}; the others {hotline}."""
    if asks_region(variation):
        return
    text = variation["text"]
    if key.removeprefix("utter_faq/") in load_routing().general_topics:
        assert "{general_hotline}" in text and "{hotline}" not in text, f"{key} #{number}: a general matter"
    else:
        assert "{hotline}" in text, f"{key} #{number}: a disability matter names the region's disability hotline"
