"""Build the WeChat channel from the settings at start-up (None when WECHAT_TOKEN is not set)."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from bot.channels.wechat.api import WeChatAPI
from bot.channels.wechat.channel import WeChatChannel
from bot.channels.wechat.crypto import MessageCrypto
from bot.channels.wechat.failures import FailureLog
from bot.channels.wechat.freshness import ReplayGuard
from bot.channels.wechat.identity import Directory
from bot.channels.wechat.store import MemoryStore, RedisStore, TTLStore
from bot.core.config import Settings

log = logging.getLogger(__name__)


@dataclass
class WeChatEndpoint:
    """What the /wechat route needs: the token, secure mode (required when set), the body limit, the replay guard
    and the channel."""

    token: str
    crypto: MessageCrypto | None
    max_body_bytes: int
    channel: WeChatChannel
    guard: ReplayGuard


def build_wechat(state: Any, settings: Settings) -> WeChatEndpoint | None:
    """The endpoint, wired to the app's Redis, database, hub and secrets."""
    if not settings.wechat_token:
        log.info("wechat: WECHAT_TOKEN not set, /wechat is off")
        return None
    store: TTLStore
    if state.redis is not None:
        store = RedisStore(state.redis, settings.redis_key_prefix)
    else:
        store = MemoryStore()
        log.warning("wechat: REDIS_URL not set, dedupe and the access token are kept in this process only "
                    "(run one gateway worker)")  # fmt: skip
    api = None
    if settings.wechat_app_id and settings.wechat_app_secret:
        api = WeChatAPI(settings.wechat_api_base, settings.wechat_app_id, settings.wechat_app_secret, store)
    else:
        log.warning("wechat: WECHAT_APP_ID/WECHAT_APP_SECRET not set, slow replies and operator replies cannot "
                    "be pushed and voice without Recognition cannot be downloaded")  # fmt: skip
    crypto = None
    if settings.wechat_encoding_aes_key:
        crypto = MessageCrypto(settings.wechat_token, settings.wechat_encoding_aes_key, settings.wechat_app_id or "")
    directory = Directory(store, state.secrets["data_key"], state.secrets["wechat_key"])  # separate HMAC key
    channel = WeChatChannel(
        state, store, directory, api, FailureLog(state.sessions),
        settings.wechat_reply_budget_seconds, settings.wechat_dedupe_ttl_seconds,
    )  # fmt: skip
    state.hub.add_resident_listener(channel.resident_notified)
    log.info("wechat: /wechat on (%s)", "secure mode required" if crypto else "plaintext mode: no EncodingAESKey")
    guard = ReplayGuard(store, settings.wechat_timestamp_window_seconds)
    return WeChatEndpoint(settings.wechat_token, crypto, settings.wechat_max_body_bytes, channel, guard)


async def close_wechat(endpoint: WeChatEndpoint | None) -> None:
    """Let pending pushes finish, then close the API client."""
    if endpoint is None:
        return
    await endpoint.channel.drain()
    if endpoint.channel.api is not None:
        await endpoint.channel.api.close()
