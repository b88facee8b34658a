"""`make eval-heldout` (secondary to the blind corpus of `make eval`): the live model's NLU on the held-out
paraphrases in tests/nlu_eval/ (never trained on).

Writes docs/nlu-eval-heldout.md with intent and response-selection accuracy and the misclassified examples.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import datetime, timezone
from pathlib import Path

from bot.core.config import PROJECT_ROOT
from bot.launcher.model import ensure_model, rasa_environment, rasa_executable

TEST_SPLIT = PROJECT_ROOT / "tests" / "nlu_eval"
OUT_DIR = PROJECT_ROOT / "results" / "nlu-eval"
REPORT = PROJECT_ROOT / "docs" / "nlu-eval-heldout.md"
TARGET = 0.90


def run_rasa_test(model: Path) -> None:
    command = [str(rasa_executable()), "test", "nlu", "--nlu", str(TEST_SPLIT), "--model", str(model),
               "--out", str(OUT_DIR), "--no-plot"]  # fmt: skip
    result = subprocess.run(command, cwd=PROJECT_ROOT, env=rasa_environment(dict(os.environ)))
    if result.returncode != 0:
        sys.exit(f"rasa test nlu failed with exit code {result.returncode}")


def _load(name: str):
    path = OUT_DIR / name
    return json.loads(path.read_text()) if path.exists() else None


def _errors_table(errors: list[dict], predicted_key: str, label_key: str) -> str:
    if not errors:
        return "None.\n"
    rows = ["| text | expected | predicted | confidence |", "|---|---|---|---|"]
    for error in errors[:40]:
        predicted = error[predicted_key]
        rows.append(
            f"| {error['text']} | {error[label_key]} | {predicted.get('name')} | {predicted.get('confidence', 0):.2f} |"
        )
    more = f"\n… and {len(errors) - 40} more.\n" if len(errors) > 40 else "\n"
    return "\n".join(rows) + more


def write_report(model: Path) -> dict[str, float]:
    intents = _load("intent_report.json") or {}
    responses = _load("response_selection_report.json") or {}
    intent_errors = _load("intent_errors.json") or []
    response_errors = _load("response_selection_errors.json") or []
    scores = {
        "intent accuracy": intents.get("accuracy", float("nan")),
        "intent weighted F1": (intents.get("weighted avg") or {}).get("f1-score", float("nan")),
        "response selection accuracy": responses.get("accuracy", float("nan")),
        "response selection weighted F1": (responses.get("weighted avg") or {}).get("f1-score", float("nan")),
    }
    examples = (intents.get("weighted avg") or {}).get("support", 0)
    stamp = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    lines = [
        "# NLU evaluation — held-out split (secondary; the blind corpus is in nlu-eval.md)",
        "",
        f"Held-out split: `tests/nlu_eval/` ({examples} paraphrases never used in training), "
        f"model `{model.name}`, measured {stamp} with `make eval-heldout` (`rasa test nlu`). Target ≥ {TARGET:.2f}.",
        "",
        "| metric | value |",
        "|---|---|",
        *[f"| {name} | {value:.3f} |" for name, value in scores.items()],
        "",
        "## Intent errors",
        "",
        _errors_table(intent_errors, "intent_prediction", "intent"),
        "## Response-selection errors (which FAQ answer)",
        "",
        _errors_table(
            [
                {
                    **e,
                    "response_prediction": {
                        "name": e.get("intent_response_key_prediction", {}).get("name"),
                        "confidence": e.get("intent_response_key_prediction", {}).get("confidence", 0),
                    },
                }
                for e in response_errors
            ],
            "response_prediction",
            "intent_response_key_target",
        ),  # fmt: skip
    ]
    REPORT.write_text("\n".join(lines))
    return scores


def main() -> None:
    model = ensure_model()
    run_rasa_test(model)
    for name, value in write_report(model).items():
        print(f"{name}: {value:.3f}")
    print(f"written to {REPORT}")


if __name__ == "__main__":
    main()
