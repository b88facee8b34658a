"""The per-conversation ticket markers in Redis (bot/escalation/ticket_markers.py): set when a ticket is stored, read
per turn, trusted only once complete (the backfill of tickets stored before the markers existed, and again after Redis
lost its data), a failed write caught up by the next sync; without Redis the database answers."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from datetime import datetime, timezone

import pytest
from redis import asyncio as redis_asyncio
from sqlalchemy import create_engine
from sqlalchemy.orm import sessionmaker

from bot.escalation.ticket_markers import TicketMarkers, answer, marker_key, ready_key
from bot.services.ticket_checks import TicketChecks
from bot.storage.models import Base, Ticket
from tests.conftest import TEST_REDIS_URL, scoped_redis_prefix


@pytest.fixture()
def prefix() -> Iterator[str]:
    yield from scoped_redis_prefix(TEST_REDIS_URL, "almark")


@pytest.fixture()
def engine(tmp_path):  # noqa: ANN201
    engine = create_engine(f"sqlite:///{tmp_path / 'markers.db'}")
    Base.metadata.create_all(engine)
    yield engine
    engine.dispose()


def store_ticket(engine, sender_id: str, number: int) -> None:  # noqa: ANN001
    """A ticket row written straight to the database, as before the markers existed (no marker set)."""
    now = datetime.now(timezone.utc)
    with sessionmaker(engine)() as session:
        session.add(Ticket(id=f"T{number:06d}", queue="12385", priority="normal", sender_id=sender_id,
                           reason="request", created_at=now, sla_due_at=now))  # fmt: skip
        session.commit()


def run(engine, prefix: str, steps, redis_url: str | None = TEST_REDIS_URL):  # noqa: ANN001, ANN201
    """Run `steps(markers, redis)` on a fresh event loop with its own Redis client."""

    async def main():  # noqa: ANN202
        client = redis_asyncio.from_url(redis_url) if redis_url else None
        try:
            return await steps(TicketMarkers(client, prefix, sessionmaker(engine)), client)
        finally:
            if client is not None:
                await client.aclose()

    return asyncio.run(main())


def test_answer_trusts_a_marker_only_when_the_markers_are_complete() -> None:
    assert answer(None, b"1") is None and answer(None, None) is None
    assert answer(b"2026-12-03T00:00:00", b"1") is True
    assert answer(b"2026-12-03T00:00:00", None) is False


def test_a_ticket_opened_sets_the_marker_every_gateway_reads(engine, prefix) -> None:
    async def steps(markers: TicketMarkers, _redis) -> list:  # noqa: ANN001
        assert await markers.sync() == 0  # nothing to backfill: the markers are complete from now on
        before = await markers.read("resident-a")
        await markers.opened("resident-a")
        other_gateway = TicketMarkers(_redis, prefix, sessionmaker(engine))
        return [before, await markers.read("resident-a"), await other_gateway.read("resident-a"),
                await other_gateway.read("resident-b")]  # fmt: skip

    assert run(engine, prefix, steps) == [False, True, True, False]


def test_before_the_backfill_the_markers_are_not_trusted_and_the_database_answers(engine, prefix) -> None:
    store_ticket(engine, "had-one-before", 1)

    async def steps(markers: TicketMarkers, _redis) -> list:  # noqa: ANN001
        checks = TicketChecks(engine, markers)
        return [await markers.read("had-one-before"), await checks.any_ticket("had-one-before"),
                await checks.any_ticket("never-had-one")]  # fmt: skip

    assert run(engine, prefix, steps) == [None, True, False]


def test_the_backfill_marks_every_conversation_that_had_a_ticket(engine, prefix) -> None:
    for number, sender in enumerate(["old-1", "old-2", "old-1"]):
        store_ticket(engine, sender, number)

    async def steps(markers: TicketMarkers, redis) -> list:  # noqa: ANN001
        written = await markers.sync()
        return [written, await markers.read("old-1"), await markers.read("old-2"), await markers.read("new"),
                bool(await redis.exists(ready_key(prefix)))]  # fmt: skip

    assert run(engine, prefix, steps) == [2, True, True, False, True]


def test_a_marker_whose_write_failed_is_written_by_the_next_sync(engine, prefix) -> None:
    async def steps(markers: TicketMarkers, _redis) -> list:  # noqa: ANN001
        await markers.sync()
        store_ticket(engine, "redis-was-away", 7)  # stored while the marker could not be written
        stale = await markers.read("redis-was-away")
        await markers.sync()  # incremental: the tickets since the last sync
        return [stale, await markers.read("redis-was-away")]

    assert run(engine, prefix, steps) == [False, True]


def test_after_redis_lost_its_data_the_database_answers_until_the_backfill_ran_again(engine, prefix) -> None:
    store_ticket(engine, "kept", 1)

    async def steps(markers: TicketMarkers, redis) -> list:  # noqa: ANN001
        await markers.sync()
        await redis.delete(ready_key(prefix), marker_key(prefix, "kept"))  # a flush / a restart without persistence
        lost = await markers.read("kept")
        await markers.sync()
        return [lost, await TicketChecks(engine, markers).any_ticket("kept"), await markers.read("kept")]

    assert run(engine, prefix, steps) == [None, True, True]


def test_a_backfill_cut_by_a_flush_does_not_declare_the_markers_complete(engine, prefix, monkeypatch) -> None:
    store_ticket(engine, "cut", 1)

    async def steps(markers: TicketMarkers, redis) -> list:  # noqa: ANN001
        senders = markers._senders

        def flush_meanwhile(since):  # noqa: ANN001, ANN202
            found = senders(since)
            asyncio.run_coroutine_threadsafe(redis.delete(f"{ready_key(prefix)}:backfill"), loop).result()
            return found

        loop = asyncio.get_running_loop()
        monkeypatch.setattr(markers, "_senders", flush_meanwhile)
        await markers.sync()
        return [bool(await redis.exists(ready_key(prefix))), await markers.read("cut")]

    assert run(engine, prefix, steps) == [False, None]


def test_without_redis_every_answer_comes_from_the_database(engine) -> None:
    store_ticket(engine, "db-only", 1)

    async def steps(markers: TicketMarkers, _redis) -> list:  # noqa: ANN001
        checks = TicketChecks(engine, markers)
        return [markers.keys("db-only"), await markers.read("db-only"), await markers.sync(),
                await markers.opened("db-only"), await checks.any_ticket("db-only"),
                await checks.any_ticket("someone-else")]  # fmt: skip

    assert run(engine, "unused", steps, redis_url=None) == [[], None, None, False, True, False]


def test_a_known_answer_is_taken_as_it_is(engine) -> None:
    store_ticket(engine, "known", 1)

    async def steps(markers: TicketMarkers, _redis) -> list:  # noqa: ANN001
        checks = TicketChecks(engine, markers)
        return [await checks.any_ticket("known", False), await checks.any_ticket("nobody", True)]

    assert run(engine, "unused", steps, redis_url=None) == [False, True]
