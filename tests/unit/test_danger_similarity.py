"""The semantic safety net's decision (bot/nlu/danger_similarity.py): near a danger sentence and clearly nearer to it
than to any ordinary one; self-harm when the nearest danger sentence is; short texts not judged. A stand-in encoder
(one axis per keyword) replaces e5, so the thresholds are tested, not the model; the real sentences file is read."""

from __future__ import annotations

import numpy as np
import pytest

from bot.nlu.danger_similarity import EXEMPLARS, MARGIN, NEAR, DangerSimilarity

AXES = ["摔", "血", "死", "补贴", "天气"]


def keyword_vectors(texts: list[str]) -> np.ndarray:
    """Each text → counts of the keywords it holds, plus a small constant so no vector is zero."""
    out = np.full((len(texts), len(AXES) + 1), 0.05, np.float32)
    for row, text in enumerate(texts):
        for column, word in enumerate(AXES):
            out[row, column] += text.count(word)
    return out


@pytest.fixture
def similarity() -> DangerSimilarity:
    return DangerSimilarity(
        harm=["我妈摔了起不来", "流了好多血"], self_harm=["我想死"], ordinary=["补贴怎么领", "明天天气"],
        encode=keyword_vectors,
    )  # fmt: skip


def test_a_message_near_danger_sounds_dangerous(similarity) -> None:
    near = similarity.nearness("老头子摔地上了 爬不起来")
    assert near is not None and near.danger >= NEAR and near.danger - near.ordinary >= MARGIN
    assert near.sounds_dangerous and not near.self_harm


def test_self_harm_is_told_apart(similarity) -> None:
    near = similarity.nearness("我真的不想活了 想死")
    assert near is not None and near.sounds_dangerous and near.self_harm


def test_an_ordinary_question_does_not(similarity) -> None:
    near = similarity.nearness("护理补贴一个月多少钱")
    assert near is not None and not near.sounds_dangerous


def test_as_near_to_an_ordinary_sentence_is_not_enough(similarity) -> None:
    near = similarity.nearness("摔伤了有补贴吗")  # one danger word, one ordinary: the margin decides
    assert near is not None and not near.sounds_dangerous


def test_too_short_to_judge(similarity) -> None:
    assert similarity.nearness("摔 了") is None


def test_the_sentences_file_has_every_part() -> None:
    loaded = DangerSimilarity.from_file(EXEMPLARS, encode=keyword_vectors)
    assert loaded.nearness("我妈摔了 流血了") is not None


def test_exemplars_needed() -> None:
    with pytest.raises(ValueError):
        DangerSimilarity([], [], ["补贴"], keyword_vectors)
