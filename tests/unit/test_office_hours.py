"""Office hours as promises: when a line opens next, the SLA counted in open hours only, the open lines now."""

from datetime import datetime

from bot.escalation.promises import describe, when_text
from bot.rules.routing import RoutingTable

TABLE = RoutingTable.load()


def at(text: str) -> datetime:
    return datetime.fromisoformat(text)


def test_next_opening_after_hours_and_over_the_weekend() -> None:
    assert TABLE.next_open("12385", at("2026-11-30T22:00:00+08:00")) == at("2026-12-01T08:30:00+08:00")
    assert TABLE.next_open("12385", at("2026-12-05T10:00:00+08:00")) == at("2026-12-07T08:30:00+08:00")  # Sat
    assert TABLE.next_open("12345", at("2026-12-05T03:00:00+08:00")) == at("2026-12-05T03:00:00+08:00")


def test_sla_deadline_skips_closed_hours() -> None:
    friday_late = at("2026-12-04T17:29:00+08:00")  # one open minute left on Friday, two more on Monday
    assert TABLE.sla_due("12385", friday_late) == at("2026-12-07T08:32:00+08:00")
    assert TABLE.sla_due("12345", friday_late) == at("2026-12-04T17:32:00+08:00")  # open around the clock


def test_open_lines_name_what_a_resident_can_call_now() -> None:
    night = at("2026-11-30T22:00:00+08:00")
    assert TABLE.open_lines(None, night, besides="12385") == ["12345"]
    assert TABLE.open_lines("潞城区", night, besides="12345") == []  # 潞城 has only 12345


def test_times_are_said_the_way_residents_say_them() -> None:
    now = at("2026-12-05T10:00:00+08:00")
    assert when_text(at("2026-12-05T17:30:00+08:00"), now) == "今天17:30"
    assert when_text(at("2026-12-06T08:30:00+08:00"), now) == "明天08:30"
    assert when_text(at("2026-12-07T08:30:00+08:00"), now) == "12月7日（星期一）08:30"


def test_no_place_is_promised_in_a_crisis_or_on_a_closed_line() -> None:
    night = at("2026-11-30T22:00:00+08:00")
    crisis = describe(TABLE, ticket_id="T", queue="emergency", priority="emergency", status="waiting", region=None,
                      position=4, now=night)  # fmt: skip
    closed = describe(TABLE, ticket_id="T", queue="12385", priority="normal", status="waiting", region=None,
                      position=4, now=night)  # fmt: skip
    assert crisis.position is None and closed.position is None
    assert "4" not in crisis.banner and "排第" not in closed.banner
