"""The turn channel's state (built inside Rasa) is exactly what the insights recorder classifies: one request per
turn carries enough to record it, and nothing personal (no text, no entities)."""

from types import SimpleNamespace

from bot.dialogue.turn_state import turn_state
from bot.insights.recorder import classify

PARSE = {
    "text": "我叫王秀英，护理补贴怎么申请",
    "intent": {"name": "faq", "confidence": 0.97},
    "entities": [{"entity": "person", "value": "王秀英"}],
    "response_selector": {
        "all_retrieval_intents": ["faq"],
        "faq": {"response": {"intent_response_key": "faq/severe_care_subsidy", "confidence": 0.88,
                             "responses": [{"text": "护理补贴……"}]}},
    },
}  # fmt: skip


def tracker(parse: dict, loop: str | None = None) -> SimpleNamespace:
    return SimpleNamespace(latest_message=SimpleNamespace(parse_data=parse), active_loop_name=loop)


def test_an_answered_question_is_classified_from_the_turn_state() -> None:
    outcome = classify(turn_state(tracker(PARSE)))
    assert (outcome.intent, outcome.answer_key, outcome.outcome, outcome.in_form) == (
        "faq", "faq/severe_care_subsidy", "answered", False,
    )  # fmt: skip


def test_turn_state_holds_nothing_personal() -> None:
    state = turn_state(tracker(PARSE, loop="care_subsidy_form"))
    assert "王秀英" not in str(state) and "护理补贴……" not in str(state)
    assert classify(state).in_form is True


def test_a_weak_answer_counts_as_not_understood() -> None:
    weak = PARSE | {"response_selector": {"faq": {"response": {"intent_response_key": "faq/x", "confidence": 0.05}}}}
    assert classify(turn_state(tracker(weak))).outcome == "fallback"
