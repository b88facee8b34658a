"""Read the FAQ knowledge (nlu_data/faq) and the fact checks (tests/data/faq_cases.yml) for tests."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]
FAQ_DIR = ROOT / "nlu_data" / "faq"
CASES_FILE = ROOT / "tests" / "data" / "faq_cases.yml"


@lru_cache(maxsize=1)
def faq_responses() -> dict[str, list[dict[str, Any]]]:
    """utter_faq/<name> → its variations, from every file in nlu_data/faq."""
    responses: dict[str, list[dict[str, Any]]] = {}
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


def region_dependent_faqs() -> list[str]:
    return sorted(k for k, v in faq_responses().items() if all(x.get("condition") for x in v))


def question_without_region(faq_key: str) -> str:
    """A training example of the FAQ that names no region."""
    examples = faq_examples()[faq_key.removeprefix("utter_")]
    return next(e for e in examples if "绥芬" not in e and "潞城" not in e)


def fact_cases() -> list[dict[str, Any]]:
    return yaml.safe_load(CASES_FILE.read_text())
