"""Did the assistant understand a message? Shared by the action server (answer or ask again), the fallback count
and the insights recorder, so all three agree.

The FallbackClassifier only looks at the intent's confidence. A message can be confidently "a policy question"
(intent `faq`) while no single FAQ answer fits it (e.g. "外卖什么时候到" → faq 1.0, best answer 0.06): the
ResponseSelector's own confidence tells. Below FAQ_MIN_CONFIDENCE the bot asks again instead of answering.
Measured on the held-out split (docs/nlu-eval.md, 2026-11-25): at 0.15 no correctly chosen answer is below the line
and half of the wrongly chosen ones are.
"""

from __future__ import annotations

from typing import Any

FAQ_MIN_CONFIDENCE = 0.15


def selected_answer(parse: dict[str, Any]) -> tuple[str | None, float]:
    """(the FAQ the ResponseSelector chose, its confidence) from a message's parse data."""
    selector = (parse or {}).get("response_selector") or {}
    response = (selector.get("faq") or {}).get("response") or {}
    return response.get("intent_response_key"), float(response.get("confidence") or 0.0)


def understood_faq(parse: dict[str, Any]) -> bool:
    """False when the message was taken for a policy question but no answer fits it well enough."""
    if ((parse or {}).get("intent") or {}).get("name") != "faq":
        return True
    key, confidence = selected_answer(parse)
    return bool(key) and confidence >= FAQ_MIN_CONFIDENCE
