"""The plan's nearest sentence beside a clarifying question (bot/knowledge/near_quotes.py): shown verbatim with its
place under a "for reference" line when it is near the question and shares a word with it; nothing otherwise."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.knowledge import near_quotes as near
from bot.knowledge.index import PassageIndex
from bot.rules.plans import Plans
from tests.unit.test_knowledge import PLAN, char_vectors, char_vectors_one, seeds  # noqa: F401 (fixture)
from tests.unit.test_knowledge_topics import _answer

PLANS = Plans({"plan.txt": PLAN})


@pytest.fixture()
def index(seeds: Path, tmp_path: Path) -> PassageIndex:  # noqa: F811 (the imported fixture)
    return PassageIndex.build(seeds, tmp_path / "cache", char_vectors, char_vectors_one)


def _best_dense(index: PassageIndex, question: str) -> float:
    return index.search(question, "绥芬河市", limit=1)[0].dense


def test_a_near_sentence_is_quoted_verbatim_under_the_intro(index: PassageIndex, monkeypatch) -> None:
    question = "俺闺女是智力残疾 白天有地方托养不"
    monkeypatch.setattr(near, "NEAR_DENSE", _best_dense(index, question) - 0.01)
    told = near.near_quotes(index, question, ["绥芬河市"], PLANS)
    assert told[0] == near.INTRO and len(told) == 2
    assert told[1].startswith("绥芬河的规划（征求意见稿）第二部分第1条写着：“") and told[1].endswith("”")
    assert "日间照料和托养服务" in told[1]
    assert not any(word in "".join(told) for word in ("没有", "不能")), "not read as a no"


def test_nothing_when_the_best_sentence_is_not_near(index: PassageIndex, monkeypatch) -> None:
    question = "俺闺女是智力残疾 白天有地方托养不"
    monkeypatch.setattr(near, "NEAR_DENSE", _best_dense(index, question) + 0.01)
    assert near.near_quotes(index, question, ["绥芬河市"], PLANS) == []


def test_nothing_when_it_shares_no_word_with_the_question(index: PassageIndex, monkeypatch) -> None:
    monkeypatch.setattr(near, "NEAR_DENSE", -1.0)  # any sentence is "near": only the shared words decide
    assert near.near_quotes(index, "今儿个天儿咋样", ["绥芬河市"], PLANS) == []


def test_nothing_for_an_empty_question_or_a_region_without_a_plan(index: PassageIndex, monkeypatch) -> None:
    monkeypatch.setattr(near, "NEAR_DENSE", -1.0)
    assert near.near_quotes(index, "  ", ["绥芬河市"], PLANS) == []
    assert near.near_quotes(index, "托养服务", ["潞城区"], PLANS) == []


RESPONSES = {
    "utter_faq/day_care": _answer(("plan.txt", "为就业年龄段智力、精神残疾人提供日间照料和托养服务")),
    "utter_faq/devices": _answer(("plan.txt", "逐步推广社区辅助器具租赁、回收、维修等服务")),
}
DAY_CARE_QUESTION = "俺闺女是智力残疾 白天有地方托养不"


def test_after_an_answer_of_another_section_the_plans_nearest_sentence_is_added(
    index: PassageIndex, monkeypatch
) -> None:
    monkeypatch.setattr(near, "NEAR_DENSE", _best_dense(index, DAY_CARE_QUESTION) - 0.01)
    told = near.beyond_answer(index, RESPONSES, "faq/devices", DAY_CARE_QUESTION, ["绥芬河市"], PLANS)
    assert told[0] == near.ALSO_INTRO and len(told) == 2
    assert "日间照料和托养服务" in told[1] and "辅助器具" not in told[1]


def test_nothing_is_added_when_the_plan_agrees_with_the_answer_or_it_was_said(index: PassageIndex, monkeypatch) -> None:
    monkeypatch.setattr(near, "NEAR_DENSE", -1.0)
    assert near.beyond_answer(index, RESPONSES, "faq/day_care", DAY_CARE_QUESTION, ["绥芬河市"], PLANS) == []
    said = index.search(DAY_CARE_QUESTION, "绥芬河市", limit=1)[0].passage.text  # the answer quoted it already
    assert near.beyond_answer(index, RESPONSES, "faq/devices", DAY_CARE_QUESTION, ["绥芬河市"], PLANS, said) == []


def test_nothing_is_added_when_the_nearest_sentence_is_not_near(index: PassageIndex, monkeypatch) -> None:
    monkeypatch.setattr(near, "NEAR_DENSE", _best_dense(index, DAY_CARE_QUESTION) + 0.01)
    assert near.beyond_answer(index, RESPONSES, "faq/devices", DAY_CARE_QUESTION, ["绥芬河市"], PLANS) == []
