"""Unsure → clarify, out of scope → decline (bot/rules/understanding.judge) on e5 + selector parse data."""

from __future__ import annotations

import pytest

from bot.rules import understanding as u


def parse(intent: str, ranking: list[tuple[str, float]], labels: list[tuple[str, float]], in_domain: float) -> dict:
    top = {"intent_response_key": ranking[0][0], "confidence": ranking[0][1]} if ranking else {}
    return {
        "intent": {"name": intent},
        "response_selector": {
            "faq": {
                "response": top,
                "ranking": [{"intent_response_key": k, "confidence": c} for k, c in ranking],
            }
        },
        "e5": {"labels": [[k, s] for k, s in labels], "in_domain": in_domain},
    }


def test_a_sure_selector_answers() -> None:
    verdict = u.judge(parse("faq", [("faq/fuel_subsidy", 0.9), ("faq/public_transport", 0.05)], [], 0.95))
    assert verdict == u.Verdict("answer", faq="faq/fuel_subsidy")


def test_selector_and_nearest_example_agreeing_answer() -> None:
    ranking = [("faq/fuel_subsidy", u.AGREE_CONFIDENCE + 0.01), ("faq/public_transport", 0.2)]
    verdict = u.judge(parse("faq", ranking, [("faq/fuel_subsidy", 0.93)], 0.93))
    assert verdict.kind == "answer" and verdict.faq == "faq/fuel_subsidy"


def test_close_candidates_in_the_domain_get_choices() -> None:
    ranking = [("faq/fuel_subsidy", 0.35), ("faq/public_transport", 0.3)]
    labels = [("faq/assistive_devices", 0.93), ("faq/fuel_subsidy", 0.92)]
    verdict = u.judge(parse("faq", ranking, labels, 0.93))
    assert verdict.kind == "clarify"
    assert verdict.choices == ["faq/fuel_subsidy", "faq/public_transport", "faq/assistive_devices"]


def test_far_from_the_domain_and_near_an_out_of_scope_example_is_declined() -> None:
    labels = [("oos_medical", 0.9), ("faq/mental_health", 0.88)]
    verdict = u.judge(parse("nlu_fallback", [("faq/mental_health", 0.2)], labels, u.IN_DOMAIN_MIN - 0.02))
    assert verdict == u.Verdict("out_of_scope", oos="medical")


def test_out_of_scope_intents_name_their_kind() -> None:
    assert u.judge(parse("oos_government", [], [], 0.8)).oos == "government"
    assert u.judge(parse("out_of_scope", [], [], 0.8)).oos == "other"


def test_nothing_near_and_nothing_sure_is_not_understood() -> None:
    verdict = u.judge(parse("nlu_fallback", [("faq/legal_aid", 0.1)], [("faq/legal_aid", 0.85)], 0.85))
    assert verdict.kind == "not_understood"


def test_other_intents_are_left_to_their_rules() -> None:
    assert u.judge({"intent": {"name": "greet"}}).kind == "other"


def test_a_model_without_e5_uses_the_selector_confidence() -> None:
    old = parse("faq", [("faq/legal_aid", u.FAQ_MIN_CONFIDENCE)], [], 0.0)
    old.pop("e5")
    assert u.judge(old).kind == "answer"
    old["response_selector"]["faq"]["response"]["confidence"] = u.FAQ_MIN_CONFIDENCE - 0.01
    assert u.judge(old).kind == "not_understood"


def test_every_faq_answer_has_a_button_title() -> None:
    titles = u.faq_titles()
    assert len(titles) >= 50 and all(titles.values())
    assert all(key.startswith("faq/") for key in titles)


def test_a_very_near_example_clearly_ahead_answers_alone() -> None:
    ranking = [("faq/public_transport", 0.3), ("faq/fuel_subsidy", 0.25)]
    near = [("faq/fuel_subsidy", u.E5_SURE + 0.01), ("faq/public_transport", u.E5_SURE - u.E5_MARGIN - 0.01)]
    assert u.judge(parse("faq", ranking, near, 0.96)) == u.Verdict("answer", faq="faq/fuel_subsidy")
    close = [("faq/fuel_subsidy", u.E5_SURE + 0.01), ("faq/public_transport", u.E5_SURE)]
    assert u.judge(parse("faq", ranking, close, 0.96)).kind == "clarify"


def test_an_out_of_scope_example_clearly_nearer_declines_even_near_the_domain() -> None:
    labels = [("oos_government", 0.95), ("faq/disability_certificate", 0.91)]
    verdict = u.judge(parse("nlu_fallback", [("faq/doorstep_services", 0.3)], labels, 0.91))
    assert verdict == u.Verdict("out_of_scope", oos="government")
    close = [("oos_government", 0.92), ("faq/disability_certificate", 0.91)]
    assert u.judge(parse("nlu_fallback", [("faq/doorstep_services", 0.3)], close, 0.91)).kind == "clarify"


@pytest.mark.parametrize(
    ("text", "asks"),
    [("俺爹二级的能领那个护理的钱不", True), ("生活补贴外地户口能办不", True), ("轮椅公家给不给配", True),
     ("托养是给多大岁数的人", True), ("燃油补贴网上可以申请吗", True), ("辅具能不能折成钱给俺", True),
     ("给俺爹整个轮椅", False), ("我想申请护理补贴，能行吗", False), ("想问问能不能给她整个托养", False),
     ("帮孩子申请康复救助", False), ("我要申请生活补贴", False)],
)  # fmt: skip
def test_questions_about_whether_a_benefit_applies_are_not_requests_to_apply(text, asks) -> None:
    assert u.asks_eligibility(text) is asks
