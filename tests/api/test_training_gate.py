"""The activation gate and the score reader, pure Python."""

from __future__ import annotations

import json
from pathlib import Path

from bot.training.evaluation import read_scores
from bot.training.gate import allowed_drop, decide
from bot.training.snapshot import with_epochs

LIVE = {"intent": 97.78, "response_selection": 92.92, "conversation": 86.36}


def _candidate(intent: float, selection: float, conversation: float) -> dict:
    support = {"intent": 135, "response_selection": 113, "conversation": 22}
    return {"intent": intent, "response_selection": selection, "conversation": conversation, "support": support}


def test_a_model_no_worse_than_the_margin_passes() -> None:
    decision = decide(_candidate(97.0, 93.8, 86.4), LIVE, 1.0)
    assert decision.passed and not decision.failures
    assert len(decision.reasons) == 3


def test_a_drop_beyond_the_margin_is_refused_with_the_reason() -> None:
    decision = decide(_candidate(91.1, 86.7, 86.4), LIVE, 1.0)
    assert not decision.passed
    assert decision.failures == [
        "意图识别准确率从 97.8 降到 91.1，下降超过 1 个百分点。",
        "问答匹配准确率从 92.9 降到 86.7，下降超过 1 个百分点。",
    ]
    assert decide(_candidate(91.1, 86.7, 86.4), LIVE, 10.0).passed, "the margin is configurable"


def test_the_gate_is_never_finer_than_one_test_example() -> None:
    assert allowed_drop(1.0, 135) == 1.0
    assert 4.59 < allowed_drop(1.0, 22) < 4.6
    one_flip = decide(_candidate(97.8, 92.9, 81.82), LIVE, 1.0)
    assert one_flip.passed, "one of 22 conversation examples differs: within one example"
    two_flips = decide(_candidate(97.8, 92.9, 77.27), LIVE, 1.0)
    assert not two_flips.passed and "对话意图准确率" in two_flips.failures[0]


def test_a_missing_score_is_refused_and_a_first_model_passes() -> None:
    assert not decide({"intent": 99.0, "support": {}}, LIVE, 1.0).passed
    assert decide(_candidate(50.0, 50.0, 50.0), None, 1.0).passed


def test_scores_are_read_from_rasa_reports(tmp_path: Path) -> None:
    eval_dir = tmp_path / "eval"
    eval_dir.mkdir()
    (eval_dir / "conversation_test.yml").write_text("nlu:\n- intent: greet\n  examples: |\n    - 你好\n")
    report = {"accuracy": 0.9, "weighted avg": {"support": 10}, "greet": {"recall": 0.5, "support": 4}}
    (tmp_path / "intent_report.json").write_text(json.dumps(report))
    (tmp_path / "response_selection_report.json").write_text(
        json.dumps({"accuracy": 0.8, "weighted avg": {"support": 6}})
    )
    scores = read_scores(tmp_path, eval_dir)
    assert scores == {
        "intent": 90.0,
        "response_selection": 80.0,
        "conversation": 50.0,
        "support": {"intent": 10, "response_selection": 6, "conversation": 4},
    }


def test_epochs_override_changes_only_the_neural_components() -> None:
    recipe = "pipeline:\n- name: JiebaTokenizer\n- name: DIETClassifier\n  epochs: 80\n- name: ResponseSelector\n"
    text = with_epochs(recipe, 5)
    assert "epochs: 5" in text and text.count("epochs") == 2 and "JiebaTokenizer" in text
