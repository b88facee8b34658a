"""Issue 12: a hand-over from an unknown region is made at once; the region the resident names afterwards moves the
waiting ticket to that region's line. The pure parts: which line a ticket moves to, what the resident is told, and
the stored move (a claimed ticket is never moved, whatever the order of claim and move)."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from sqlalchemy import select

from bot.core.security import FieldCipher
from bot.escalation import tickets
from bot.escalation.promises import describe, handover_words, may_still_move, region_move_words
from bot.escalation.region_move import named_region
from bot.rules.routing import load_routing
from bot.storage import migrate
from bot.storage.db import make_engine, make_session_factory
from bot.storage.models import AuditEntry, Ticket

ROUTING = load_routing(str(Path(__file__).resolve().parents[2] / "config" / "escalation.yml"))
TUESDAY_MORNING = datetime(2026, 12, 1, 2, 0, tzinfo=timezone.utc)  # 10:00 in China: every line open
MONDAY_NIGHT = datetime(2026, 11, 30, 14, 0, tzinfo=timezone.utc)  # 22:00: 12385 closed, 12345 open


def test_a_ticket_moves_to_the_named_regions_line_for_the_same_matter() -> None:
    assert ROUTING.queue_in_region("12385", "潞城区") == "12345", "潞城区's plan names only 12345"
    assert ROUTING.queue_in_region("12385", "绥芬河市") == "12385"
    assert ROUTING.queue_in_region("12345", "绥芬河市") == "12345", "a general matter stays on 12345"
    assert ROUTING.queue_in_region("emergency", "潞城区") is None, "danger is never moved"
    assert ROUTING.queue_in_region("12385", "北京市") is None
    assert ROUTING.queue_in_region("12385", "default") is None


@pytest.mark.parametrize(
    ("text", "region"),
    [
        ('/inform_region{"region": "潞城区"}', "潞城区"),  # the region button
        ("潞城区", "潞城区"),
        ("俺在绥芬河", "绥芬河市"),
        ("店上镇的", "潞城区"),  # a town of 潞城区's plan
        ("我的电话是0355-5551234", "潞城区"),  # 长治's area code
        ("身份证231081195001010012", "绥芬河市"),  # 231081: 绥芬河's ID prefix
        ("我想问一下护理补贴", None),
        ("北京市朝阳区", None),
    ],
)
def test_the_region_is_read_with_the_one_parser_of_region_mentions(text: str, region: str | None) -> None:
    assert named_region(text, ROUTING.served) == region


def test_a_single_region_deployment_reads_no_other_region() -> None:
    assert named_region("潞城区", ("绥芬河市",)) is None


def _handoff(queue: str, now: datetime, position: int = 1, moved_from: str | None = None):
    return describe(ROUTING, ticket_id="T1", queue=queue, priority="high", status="waiting", region="潞城区",
                    position=position, now=now, transferred_from=moved_from)  # fmt: skip


def test_the_resident_is_told_which_line_has_them_now() -> None:
    handoff = _handoff("12345", TUESDAY_MORNING, position=2, moved_from="12385")
    words = region_move_words(ROUTING, handoff, "潞城区", moved=True)
    assert words == ["好的，您在潞城区。已经为您转到当地的12345政务服务便民热线。您排第2位，大约等8分钟。"]
    assert handoff.region == "潞城区" and "从12385残疾人服务热线转到12345政务服务便民热线" in handoff.banner

    stays = region_move_words(ROUTING, _handoff("12385", TUESDAY_MORNING), "绥芬河市", moved=False)
    assert stays[0].startswith("好的，您在绥芬河市。12385残疾人服务热线就是您当地的热线。")


def test_a_line_closed_for_the_night_is_told_in_full_only_when_it_is_a_new_line() -> None:
    handoff = _handoff("12385", MONDAY_NIGHT)
    assert handoff.state == "closed"
    same = region_move_words(ROUTING, handoff, "绥芬河市", moved=False)
    assert same == ["好的，您在绥芬河市。12385残疾人服务热线就是您当地的热线。"], "the hand-over already said the rest"
    new = region_move_words(ROUTING, handoff, "绥芬河市", moved=True)
    assert "已经为您转到当地的12385残疾人服务热线" in new[0] and any("下班时间" in w for w in new[1:])
    assert not any("排第" in w for w in new), "no queue place while nobody is on duty"


@pytest.fixture()
def sessions(tmp_path: Path):
    url = f"sqlite:///{tmp_path / 'move.db'}"
    migrate.upgrade(url)
    engine = make_engine(url)
    yield make_session_factory(engine)
    engine.dispose()


def _ticket(sessions, reason: str = "request", region: str | None = None, channel: str = "web") -> str:
    cipher = FieldCipher(Fernet.generate_key().decode())
    with sessions() as session:
        ticket = tickets.create_ticket(session, cipher, ROUTING, sender_id="s1", reason=reason, region=region,
                                       channel=channel, topic=None, summary={}, transcript=[])  # fmt: skip
        return ticket.id


def test_a_waiting_ticket_moves_once_and_the_move_is_audited(sessions) -> None:
    ticket_id = _ticket(sessions, reason="complaint")
    with sessions() as session:
        ticket = session.get(Ticket, ticket_id)
        assert tickets.move_to_region(session, ROUTING, ticket, "潞城区") == "12385"
        assert (ticket.queue, ticket.region, ticket.priority) == ("12345", "潞城区", "high")
        audit = session.scalar(select(AuditEntry).where(AuditEntry.target == ticket_id))
        assert audit.action == tickets.REGION_MOVE and audit.details == {"from": "12385", "to": "12345",
                                                                          "region": "潞城区"}  # fmt: skip
        assert tickets.move_to_region(session, ROUTING, ticket, "绥芬河市") is None, "the region is known now"
        assert ticket.queue == "12345"


def test_a_claimed_ticket_is_never_moved_even_when_the_claim_comes_between_read_and_move(sessions) -> None:
    ticket_id = _ticket(sessions)
    with sessions() as reader, sessions() as operator:
        ticket = reader.get(Ticket, ticket_id)  # the resident's turn has read the waiting ticket …
        assert tickets.claim(operator, ticket_id, "op1")  # … and an operator claims it before the move
        assert tickets.move_to_region(reader, ROUTING, ticket, "潞城区") is None
    with sessions() as session:
        stored = session.get(Ticket, ticket_id)
        assert (stored.queue, stored.region, stored.status) == ("12385", None, "assigned")


@pytest.mark.parametrize(
    ("reason", "region", "channel"),
    [("danger", None, "web"), ("request", "绥芬河市", "web"), ("request", None, "phone"), ("request", None, "voice")],
)
def test_emergencies_known_regions_and_calls_put_through_stay(sessions, reason, region, channel) -> None:
    ticket_id = _ticket(sessions, reason=reason, region=region, channel=channel)
    with sessions() as session:
        ticket = session.get(Ticket, ticket_id)
        before = ticket.queue
        assert tickets.move_to_region(session, ROUTING, ticket, "潞城区") is None
        assert session.get(Ticket, ticket_id).queue == before


def test_a_line_that_may_still_move_is_not_named_until_the_region_is_known() -> None:
    """A 潞城区 resident must not be told "12385" (their plan names only 12345) before they have said where they are;
    a line every region shares, or a known region's own line, is named."""
    unknown = describe(ROUTING, ticket_id="T1", queue="12385", priority="high", status="waiting", region=None,
                       position=2, now=TUESDAY_MORNING)  # fmt: skip
    words = " ".join(handover_words(ROUTING, unknown))
    assert "正在为您转接人工客服" in words and "12385" not in words, words
    assert "12385" not in unknown.banner and "12385" not in unknown.ack
    assert may_still_move(ROUTING, "12385", None) and not may_still_move(ROUTING, "12385", "绥芬河市")
    assert not may_still_move(ROUTING, "12345", None), "every region has 12345 for this matter"
    assert not may_still_move(ROUTING, "emergency", None)
    known = describe(ROUTING, ticket_id="T1", queue="12385", priority="high", status="waiting", region="绥芬河市",
                     position=2, now=TUESDAY_MORNING)  # fmt: skip
    assert "12385" in " ".join(handover_words(ROUTING, known))
