"""Read the FAQ knowledge (nlu_data/faq) and the fact checks (tests/data/faq_cases.yml) for tests."""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from actions.answers import choose_variation
from bot.rules.plans import SeedIndex, load_plans

ROOT = Path(__file__).resolve().parents[1]
FAQ_DIR = ROOT / "nlu_data" / "faq"
CASES_FILE = ROOT / "tests" / "data" / "faq_cases.yml"
SEEDS_DIR = Path(os.environ.get("SEEDS_DIR") or ROOT.parent / "shared" / "seeds")
Variation = dict[str, Any]


@lru_cache(maxsize=1)
def faq_responses() -> dict[str, list[Variation]]:
    """utter_faq/<name> → its variations, from every file in nlu_data/faq."""
    responses: dict[str, list[Variation]] = {}
    for path in sorted(FAQ_DIR.glob("*.yml")):
        responses.update((yaml.safe_load(path.read_text()) or {}).get("responses") or {})
    return responses


@lru_cache(maxsize=1)
def faq_examples() -> dict[str, list[str]]:
    """faq/<name> → its training examples."""
    examples: dict[str, list[str]] = {}
    for path in sorted(FAQ_DIR.glob("*.yml")):
        for block in (yaml.safe_load(path.read_text()) or {}).get("nlu") or []:
            lines = [line[2:].strip() for line in block["examples"].splitlines() if line.startswith("- ")]
            examples[block["intent"]] = lines
    return examples


def region_of(variation: Variation) -> str | None:
    """The region a variation is for; None for the one every region may get."""
    for condition in variation.get("condition") or []:
        if condition.get("name") == "region":
            return condition.get("value")
    return None


def asks_region(variation: Variation) -> bool:
    return bool((variation.get("metadata") or {}).get("ask_region"))


def region_dependent_faqs() -> list[str]:
    """FAQs whose substance differs by region: the bot asks the region when it is not known."""
    dependent = []
    for key, variations in faq_responses().items():
        default = [v for v in variations if region_of(v) is None]
        if not default or asks_region(default[0]):
            dependent.append(key)
    return sorted(dependent)


def variation_for(faq_key: str, region: str | None) -> Variation | None:
    """The variation a resident of `region` (None = not known) is told, as the action server picks it."""
    return choose_variation(faq_responses()[faq_key], region)


def question_without_region(faq_key: str) -> str:
    """A training example of the FAQ that names no region."""
    examples = faq_examples()[faq_key.removeprefix("utter_")]
    return next(e for e in examples if "绥芬" not in e and "潞城" not in e)


def fact_cases() -> list[dict[str, Any]]:
    return yaml.safe_load(CASES_FILE.read_text())


@lru_cache(maxsize=1)
def seed_index() -> SeedIndex:
    """The plans' texts; the tests that need them fail (never skip) when SEEDS_DIR holds none."""
    index = SeedIndex(SEEDS_DIR, load_plans())
    assert index.available, f"the plans' texts are not in {SEEDS_DIR} (set SEEDS_DIR)"
    return index
