"""Background delivery loop: read ticket entries from the streams, re-publish what Redis missed."""

from __future__ import annotations

import asyncio
import logging

from redis.exceptions import RedisError

from bot.escalation.service import EscalationService

log = logging.getLogger(__name__)


async def delivery_loop(escalation: EscalationService, stop: asyncio.Event, retry_seconds: float = 5.0) -> None:
    """Keep stream entries moving until `stop` is set; survives Redis outages."""
    streams = escalation.streams
    if not streams.enabled:
        return
    recovered = False
    while not stop.is_set():
        try:
            if not recovered:
                await streams.ensure_groups()
                taken = await streams.reclaim_pending()
                published = await escalation.redeliver()
                if taken or published:
                    log.info("delivery: %d pending entries taken over, %d tickets published", len(taken), published)
                recovered = True
            for _queue, ticket_id in await streams.read_new(block_ms=1000):
                log.debug("ticket %s delivered to this gateway's consoles", ticket_id)
        except (RedisError, OSError) as exc:
            if recovered:
                log.warning("delivery paused, Redis unavailable: %s", exc)
            recovered = False
            try:
                await asyncio.wait_for(stop.wait(), retry_seconds)
            except asyncio.TimeoutError:
                pass
