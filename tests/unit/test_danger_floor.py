"""A danger the model alone predicts counts only above the floor (bot/nlu/danger_floor.py)."""

from __future__ import annotations

import pytest

from bot.nlu.danger_floor import FLOOR, model_danger_too_unsure


@pytest.mark.parametrize("confidence", [0.0, 0.46, FLOOR - 0.01, FLOOR, None])
def test_a_model_alone_danger_at_or_below_the_floor_is_too_unsure(confidence) -> None:
    assert model_danger_too_unsure("danger", confidence)


@pytest.mark.parametrize("confidence", [FLOOR + 0.01, 0.99, 1.0])
def test_a_sure_model_alone_danger_stays(confidence) -> None:
    assert not model_danger_too_unsure("danger", confidence)


@pytest.mark.parametrize("intent", ["faq", "complaint", "nlu_fallback", None])
def test_other_intents_are_never_touched(intent) -> None:
    assert not model_danger_too_unsure(intent, 0.5)


def test_the_floor_is_above_the_fallback_threshold() -> None:
    """Below the FallbackClassifier's threshold the message is nlu_fallback already; a floor there would do nothing."""
    import yaml

    from bot.core.config import PROJECT_ROOT

    pipeline = yaml.safe_load((PROJECT_ROOT / "dialogue" / "config.yml").read_text(encoding="utf-8"))["pipeline"]
    threshold = next(c["threshold"] for c in pipeline if c["name"] == "FallbackClassifier")
    assert threshold < FLOOR < 1.0
