"""Score a model on the held-out split (tests/nlu_eval): intent, FAQ answer choice and conversation intents."""

from __future__ import annotations

import json
from pathlib import Path

import yaml

CONVERSATION_FILE = "conversation_test.yml"
METRICS = {
    "intent": "意图识别准确率",
    "response_selection": "问答匹配准确率",
    "conversation": "对话意图准确率",
}


def conversation_intents(eval_dir: Path) -> set[str]:
    """Intents of the conversation tests (greetings, hand-over, out of scope …)."""
    path = eval_dir / CONVERSATION_FILE
    if not path.exists():
        return set()
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return {block["intent"] for block in data.get("nlu") or [] if "intent" in block}


def _load(path: Path) -> dict:
    return json.loads(path.read_text()) if path.exists() else {}


def read_scores(report_dir: Path, eval_dir: Path) -> dict:
    """Accuracies in points (0–100) from the JSON reports `rasa test nlu` wrote, and their number of examples."""
    intents = _load(report_dir / "intent_report.json")
    responses = _load(report_dir / "response_selection_report.json")
    if "accuracy" not in intents:
        raise ValueError("rasa test nlu wrote no intent report")
    scores: dict = {"intent": round(100 * intents["accuracy"], 2)}
    support = {"intent": int((intents.get("weighted avg") or {}).get("support", 0))}
    if "accuracy" in responses:
        scores["response_selection"] = round(100 * responses["accuracy"], 2)
        support["response_selection"] = int((responses.get("weighted avg") or {}).get("support", 0))
    correct = total = 0.0
    for intent in conversation_intents(eval_dir):
        row = intents.get(intent)
        if isinstance(row, dict) and row.get("support"):
            correct += row["recall"] * row["support"]
            total += row["support"]
    if total:
        scores["conversation"] = round(100 * correct / total, 2)
        support["conversation"] = int(total)
    scores["support"] = support  # how many test examples each score rests on
    return scores
