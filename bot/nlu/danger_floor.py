"""How sure the model alone must be of a danger before it counts as one.

The rules in bot/rules/danger.py decide most emergencies; the `danger` intent the model predicts catches wordings
they do not list. A model-alone danger with little confidence is as likely an ordinary question that shares a word
with the danger examples ("有活吗", "笑死了") as a real one, so below FLOOR it is treated as not understood: the
message goes the way nlu_fallback goes, where the semantic safety net (actions/safety_net.py) may still put the
emergency numbers first. Chosen on development items only (tests/blind/understanding b1–b7 and round 11's own
items, docs/understanding.md "Round 11"). Pure Python: bot/nlu/rule_intents.py applies it.
"""

from __future__ import annotations

DANGER = "danger"
FALLBACK = "nlu_fallback"
FLOOR = 0.80  # the model's confidence in `danger` a model-alone danger must exceed


def model_danger_too_unsure(predicted: str | None, confidence: float | None) -> bool:
    """True when the model (not the rules) says danger with a confidence not above FLOOR."""
    return predicted == DANGER and (confidence or 0.0) <= FLOOR
