"""Two operators on two gateway processes claim the same ticket at the same instant: exactly one wins.

Each claimant is its own OS process talking to its own gateway process; a barrier releases both claims together,
so the two UPDATEs meet in PostgreSQL (not in one event loop, as an in-process client would make them).
"""

from __future__ import annotations

import multiprocessing
import uuid

import httpx

from tests.cluster.conftest import INTERNAL_TOKEN, PASSWORD
from tests.cluster.processes import GatewayProcess

ROUNDS = 12


def claimant(url: str, username: str, ticket_ids: list[str], barrier, results) -> None:  # noqa: ANN001 - mp types
    """Sign in, then for every ticket wait at the barrier and claim it at once; report each status code."""
    with httpx.Client(base_url=url, timeout=30) as client:
        response = client.post("/api/auth/token", data={"username": username, "password": PASSWORD})
        headers = {"Authorization": f"Bearer {response.json()['access_token']}"}
        client.get("/api/operator/tickets", headers=headers)  # warm the connection before the race
        for ticket_id in ticket_ids:
            barrier.wait(30)
            claimed = client.post(f"/api/operator/tickets/{ticket_id}/claim", headers=headers)
            results.put((ticket_id, username, claimed.status_code))


def test_simultaneous_claims_on_two_gateways_have_one_winner(gateways: tuple[GatewayProcess, GatewayProcess]) -> None:
    gateway_a, gateway_b = gateways
    ticket_ids = []
    for _ in range(ROUNDS):
        ask = {"sender_id": "r" + uuid.uuid4().hex[:12], "reason": "request"}
        opened = httpx.post(f"{gateway_a.url}/internal/tickets", headers={"X-Internal-Token": INTERNAL_TOKEN},
                            json=ask, timeout=15)  # fmt: skip
        assert opened.status_code == 200, opened.text
        ticket_ids.append(opened.json()["handoff"]["ticket_id"])

    context = multiprocessing.get_context("spawn")
    barrier, results = context.Barrier(2), context.Queue()
    workers = [
        context.Process(target=claimant, args=(gateway_a.url, "op_a", ticket_ids, barrier, results)),
        context.Process(target=claimant, args=(gateway_b.url, "op_b", ticket_ids, barrier, results)),
    ]
    for worker in workers:
        worker.start()
    outcomes = [results.get(timeout=120) for _ in range(2 * ROUNDS)]
    for worker in workers:
        worker.join(30)
        assert worker.exitcode == 0

    winners_by_ticket: dict[str, list[str]] = {t: [] for t in ticket_ids}
    for ticket_id, username, status in outcomes:
        assert status in (200, 409), (ticket_id, username, status)
        if status == 200:
            winners_by_ticket[ticket_id].append(username)
    assert all(len(w) == 1 for w in winners_by_ticket.values()), winners_by_ticket
    wins = [w[0] for w in winners_by_ticket.values()]
    print(f"{ROUNDS} races: op_a won {wins.count('op_a')}, op_b won {wins.count('op_b')}")

    queue = httpx.get(f"{gateway_b.url}/api/operator/tickets", timeout=15,
                      headers={"Authorization": "Bearer " + httpx.post(f"{gateway_b.url}/api/auth/token",
                               data={"username": "op_b", "password": PASSWORD}).json()["access_token"]})  # fmt: skip
    holders = {card["id"]: card["operator"] for card in queue.json() if card["id"] in winners_by_ticket}
    assert holders == {t: w[0] for t, w in winners_by_ticket.items()}  # the database agrees with the answers
