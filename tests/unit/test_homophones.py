"""Homophone repair for the e5 features (bot/text/homophones.py): domain words heard or typed wrong."""

from __future__ import annotations

import pytest

from bot.text.homophones import repair


@pytest.mark.parametrize(
    ("heard", "meant"),
    [
        ("户理补贴给几级", "护理补贴给几级"),
        ("燃游补贴怎么领", "燃油补贴怎么领"),
        ("盲人学按魔", "盲人学按摩"),
        ("残疾人保线", "残疾人保险"),
        ("地保能领吗", "低保能领吗"),
    ],
)
def test_homophones_of_domain_words_are_repaired(heard: str, meant: str) -> None:
    assert repair(heard) == meant


@pytest.mark.parametrize("text", ["虽然有护理补贴", "狐狸跑了", "今天天气怎么样", "hello 123", ""])
def test_common_words_and_other_text_are_left_alone(text: str) -> None:
    assert repair(text) == text
