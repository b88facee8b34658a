"""The blind corpus is never trained on: no blind message (understanding or intake) appears among the training
examples in nlu_data/, compared after dropping spaces and punctuation."""

from __future__ import annotations

import re

import yaml

from bot.core.config import PROJECT_ROOT

BLIND = PROJECT_ROOT / "tests" / "blind"
NLU_DATA = PROJECT_ROOT / "nlu_data"
MIN_CHARS = 6  # shorter messages ("你好", "12385") may fairly be both a training example and a test item
_NOISE = re.compile(r"[\s\W_]+", re.UNICODE)
_ANNOTATION = re.compile(r"\[([^\]]*)\]\([^)]*\)|\[([^\]]*)\]\{[^}]*\}")  # [value](entity) / [value]{...}


def _key(text: str) -> str:
    return _NOISE.sub("", text).lower()


def _training_examples() -> set[str]:
    found: set[str] = set()
    for path in NLU_DATA.rglob("*.yml"):
        for block in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("nlu") or []:
            for line in str(block.get("examples") or "").splitlines():
                example = _ANNOTATION.sub(r"\1\2", line.strip().removeprefix("- "))
                if len(_key(example)) >= MIN_CHARS:
                    found.add(_key(example))
    return found


def _blind_messages() -> list[tuple[str, str]]:
    messages: list[tuple[str, str]] = []
    for path in sorted((BLIND / "understanding").glob("b*/*.yml")):
        for item in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("items") or []:
            for text in [item.get("text"), *(item.get("turns") or [])]:
                if isinstance(text, str):
                    messages.append((str(item.get("id")), text))
    for path in sorted((BLIND / "intake").glob("b*/scripts.yml")):
        for script in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("scripts") or []:
            if isinstance(script.get("opening"), str):
                messages.append((str(script.get("id")), script["opening"]))
    return messages


def test_the_corpus_is_read() -> None:
    assert len(_training_examples()) > 500
    assert len(_blind_messages()) > 3000


def test_no_blind_message_is_a_training_example() -> None:
    examples = _training_examples()
    leaked = [
        (item_id, text)
        for item_id, text in _blind_messages()
        if len(_key(text)) >= MIN_CHARS and _key(text) in examples
    ]
    assert leaked == []
