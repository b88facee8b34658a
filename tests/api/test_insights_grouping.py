"""Insights, pure Python: questions lose personal data before storage, turns are classified from the tracker
state, unanswered questions group by shared jieba keywords, topics come from the FAQ files."""

from __future__ import annotations

import os
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from bot.core.config import PROJECT_ROOT
from bot.insights.grouping import Question, group_questions, keywords
from bot.insights.privacy import as_example, looks_personal, scrub
from bot.insights.recorder import classify
from bot.insights.topics import UNANSWERED, TopicIndex

USERDICT = PROJECT_ROOT / "nlu_data" / "dict" / "userdict.txt"


@pytest.mark.parametrize(
    ("text", "kept", "gone"),
    [
        ("我的身份证号是230103199001011234，能领补贴吗", "能领补贴吗", ["2301", "1234"]),
        ("我电话13912345678，住在建设路12号3单元501，护理补贴咋办", "护理补贴咋办", ["139", "5678", "建设路", "501"]),
        ("住阳光小区3栋，座机0453-3921234，盲道被占了", "盲道被占了", ["阳光小区", "3921234", "0453"]),
        ("残疾人证号23010319900101123442，能坐高铁吗", "能坐高铁吗", ["2301", "3442"]),
    ],
)
def test_scrub_removes_ids_phones_addresses_and_names(text: str, kept: str, gone: list[str]) -> None:
    clean = scrub(text)
    assert clean is not None and kept in clean
    for fragment in gone:
        assert fragment not in clean, (fragment, clean)
    assert not looks_personal(clean)


@pytest.mark.parametrize(
    "text",
    [
        "我叫王小明，导盲犬能坐公交吗",
        "俺闺女叫李翠花，她腿不好能办啥",
        "帮我妈申请，她叫赵桂兰",
        "名字是欧阳娜娜",
        "我姓刘，护理补贴咋领",
        "赵铁柱腿不好能领补贴不",
        "申请人是马建军",
        "孔令辉",
    ],
)
def test_a_question_that_names_a_person_is_not_kept_at_all(text: str) -> None:
    assert scrub(text) is None


@pytest.mark.parametrize(
    "text", ["高龄补贴在哪领", "护理补贴和生活补贴能一起领吗", "公交卡怎么办", "康复训练去哪", "一张残疾证能办几次"]
)
def test_ordinary_questions_with_surname_characters_are_kept(text: str) -> None:
    assert scrub(text) == text


def test_scrub_drops_a_message_that_is_only_personal_data() -> None:
    assert scrub("13912345678") is None
    assert scrub("230103199001011234") is None
    assert scrub("导盲犬能不能坐公交") == "导盲犬能不能坐公交"


def test_as_example_leaves_out_the_clauses_that_held_personal_data() -> None:
    assert as_example(scrub("我电话13912345678，快递不送上门怎么办")) == "快递不送上门怎么办"
    assert as_example(scrub("住阳光小区3栋，电话0453-3921234")) is None
    assert as_example("导盲犬能坐公交吗？地铁呢") == "导盲犬能坐公交吗？地铁呢"


def _state(
    intent: str, confidence: float = 0.9, key: str | None = None, loop: str | None = None, fit: float = 0.9
) -> dict:
    parse = {"intent": {"name": intent, "confidence": confidence}, "text": "…"}
    if key:
        parse["response_selector"] = {"faq": {"response": {"intent_response_key": key, "confidence": fit}}}
    return {"latest_message": parse, "active_loop": {"name": loop} if loop else {}}


def test_classify_reads_intent_answer_and_form_from_the_tracker_state() -> None:
    faq = classify(_state("faq", 0.97, "faq/two_subsidies"))
    assert (faq.outcome, faq.answer_key, faq.confidence) == ("answered", "faq/two_subsidies", 0.97)
    assert classify(_state("nlu_fallback", 0.3)).outcome == "fallback"
    assert classify(_state("out_of_scope")).outcome == "out_of_scope"
    assert classify(_state("inform")).outcome == "fallback", "a bare answer outside a form is not understood"
    in_form = classify(_state("nlu_fallback", 0.2, loop="care_subsidy_form"))
    assert in_form.outcome == "answered" and in_form.in_form, "answers to form questions are never kept"
    assert classify({}).outcome == "fallback"
    unfitted = classify(_state("faq", 1.0, "faq/public_welfare_jobs", fit=0.05))
    assert unfitted.outcome == "fallback", "a policy question no answer fits is unanswered"


