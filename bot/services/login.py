"""Password checks for sign-in: throttled per username and per client address, argon2 off the event loop and at
most a few at a time, and the same work for a username that does not exist (no timing oracle)."""

from __future__ import annotations

import asyncio
import secrets

from bot.core.security import hash_password, verify_password
from bot.services.rate_limit import FailureLimiter

MAX_PASSWORD_CHARS = 1024  # longer "passwords" are wrong without hashing megabytes


class LoginBusy(Exception):
    """Too many sign-ins are being checked right now; the client should retry shortly."""


class PasswordVerifier:
    """argon2 verification in worker threads, `concurrency` at a time (each takes ~64 MiB and ~0.1 s of a core).

    An unknown user is verified against a dummy hash made at start-up with the same parameters, so the answer
    costs the same whether or not the username exists."""

    def __init__(self, concurrency: int, queue_seconds: float) -> None:
        self._slots = asyncio.Semaphore(max(1, concurrency))
        self._queue_seconds = queue_seconds
        self._dummy = hash_password(secrets.token_urlsafe(24))

    async def verify(self, stored_hash: str | None, password: str) -> bool:
        """True only for an existing hash that matches. Raises LoginBusy when no slot frees up in time."""
        if len(password) > MAX_PASSWORD_CHARS:
            password = ""
        try:
            await asyncio.wait_for(self._slots.acquire(), self._queue_seconds)
        except asyncio.TimeoutError as exc:
            raise LoginBusy from exc
        try:
            matches = await asyncio.to_thread(verify_password, stored_hash or self._dummy, password)
        finally:
            self._slots.release()
        return matches and stored_hash is not None


class LoginThrottle:
    """Failed sign-ins counted per username (existing or not) and per client address."""

    def __init__(self, per_user: FailureLimiter, per_address: FailureLimiter) -> None:
        self.per_user = per_user
        self.per_address = per_address

    async def blocked(self, username: str, address: str) -> bool:
        return await self.per_user.blocked(username) or await self.per_address.blocked(address)

    async def failed(self, username: str, address: str) -> None:
        await self.per_user.record_failure(username)
        await self.per_address.record_failure(address)

    async def succeeded(self, username: str) -> None:
        await self.per_user.reset(username)

    @property
    def retry_after(self) -> int:
        return max(self.per_user.window, self.per_address.window)
