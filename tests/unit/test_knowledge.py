"""The plan passage index (bot/knowledge): cutting a plan into passages, the lexical score, the cache of embeddings,
when a finding is confident, and the clause shown. A tiny made-up plan and a character-count encoder stand in for
the real seeds and e5, so these tests need neither."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from bot.knowledge import index as knowledge
from bot.knowledge.index import Finding, Hit, PassageIndex, finding
from bot.knowledge.lexical import BM25, without_places, words
from bot.knowledge.passages import Passage, drop_page_numbers, plan_passages, plan_text
from bot.knowledge.reply import clause_for, direction_word, plan_block
from bot.rules.plans import Plan, Plans, Section

PLAN = Plan(
    "plan.txt",
    "绥芬河市",
    "《测试市助残规划》",
    "这是草稿。",
    (
        Section("一、基本情况", "第一部分“基本情况”"),
        Section("1、托养服务", "第二部分第1条“托养服务”"),
        Section("2、辅具适配", "第二部分第2条“辅具适配”"),
    ),
)
RAW = (
    "网页标题 附件 1 测试市助残规划\n一、基本情况 去年全市 1 共有持证残疾人 1440 人,其中农村 453 人。\n"
    "本规划期内继续推进各项工作。 2 \n1、托养服务。为就业年龄段智力、精神残疾人提供日间照料和托养服务。"
    "(涉及单位:残联 民政局)\n2、辅具适配。逐步推广社区辅助器具租赁、回收、维修等服务;加强康复辅助器具适配服务机构建设。"
)


def char_vectors(texts: list[str]) -> np.ndarray:
    """A stand-in encoder: counts of each character hashed into 384 dimensions, normalised."""
    out = np.zeros((len(texts), 384), np.float32)
    for row, text in enumerate(texts):
        for char in text:
            out[row, ord(char) % 384] += 1.0
        out[row] /= max(np.linalg.norm(out[row]), 1e-9)
    return out


def test_page_numbers_are_removed_in_order_and_figures_kept() -> None:
    text = "附件 1 标题 正文一 1 接着 惠及 419 人 正文二 2 接着 至少 1 名 正文三 3 完"
    cleaned = drop_page_numbers(text)
    assert "附件 1 标题" in cleaned  # a "1" before the real page 1 (followed by another 1 before page 2) stays
    assert "正文一  接着" in cleaned and "正文二  接着" in cleaned and "正文三  完" in cleaned
    assert "419" in cleaned and "至少 1 名" in cleaned
    assert plan_text("残疾 人 \n服务") == "残疾人服务"


def test_passages_carry_their_section_without_headings_offices_or_numbering() -> None:
    passages = plan_passages("plan.txt", RAW, PLAN)
    texts = [p.text for p in passages]
    assert "网页标题" not in "".join(texts)  # text before the first heading is not part of the plan
    first = passages[0]
    assert first.text.startswith("去年全市共有持证残疾人1440人")  # heading and page number gone, figure kept
    assert first.section == "第一部分“基本情况”" and first.region == "绥芬河市"
    care = next(p for p in passages if "日间照料" in p.text)
    assert care.section == "第二部分第1条“托养服务”" and care.topic == "托养服务"
    assert care.text.startswith("托养服务。为就业年龄段")  # a title sentence is kept with the sentence after it
    assert all("涉及单位" not in t and "民政局)" not in t for t in texts)
    devices = [p for p in passages if p.section.endswith("“辅具适配”")]
    assert devices and all(p.text.endswith(("；", ";", "。")) for p in devices)


def test_long_sentence_is_cut_at_semicolons() -> None:
    long_plan = Plan("p.txt", "潞城区", "《规划》", "", (Section("一、任务", "第一部分“任务”"),))
    sentence = "；".join(f"第{i}项工作要求各单位认真落实残疾人服务保障措施" for i in range(8)) + "。"
    passages = plan_passages("p.txt", "一、任务 " + sentence, long_plan)
    assert len(passages) == 8 and passages[0].text.endswith("；") and passages[-1].text.endswith("。")


def test_words_leave_out_function_words_and_places() -> None:
    got = words(without_places("俺们阜宁镇这疙瘩 俺爹想申请托养服务咋整"))
    assert "托养" in got and "申请" in got
    assert "残疾人" in words("残疾人就业") and "20%" in words("不超过20%的")  # search mode keeps figures
    assert not {"俺", "咋整", "阜宁镇", "阜宁", "疙瘩", "的"} & set(got)


def test_bm25_prefers_the_document_with_the_rare_word() -> None:
    docs = [["残疾人", "托养", "服务"], ["残疾人", "就业", "服务"], ["残疾人", "康复", "服务"]]
    bm25 = BM25(docs)
    scores = bm25.scores(["托养", "残疾人"])
    assert scores[0] > scores[1] > 0 and scores[1] == scores[2]
    assert bm25.scores(["天气"]) == [0.0, 0.0, 0.0]
    assert 0 < scores[0] / bm25.best_possible(["托养", "残疾人"]) < 1.5


def test_clause_shown_is_a_verbatim_cut_around_the_question_words() -> None:
    text = (
        "加强残疾人就业服务机构规范化建设,明确保障条件、专业人员配备等要求,"
        "对有意愿参加技能和创业培训的年度内未就业高校残疾毕业生提供免费培训,并做到就业创业培训全覆盖。"
    )
    shown = clause_for(text, "残疾大学生毕业了能免费培训吗", limit=50)
    assert "免费培训" in shown and len(shown.strip("…")) <= 50
    assert shown.strip("…") in text  # cut, never reworded
    assert shown.startswith("……")
    assert clause_for("短句不用剪。", "任何问题") == "短句不用剪。"


def test_direction_words_are_told() -> None:
    passages = plan_passages("plan.txt", RAW, PLAN)
    rental = next(p for p in passages if "租赁" in p.text)
    assert direction_word(rental.text) == "逐步"
    lead, after = plan_block(Plans({"plan.txt": PLAN}), "plan.txt", rental.section, [rental.text], name_region=True)
    assert lead.startswith("绥芬河市：《测试市助残规划》里是这样写的：“") and rental.text in lead
    assert "第二部分第2条“辅具适配”" in after and "这是草稿。" in after and "“逐步”" in after


def _hit(section: str, score: float, dense: float = 0.9, lexical: float = 0.6) -> Hit:
    return Hit(Passage("plan.txt", "绥芬河市", section, f"{section}的一句话。", 0), score, dense, lexical)


def test_a_finding_is_confident_only_when_clearly_ahead_of_other_sections() -> None:
    ahead = finding([_hit("甲", 1.0), _hit("甲", 0.99), _hit("乙", 1.0 - knowledge.SECTION_LEAD - 0.01)], "绥芬河市")
    assert ahead is not None and ahead.confident and len(ahead.hits) == 2  # the close runner-up of its section too
    close = finding([_hit("甲", 1.0), _hit("乙", 0.99)], "绥芬河市")
    assert close is not None and not close.confident and len(close.hits) == 1
    far_from_question = Finding("绥芬河市", (_hit("甲", 1.0, dense=knowledge.DENSE_MIN - 0.01),), 0.2)
    assert not far_from_question.confident
    no_shared_word = Finding("绥芬河市", (_hit("甲", 1.0, lexical=knowledge.LEXICAL_MIN - 0.01),), 0.2)
    assert not no_shared_word.confident
    assert finding([], "绥芬河市") is None


@pytest.fixture()
def seeds(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "seeds"
    folder.mkdir()
    (folder / "plan.txt").write_text(RAW, "utf-8")
    monkeypatch.setattr(knowledge, "load_plans", lambda: Plans({"plan.txt": PLAN}))
    return folder


def test_embeddings_are_cached_by_the_seeds_and_rebuilt_when_they_change(seeds: Path, tmp_path: Path) -> None:
    calls: list[int] = []

    def embed(texts: list[str]) -> np.ndarray:
        calls.append(len(texts))
        return char_vectors(texts)

    cache = tmp_path / "cache"
    first = PassageIndex.build(seeds, cache, embed, char_vectors_one)
    again = PassageIndex.build(seeds, cache, embed, char_vectors_one)
    assert len(calls) == 1 and np.allclose(first.vectors, again.vectors)
    (seeds / "plan.txt").write_text(RAW.replace("1440", "1500"), "utf-8")
    PassageIndex.build(seeds, cache, embed, char_vectors_one)
    assert len(calls) == 2 and len(list(cache.glob("passages-*.npz"))) == 2


def char_vectors_one(text: str) -> np.ndarray:
    seen.append(text)
    return char_vectors([text])[0]


seen: list[str] = []


def test_search_stays_in_the_region_and_bounds_the_question(seeds: Path, tmp_path: Path) -> None:
    index = PassageIndex.build(seeds, tmp_path / "cache", char_vectors, char_vectors_one)
    hits = index.search("智力残疾人的托养服务和日间照料", "绥芬河市", limit=2)
    assert hits and "日间照料" in hits[0].passage.text and hits[0].lexical > 0
    assert index.search("托养服务", "潞城区") == []  # no plan of that region here
    seen.clear()
    index.search("托养" * 5000, "绥芬河市")
    assert seen and len(seen[0]) <= knowledge.MAX_QUERY_CHARS
    assert index.search("   ", None) == []
    assert [f.region for f in index.findings("托养服务", ["绥芬河市", "潞城区"])] == ["绥芬河市"]