def test_topics_come_from_the_faq_files() -> None:
    topics = TopicIndex(PROJECT_ROOT / "nlu_data" / "faq")
    assert topics.topic("faq", "faq/two_subsidies") == "两项补贴"
    assert topics.topic("faq", "faq/hotlines") == "维权和热线"
    assert topics.topic("apply", None) == "申请办理"
    assert topics.topic("nlu_fallback", None) == UNANSWERED


def test_topics_pick_up_a_new_faq_file(tmp_path: Path) -> None:
    (tmp_path / "pets.yml").write_text(
        "# 导盲犬：例句和回答。\nnlu:\n- intent: faq/guide_dog\n  examples: |\n    - 导盲犬\n"
    )
    assert TopicIndex(tmp_path).topic("faq", "faq/guide_dog") == "导盲犬"


def test_an_unknown_key_rereads_the_files_only_after_an_edit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    faq = tmp_path / "pets.yml"
    faq.write_text("# 导盲犬：例句和回答。\nnlu:\n- intent: faq/guide_dog\n  examples: |\n    - 导盲犬\n")
    topics = TopicIndex(tmp_path)
    assert topics.topic("faq", "faq/guide_dog") == "导盲犬"
    reads: list[Path] = []
    real_read = Path.read_text
    monkeypatch.setattr(Path, "read_text", lambda self, *a, **k: reads.append(self) or real_read(self, *a, **k))
    assert topics.topic("faq", "faq/no_such_key") == "其他政策问题"
    assert topics.topic("faq", "faq/no_such_key") == "其他政策问题"
    assert reads == [], "nothing changed on disk: the files are not read again"
    faq.write_text(faq.read_text() + "- intent: faq/no_such_key\n  examples: |\n    - 新问题\n")
    os.utime(faq, ns=(time.time_ns() + 10**9, time.time_ns() + 10**9))  # a later modification time
    assert topics.topic("faq", "faq/no_such_key") == "导盲犬"
    assert reads, "an edited file is read again"


def _questions(texts: list[str]) -> list[Question]:
    start = datetime(2026, 11, 1, tzinfo=timezone.utc)
    return [
        Question(i + 1, text, keywords(text, USERDICT), start + timedelta(minutes=i)) for i, text in enumerate(texts)
    ]


def test_similar_questions_group_together_biggest_first() -> None:
    groups = [
        g.as_dict()
        for g in group_questions(
            _questions(
                [
                    "导盲犬能不能坐公交",
                    "明天天气怎么样",
                    "导盲犬可以上地铁吗",
                    "带导盲犬坐公交车行不行",
                    "残疾人坐高铁有优惠吗",
                    "坐高铁能打折吗",
                    "推荐一部电影",
                ]
            )
        )
    ]
    assert groups[0]["count"] == 3 and groups[0]["keywords"][0] == "导盲犬"
    assert groups[0]["outcome_ids"] == [1, 3, 4]
    assert groups[0]["examples"][0] == "带导盲犬坐公交车行不行", "newest first"
    high_speed = next(g for g in groups if "高铁" in g["keywords"])
    assert high_speed["count"] == 2
    assert sum(g["count"] for g in groups) == 7
    assert {g["key"] for g in groups} == {f"g{min(g['outcome_ids'])}" for g in groups}


def test_questions_without_keywords_group_by_text() -> None:
    now = datetime(2026, 11, 1, tzinfo=timezone.utc)
    groups = group_questions([Question(1, "啊", [], now), Question(2, "啊", [], now), Question(3, "嗯", [], now)])
    assert [len(g.questions) for g in groups] == [2, 1]
