"""Pure parts of the custom actions (the action server itself is exercised by the stack tests)."""

from actions.answers import choose_variation, needs_region, split_messages
from actions.history import consecutive_misses

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
