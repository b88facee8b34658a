"""The gateway's Redis client, counting its round trips (GET /metrics: `accessline_redis_round_trips`).

A round trip is one packed send on a connection: one command, or one whole pipeline or script call. The count is
per process and cheap (an integer); `bench/gateway_cpu.py` divides it by the turns it sent."""

from __future__ import annotations

from typing import Any

from redis import asyncio as redis_asyncio
from redis.asyncio.connection import Connection


class RoundTrips:
    """Round trips to Redis made by this process since it started."""

    total = 0


class CountingConnection(Connection):
    """redis-py's asyncio connection, counting each request it sends."""

    async def send_packed_command(self, command: Any, check_health: bool = True) -> None:
        RoundTrips.total += 1
        await super().send_packed_command(command, check_health)


def make_redis(url: str) -> redis_asyncio.Redis:
    """The process's shared asyncio client for `url` (plain TCP connections are counted; TLS and unix sockets keep
    redis-py's own connection classes, uncounted)."""
    if url.startswith("redis://"):
        return redis_asyncio.from_url(url, connection_class=CountingConnection)
    return redis_asyncio.from_url(url)
