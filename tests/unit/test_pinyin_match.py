"""Pinyin and English messages (bot/rules/pinyin_match.py): matched to a topic by sound or words, never guessed.

The sentences here are written for this test (not taken from the blind corpus)."""

from __future__ import annotations

import pytest

from bot.rules.pinyin_match import english_label, latin_region, looks_like_pinyin, pinyin_label


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("hulibutie zai nar ban", "faq/severe_care_subsidy"),
        ("wo xiang yao yige lunyi", "faq/assistive_devices"),
        ("ranyou butie", "faq/fuel_subsidy"),
        ("yangguang jiayuan shi shenme", "faq/care_services"),
        ("wo yao zhao rengong kefu", "request_human"),
        ("ni hao", "greet"),
    ],
)
def test_pinyin_is_matched_by_sound(text: str, label: str) -> None:
    assert looks_like_pinyin(text)
    assert pinyin_label(text) == label


@pytest.mark.parametrize("text", ["qwxz", "asdf ghjk", "wo de shouji huaile"])
def test_pinyin_without_a_clear_match_is_not_guessed(text: str) -> None:
    assert pinyin_label(text) is None


def test_pinyin_small_talk_is_not_taken_for_a_topic() -> None:
    assert not str(pinyin_label("jintian chi le ma")).startswith("faq/")


def test_english_topic_words_name_one_topic_only() -> None:
    assert not looks_like_pinyin("Where can I get a wheelchair?")
    assert english_label("Where can I get a wheelchair?") == "faq/assistive_devices"
    assert english_label("My daughter is 5 and needs rehabilitation") == "faq/child_rehabilitation"
    assert english_label("Can I talk to a real person") == "request_human"
    assert english_label("What is the weather tomorrow") == "out_of_scope"
    assert english_label("Is the office open on Sunday") is None
    assert english_label("wheelchair or hotline") is None  # two topics: not guessed


def test_region_named_in_latin_letters() -> None:
    assert latin_region("Lucheng lunyi") == "潞城区"
    assert latin_region("I live in Suifenhe") == "绥芬河市"
    assert latin_region("lunyi") is None


def test_a_life_in_danger_in_english_or_pinyin_is_danger_before_any_topic() -> None:
    assert english_label("Please help, my mother in her wheelchair fell and is not breathing") == "danger"
    assert english_label("Can you help me find a job as a wheelchair user?") != "danger"
    assert pinyin_label("jiuming a wo ba shuaidao le") == "danger"


def test_a_question_about_emergencies_is_no_emergency() -> None:
    assert english_label("I am deaf. In an emergency, how will I get warnings?") != "danger"
