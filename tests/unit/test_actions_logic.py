"""Pure parts of the custom actions (the action server itself is exercised by the stack tests)."""

from actions.answers import choose_variation, needs_region, split_messages
from actions.history import consecutive_misses
from bot.rules.understanding import FAQ_MIN_CONFIDENCE, understood_faq

SUI = {"condition": [{"type": "slot", "name": "region", "value": "绥芬河市"}], "text": "绥"}
LU = {"condition": [{"type": "slot", "name": "region", "value": "潞城区"}], "text": "潞"}
ANY = {"text": "都一样"}


def test_region_variation_is_chosen() -> None:
    assert choose_variation([SUI, LU], "潞城区") is LU
    assert choose_variation([SUI, LU], "绥芬河市") is SUI


def test_unknown_region_on_a_differing_answer_means_ask() -> None:
    assert choose_variation([SUI, LU], None) is None
    assert needs_region([SUI, LU])


def test_region_independent_answer_needs_no_region() -> None:
    assert choose_variation([ANY], None) is ANY
    assert choose_variation([ANY], "潞城区") is ANY
    assert not needs_region([ANY])


def test_paragraphs_become_messages() -> None:
    assert split_messages("第一条。\n\n第二条。\n\n\n") == ["第一条。", "第二条。"]


def _user(text: str) -> dict:
    return {"event": "user", "text": text}


def _action(name: str) -> dict:
    return {"event": "action", "name": name}


def test_consecutive_misses_counts_the_current_turn_and_earlier_fallbacks() -> None:
    answered = [_user("护理补贴"), _action("action_answer_faq"), _action("action_listen")]
    missed = [_user("qwxz"), _action("action_default_fallback"), _action("action_listen")]
    current = [_user("zzkq"), _action("action_fallback")]
    assert consecutive_misses(answered + missed + current) == 2
    assert consecutive_misses(missed + answered + current) == 1
    assert consecutive_misses(current) == 1
    assert consecutive_misses([]) == 0


def _user(intent: str, answer: str | None = None, confidence: float = 0.0) -> dict:
    parse = {"intent": {"name": intent, "confidence": 0.9}}
    if answer:
        parse["response_selector"] = {"faq": {"response": {"intent_response_key": answer, "confidence": confidence}}}
    return {"event": "user", "parse_data": parse}


def test_a_policy_question_no_answer_fits_counts_as_a_miss() -> None:
    fitted = [_user("faq", "faq/legal_aid", 0.93), {"event": "action", "name": "action_answer_faq"}]
    unfitted = [_user("faq", "faq/home_schooling", 0.11), {"event": "action", "name": "action_answer_faq"}]
    current = [_user("faq", "faq/public_welfare_jobs", 0.05)]
    assert consecutive_misses(unfitted + current) == 2
    assert consecutive_misses(fitted + current) == 1


def test_understanding_reads_the_response_selector_confidence() -> None:
    assert understood_faq(_user("faq", "faq/legal_aid", FAQ_MIN_CONFIDENCE)["parse_data"])
    assert not understood_faq(_user("faq", "faq/legal_aid", FAQ_MIN_CONFIDENCE - 0.01)["parse_data"])
    assert not understood_faq(_user("faq")["parse_data"]), "no answer chosen at all"
    assert understood_faq(_user("greet")["parse_data"]), "other intents are judged by the fallback classifier"


def test_a_turn_the_plan_settled_is_not_a_miss() -> None:
    """action_unsure ran, but it answered a topic (the FAQ path sets pending_faq): not counted as a miss."""
    settled = [_user("nlu_fallback"), _action("action_unsure"), _action("action_answer_faq")]
    settled.append({"event": "slot", "name": "pending_faq", "value": None})
    unsettled = [_user("nlu_fallback"), _action("action_unsure")]
    current = [_user("nlu_fallback")]
    assert consecutive_misses(settled + current) == 1
    assert consecutive_misses(unsettled + current) == 2
