"""Danger kinds read from blind b7's misses (2026-12-02 evening), tested in other words: a person in a ditch, joining
a spouse who died, a threat to die, and a fire that has burnt out with nobody hurt (not an emergency now)."""

from __future__ import annotations

import pytest

from bot.rules.danger import assess


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("我妈推着轮椅滑到水渠里了 我拽不上来", "water"),
        ("老头子开着三轮 连人带车栽进河沟了 人在里头扑腾", "water"),
        ("俺老伴去年没了 这几天我总想去陪他了", "self_harm"),
        ("媳妇走了三年了 俺也想去找她了", "self_harm"),
        ("你们再不给办 我就死给你们看", "self_harm"),
    ],
)
def test_these_are_emergencies(text: str, kind: str) -> None:
    found = assess(text)
    assert found is not None and found.kind == kind, (text, found)


@pytest.mark.parametrize(
    "text",
    [
        "前几天家里失火 屋里东西都烧光了人没事 现在住哪有补助吗",
        "我爸走了 我想去找他以前的工友问问工伤的事",
        "轮椅过村口那条水沟边上的路太窄 能修一修不",
        "万一孩子掉水沟里了该咋办",
    ],
)
def test_these_are_not(text: str) -> None:
    assert assess(text) is None, (text, assess(text))
