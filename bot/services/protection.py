"""The gateway's abuse limits and privacy helpers, built once at start-up from the settings (docs/security.md)."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass

from sqlalchemy.orm import Session, sessionmaker

from bot.core.config import Settings
from bot.core.security import FieldCipher
from bot.dialogue.tracker_expiry import TrackerExpiry
from bot.services.client_tags import ClientTags
from bot.services.conversations import ConversationKeys
from bot.services.login import LoginThrottle, PasswordVerifier
from bot.services.rate_limit import FailureLimiter, LimiterGroup

log = logging.getLogger(__name__)
HOUSEKEEPING_SECONDS = 3600


@dataclass
class Protection:
    status_limits: LimiterGroup
    login_throttle: LoginThrottle
    password_verifier: PasswordVerifier
    client_tags: ClientTags
    conversations: ConversationKeys
    tracker_expiry: TrackerExpiry


def build_protection(
    settings: Settings, redis, sessions: sessionmaker[Session], cipher: FieldCipher, data_key: str
) -> Protection:  # noqa: ANN001 - redis.asyncio.Redis or None
    """Limits count in Redis when configured, else in the database; subjects are stored as keyed hashes."""
    prefix = f"{settings.redis_key_prefix}:ratelimit"

    def limiter(name: str, limit: int, window: int) -> FailureLimiter:
        return FailureLimiter(redis, limit, window, f"{prefix}:{name}", sessions=sessions, hasher=cipher.lookup_hash)

    status_window = settings.status_query_window_seconds
    status_limits = LimiterGroup(
        {
            "sender": limiter("status-sender", settings.status_query_max_failures, status_window),
            "reference": limiter(
                "status-reference",
                settings.status_query_reference_max_failures,
                settings.status_query_reference_window_seconds,
            ),
            "client": limiter("status-client", settings.status_query_client_max_failures, status_window),
        }
    )
    login_throttle = LoginThrottle(
        limiter("login-user", settings.login_max_failures_per_user, settings.login_window_seconds),
        limiter("login-address", settings.login_max_failures_per_address, settings.login_window_seconds),
    )
    return Protection(
        status_limits=status_limits,
        login_throttle=login_throttle,
        password_verifier=PasswordVerifier(settings.login_concurrency, settings.login_queue_seconds),
        client_tags=ClientTags(data_key, settings.client_tag_max_age_seconds),
        conversations=ConversationKeys(sessions, settings.conversation_key_days),
        tracker_expiry=TrackerExpiry(
            redis,
            settings.redis_key_prefix,
            settings.redis_key_prefix,
            settings.tracker_personal_data_seconds,
            settings.tracker_expiry_seconds,
        ),
    )


async def housekeeping(protection: Protection, stop: asyncio.Event) -> None:
    """Every hour: forget conversation keys past their retention."""
    while not stop.is_set():
        try:
            removed = await asyncio.to_thread(protection.conversations.prune)
            if removed:
                log.info("conversation keys pruned: %d", removed)
        except Exception as exc:  # noqa: BLE001 - database down: try again next hour
            log.warning("conversation keys not pruned: %s", type(exc).__name__)
        try:
            await asyncio.wait_for(stop.wait(), HOUSEKEEPING_SECONDS)
        except asyncio.TimeoutError:
            pass
