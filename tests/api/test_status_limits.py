"""Status queries (issue 11, item 4): wrong answers are counted per reference and per client, not only per
conversation id, so a new sender_id buys no new guesses; counts live in Redis when configured, else in the database.
The action server passes back the client tag the gateway signed; a missing or forged tag counts as "unverified"."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from bot.main import create_app
from tests.api.conftest import INTERNAL, REDIS_URL, create_users, make_settings
from tests.api.test_applications_api import submission
from tests.conftest import scoped_redis_prefix


@pytest.fixture(params=["database", "redis"])
def gateway(request, database_url, tmp_path) -> Iterator[TestClient]:
    """The gateway with its limits in the database (no REDIS_URL) or in the shared Redis (own key prefix)."""
    create_users(database_url)
    if request.param == "database":
        with TestClient(create_app(make_settings(database_url, tmp_path))) as client:
            yield client
        return
    prefixes = scoped_redis_prefix(REDIS_URL, "allim")
    settings = make_settings(database_url, tmp_path, REDIS_URL, next(prefixes))
    with TestClient(create_app(settings)) as client:
        yield client
    next(prefixes, None)  # deletes the prefix's keys


def stored_reference(client: TestClient, key: str = "form-token-limits") -> str:
    response = client.post("/internal/applications", json=submission(idempotency_key=key), headers=INTERNAL)
    assert response.status_code == 201, response.text
    return response.json()["reference"]


def ask(client: TestClient, sender: str, reference: str, last4: str, client_tag: str | None = None) -> dict:
    body = {"sender_id": sender, "reference": reference, "phone_last4": last4, "client": client_tag}
    response = client.post("/internal/applications/status", json=body, headers=INTERNAL)
    assert response.status_code == 200, response.text
    return response.json()


def test_six_wrong_guesses_from_six_conversations_are_locked_out(gateway) -> None:
    reference = stored_reference(gateway)
    for i in range(5):
        assert ask(gateway, f"guesser{i}", reference, f"{i:04d}") == {"found": False, "blocked": False}
    sixth = ask(gateway, "guesser5", reference, "8000")  # the right answer, from a sixth conversation
    assert sixth == {"found": False, "blocked": True}, "the reference is locked, whoever asks"
    other = stored_reference(gateway, "form-token-other")
    assert ask(gateway, "someone-else", other, "8000")["found"] is True, "other references are not affected"


def test_one_client_cannot_spread_guesses_over_references(gateway) -> None:
    tags = gateway.app.state.client_tags
    reference = stored_reference(gateway)
    for i in range(10):
        sender = f"spreader{i}"
        tag = tags.sign(sender, "addr:203.0.113.7")
        assert ask(gateway, sender, str(20_000_000 + i), "0000", tag)["found"] is False
    again = ask(gateway, "spreader10", reference, "8000", tags.sign("spreader10", "addr:203.0.113.7"))
    assert again["blocked"] is True, "the address is locked after 10 wrong answers"
    elsewhere = ask(gateway, "neighbour", reference, "8000", tags.sign("neighbour", "addr:198.51.100.9"))
    assert elsewhere["found"] is True, "another address is not"


def test_forged_and_borrowed_tags_all_count_as_one_unverified_client(gateway) -> None:
    tags = gateway.app.state.client_tags
    reference = stored_reference(gateway)
    borrowed = tags.sign("victim", "addr:192.0.2.1")  # a genuine tag, but for another conversation
    forged = [borrowed] + [f"1700000000.{i:032x}.{'0' * 32}" for i in range(9)]
    for i, tag in enumerate(forged):
        assert ask(gateway, f"forger{i}", str(30_000_000 + i), "0000", tag)["found"] is False
    assert ask(gateway, "forger10", reference, "8000", "not-a-tag")["blocked"] is True
    assert ask(gateway, "honest", reference, "8000", tags.sign("honest", "addr:192.0.2.2"))["found"] is True


def test_counts_in_the_database_are_shared_by_gateway_processes(database_url, tmp_path) -> None:
    """Without Redis, two gateways on one database see the same failures (not each its own memory)."""
    create_users(database_url)
    with TestClient(create_app(make_settings(database_url, tmp_path))) as first:
        reference = stored_reference(first)
        for i in range(5):
            ask(first, f"guesser{i}", reference, f"{i:04d}")
    with TestClient(create_app(make_settings(database_url, tmp_path))) as second:
        assert ask(second, "guesser5", reference, "8000")["blocked"] is True
