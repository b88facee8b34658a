"""Which FAQ answers rest on which plan passages (bot/knowledge/topics.py), and the plan settling the FAQ's choice."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from bot.knowledge.index import PassageIndex
from bot.knowledge.passages import Passage
from bot.knowledge.topics import confirmed_choice, quoted_passages, quotes_of, settled_choice
from tests.unit.test_knowledge import char_vectors, char_vectors_one, seeds  # noqa: F401 (fixture)

A = Passage("a.txt", "绥芬河市", "s1", "为就业年龄段智力、精神残疾人提供日间照料和托养服务。", 0)
B = Passage("a.txt", "绥芬河市", "s2", "逐步推广社区辅助器具租赁、回收、维修等服务;", 50)
C = Passage("b.txt", "潞城区", "s1", "为就业年龄段智力、精神残疾人提供日间照料和托养服务。", 0)


def _answer(*sources: tuple[str, str]) -> list[dict]:
    return [{"text": "…", "metadata": {"sources": [{"file": f, "section": "x", "quote": q} for f, q in sources]}}]


def test_an_answer_holds_the_passages_of_its_quotes_in_their_own_plan_only() -> None:
    responses = {
        "utter_faq/day_care": _answer(("a.txt", "提供日间照料和托养服务")),
        "utter_faq/devices": _answer(("a.txt", "逐步推广社区辅助器具租赁、回收、维修等服务;加强康复辅助器具适配")),
        "utter_faq/short": _answer(("a.txt", "托养")),  # too short to name a sentence
        "utter_greet": _answer(("a.txt", "提供日间照料和托养服务")),  # not an FAQ answer
    }
    quoted = quoted_passages([A, B, C], responses)
    assert quoted == {"faq/day_care": frozenset({0}), "faq/devices": frozenset({1})}
    assert quotes_of([{"text": "没有依据"}]) == []


def test_the_plan_settles_a_choice_only_when_exactly_one_choice_quotes_both_nearest_passages() -> None:
    quoted = {"faq/day_care": frozenset({0, 1}), "faq/devices": frozenset({1}), "faq/respite": frozenset({0, 1, 2})}
    assert confirmed_choice(["faq/day_care", "faq/legal_aid"], [[1, 0]], quoted) == "faq/day_care"
    assert confirmed_choice(["faq/devices", "faq/legal_aid"], [[1, 0]], quoted) is None, "quotes only the first"
    assert confirmed_choice(["faq/day_care", "faq/respite"], [[0, 1]], quoted) is None, "two choices quote both"
    assert confirmed_choice(["faq/devices", "faq/legal_aid"], [[1]], quoted) == "faq/devices", "a plan of one passage"
    assert confirmed_choice(["faq/day_care", "faq/legal_aid"], [[], [0, 1]], quoted) == "faq/day_care"
    assert confirmed_choice(["faq/respite", "faq/day_care"], [[2, 1], [0, 1]], quoted) is None, "plans disagree"


@pytest.fixture()
def index(seeds: Path, tmp_path: Path) -> PassageIndex:  # noqa: F811 (the imported fixture)
    """The test plan of test_knowledge (its `seeds` fixture), indexed with the stand-in encoder."""
    return PassageIndex.build(seeds, tmp_path / "cache", char_vectors, char_vectors_one)


def test_the_two_nearest_passages_of_the_plan_settle_the_choice(index: PassageIndex) -> None:
    """Passages here: 0 the 1440 figure, 1 托养, 2 辅具. The day-care answer quotes 1 and 0, devices only 2."""
    responses = {
        "utter_faq/day_care": _answer(
            ("plan.txt", "为就业年龄段智力、精神残疾人提供日间照料和托养服务"),
            ("plan.txt", "去年全市共有持证残疾人1440人"),
        ),
        "utter_faq/devices": _answer(("plan.txt", "逐步推广社区辅助器具租赁、回收、维修等服务")),
    }
    choices = ["faq/devices", "faq/day_care"]
    region = ["绥芬河市"]
    asked = "智力残疾的孩子白天有地方托养吗 日间照料"
    assert index.nearest(asked, "绥芬河市", 2) == [1, 0]
    assert settled_choice(index, asked, region, choices, responses) == "faq/day_care"
    assert index.nearest("辅助器具租赁维修", "绥芬河市", 2) == [2, 0]
    assert settled_choice(index, "辅助器具租赁维修", region, choices, responses) is None, "devices quotes only one"
    assert settled_choice(index, asked, region, [], responses) is None
    assert settled_choice(index, "  ", region, choices, responses) is None
    assert settled_choice(index, asked, ["潞城区"], choices, responses) is None, "no plan of that region"
    assert np.asarray(index.vectors).shape[0] == len(index.passages)
