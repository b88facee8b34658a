"""Sign-in and tokens (issue 11, items 6 and 9): no timing oracle for unknown users, throttling per username and
per address, bounded argon2 work off the event loop, and tokens that stop working when their user is deactivated,
signs out or gets a new password."""

from __future__ import annotations

import asyncio
import threading
import time

import pytest
from argon2 import PasswordHasher
from sqlalchemy import update

from bot.cli import create_user
from bot.storage.models import User
from tests.api.conftest import PASSWORD, login


def sign_in(client, username: str, password: str = PASSWORD):
    return client.post("/api/auth/token", data={"username": username, "password": password})


@pytest.fixture()
def verify_calls(monkeypatch) -> list[dict]:
    """Every argon2 verification: which hash, whether it ran on an event loop, how many ran at the same time."""
    calls: list[dict] = []
    running = [0]
    lock = threading.Lock()
    real_verify = PasswordHasher.verify

    def recording_verify(self, hash_, password):  # noqa: ANN001
        try:
            asyncio.get_running_loop()
            on_loop = True
        except RuntimeError:
            on_loop = False
        with lock:
            running[0] += 1
            calls.append({"hash": hash_, "on_loop": on_loop, "concurrent": running[0]})
        try:
            time.sleep(0.15)  # long enough for concurrent sign-ins to overlap
            return real_verify(self, hash_, password)
        finally:
            with lock:
                running[0] -= 1

    monkeypatch.setattr(PasswordHasher, "verify", recording_verify)
    return calls


def test_unknown_user_costs_a_password_check_like_a_known_one(client, verify_calls) -> None:
    assert sign_in(client, "nobody-here", "whatever password").status_code == 401
    assert len(verify_calls) == 1, "an unknown username is checked against a dummy hash, not answered at once"
    assert verify_calls[0]["hash"].startswith("$argon2"), "the dummy is a real argon2 hash with the same cost"
    with client.app.state.sessions() as session:
        real_hashes = {u.password_hash for u in session.query(User)}
    assert verify_calls[0]["hash"] not in real_hashes
    verify_calls.clear()
    assert sign_in(client, "op1", "wrong password!").status_code == 401
    assert len(verify_calls) == 1


def test_wrong_passwords_for_one_username_are_throttled(client) -> None:
    for _ in range(5):
        assert sign_in(client, "op1", "wrong password!").status_code == 401
    blocked = sign_in(client, "op1")
    assert blocked.status_code == 429, "even the right password waits until the window has passed"
    assert int(blocked.headers["Retry-After"]) > 0
    assert sign_in(client, "admin1").status_code == 200, "other users of the same address are not locked out"
    for _ in range(5):
        sign_in(client, "nobody-here", "x")
    assert sign_in(client, "nobody-here", "x").status_code == 429, "unknown names are throttled the same way"


def test_many_usernames_from_one_address_are_throttled(client) -> None:
    for i in range(20):
        assert sign_in(client, f"guess{i}", "password123").status_code == 401
    assert sign_in(client, "op1").status_code == 429


def test_argon2_runs_off_the_event_loop_and_at_most_two_at_a_time(client, verify_calls) -> None:
    results: list[int] = []
    barrier = threading.Barrier(6)

    def attempt() -> None:
        barrier.wait()
        results.append(sign_in(client, "admin1").status_code)

    threads = [threading.Thread(target=attempt) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == [200] * 6
    assert len(verify_calls) == 6
    assert max(c["concurrent"] for c in verify_calls) <= 2, "LOGIN_CONCURRENCY (default 2) checks at a time"
    assert not any(c["on_loop"] for c in verify_calls), "argon2 never blocks the event loop"


def test_a_deactivated_user_is_refused_with_a_token_still_valid(client) -> None:
    headers = login(client, "op1")
    assert client.get("/api/operator/tickets", headers=headers).status_code == 200
    with client.app.state.sessions() as session:
        session.execute(update(User).where(User.username == "op1").values(active=False))
        session.commit()
    assert client.get("/api/operator/tickets", headers=headers).status_code == 401


def test_the_role_comes_from_the_database_not_the_token(client) -> None:
    headers = login(client, "op1")
    with client.app.state.sessions() as session:
        session.execute(update(User).where(User.username == "op1").values(role="staff"))
        session.commit()
    assert client.get("/api/operator/tickets", headers=headers).status_code == 403


def test_logout_revokes_every_token_of_the_user(client) -> None:
    first, second = login(client, "op1"), login(client, "op1")
    assert client.post("/api/auth/logout", headers=first).status_code == 204
    assert client.get("/api/operator/tickets", headers=first).status_code == 401
    assert client.get("/api/operator/tickets", headers=second).status_code == 401
    assert client.post("/api/auth/logout", headers=first).status_code == 401
    assert client.get("/api/operator/tickets", headers=login(client, "op1")).status_code == 200, "sign in again"


def test_a_new_password_revokes_old_tokens(client, database_url) -> None:
    headers = login(client, "op1")
    create_user("op1", "operator", PASSWORD, database_url)
    assert client.get("/api/operator/tickets", headers=headers).status_code == 401
