"""The plan's own sentence after an FAQ answer (bot/knowledge/answer_quotes.py): taken only from what the answer
rests on in the resident's plan, the one nearest to the question, verbatim with its place in the plan, within one
chat message, and left out when the answer already said it word for word."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from bot.knowledge.answer_quotes import (
    MAX_MESSAGE_CHARS,
    answer_passages,
    place_in_plan,
    plan_quotes,
    quote_message,
)
from bot.knowledge.index import PassageIndex
from bot.rules.plans import Plans
from tests.unit.test_knowledge import PLAN, char_vectors, char_vectors_one, seeds  # noqa: F401 (fixture)
from tests.unit.test_knowledge_topics import _answer

PLANS = Plans({"plan.txt": PLAN})
RESPONSES = {
    "utter_faq/day_care": _answer(("plan.txt", "为就业年龄段智力、精神残疾人提供日间照料和托养服务")),
    "utter_faq/devices": _answer(("plan.txt", "逐步推广社区辅助器具租赁、回收、维修等服务")),
    "utter_faq/no_quotes": [{"text": "没有依据的回答"}],
}


@pytest.fixture()
def index(seeds: Path, tmp_path: Path) -> PassageIndex:  # noqa: F811 (the imported fixture)
    return PassageIndex.build(seeds, tmp_path / "cache", char_vectors, char_vectors_one)


def _text(index: PassageIndex, positions: list[int]) -> list[str]:
    return [index.passages[i].text for i in positions]


def test_an_answer_rests_on_its_quoted_sentences_then_the_rest_of_their_section(index: PassageIndex) -> None:
    devices = _text(index, answer_passages(index, RESPONSES, "faq/devices", "绥芬河市"))
    assert devices[0].startswith("辅具适配。逐步推广社区辅助器具租赁")
    assert all("托养" not in t and "1440" not in t for t in devices), "nothing from other sections"
    assert answer_passages(index, RESPONSES, "faq/devices", "潞城区") == [], "not another region's plan"
    assert answer_passages(index, RESPONSES, "faq/no_quotes", "绥芬河市") == []
    assert answer_passages(index, RESPONSES, "faq/unknown", "绥芬河市") == []


def test_the_message_names_the_plan_and_place_and_quotes_verbatim(index: PassageIndex) -> None:
    told = plan_quotes(index, RESPONSES, "faq/day_care", "智力残疾的娃白天能托养不", ["绥芬河市"], PLANS)
    assert len(told) == 1
    message = told[0]
    assert message.startswith("绥芬河的规划（征求意见稿）第二部分第1条写着：“")  # a draft plan says so
    assert "为就业年龄段智力、精神残疾人提供日间照料和托养服务" in message and message.endswith("”")
    assert "“托养服务”" not in message.split("写着")[0], "the place without the section's quoted title"
    assert len(message) <= MAX_MESSAGE_CHARS


def test_no_message_without_a_question_a_quote_or_a_plan(index: PassageIndex) -> None:
    assert plan_quotes(index, RESPONSES, "faq/day_care", "", ["绥芬河市"], PLANS) == []
    assert plan_quotes(index, RESPONSES, "faq/no_quotes", "托养", ["绥芬河市"], PLANS) == []
    assert plan_quotes(index, RESPONSES, "faq/day_care", "托养", ["潞城区"], PLANS) == []
    assert plan_quotes(index, RESPONSES, "faq/day_care", "托养", ["绥芬河市"], Plans({})) == []
    assert quote_message([], "托养", PLANS) is None


def test_a_sentence_the_answer_already_said_is_not_said_again(index: PassageIndex) -> None:
    said = "托养服务。为就业年龄段智力、精神残疾人提供日间照料和托养服务。\n电话咨询：12385"
    assert plan_quotes(index, RESPONSES, "faq/day_care", "托养", ["绥芬河市"], PLANS, said) == []


def test_a_long_sentence_is_cut_to_the_clauses_near_the_question_within_one_message(index: PassageIndex) -> None:
    hits = index.rank("辅助器具租赁", answer_passages(index, RESPONSES, "faq/devices", "绥芬河市"), limit=2)
    text = "，".join(["其他工作要抓好落实"] * 12) + "，推广辅助器具租赁。"
    long_hit = replace(hits[0], passage=replace(hits[0].passage, text=text))
    message = quote_message([long_hit], "辅助器具租赁", PLANS)
    assert message is not None and len(message) <= MAX_MESSAGE_CHARS
    assert "推广辅助器具租赁" in message and "……" in message


def test_the_place_drops_the_sections_quoted_title() -> None:
    assert place_in_plan("第三部分（一）第5条“完善残疾人社会福利制度和社会优待政策”") == "第三部分（一）第5条"
    assert place_in_plan("专栏2 资金类第2项“困难残疾人生活补贴和重度残疾人护理补贴”") == "专栏2 资金类第2项"
    assert place_in_plan("“主要指标”") == "“主要指标”"
