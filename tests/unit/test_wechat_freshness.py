"""The WeChat timestamp window's edges, on a fixed clock (the end-to-end tests keep a margin for a loaded machine)."""

from __future__ import annotations

import pytest

from bot.channels.wechat.freshness import Refused, ReplayGuard

NOW = 1_800_000_000


def guard(window: float = 300) -> ReplayGuard:
    return ReplayGuard(store=None, window=window, clock=lambda: float(NOW))  # type: ignore[arg-type]


@pytest.mark.parametrize("offset", [-300, -1, 0, 1, 300])
def test_timestamps_within_the_window_either_way_are_fresh(offset: int) -> None:
    guard().check_fresh(str(NOW + offset))


@pytest.mark.parametrize("offset", [-301, 301, -(10**6)])
def test_timestamps_one_second_outside_the_window_are_refused(offset: int) -> None:
    with pytest.raises(Refused, match="stale"):
        guard().check_fresh(str(NOW + offset))


@pytest.mark.parametrize("timestamp", ["", "not-a-time", "-5", "1" * 13, "１８００", "²"])
def test_malformed_timestamps_are_refused(timestamp: str) -> None:
    with pytest.raises(Refused):
        guard().check_fresh(timestamp)
