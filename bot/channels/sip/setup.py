"""Start and stop the SIP endpoint inside the gateway process when SIP_LISTEN is set (docs/telephony.md)."""

from __future__ import annotations

import asyncio
import hashlib
import logging
import socket
from typing import Any

from bot.channels.sip.config import SipConfig
from bot.channels.sip.endpoint import SipEndpoint
from bot.channels.voice_call import texts
from bot.channels.voice_call.core import CallServices
from voice.normalize import normalize_for_speech

log = logging.getLogger(__name__)


def caller_sender_id(lookup_hash: Any, number: str | None, call_id: str) -> str:
    """The conversation of a phone call: keyed by the caller's number (as a keyed hash, so the number is never in
    Redis keys, logs or URLs) so that a caller who rings again continues; by the Call-ID when there is no number."""
    if number:
        return "tel-" + lookup_hash("tel:" + number.lstrip("+"))[:32]
    return "sip-" + hashlib.sha256(call_id.encode()).hexdigest()[:32]


def _welcome(tts: Any, rate: int) -> bytes | None:
    """The first words of every call, synthesised once so that answering never waits for the TTS engine."""
    if not tts.availability().ok:
        return None
    return tts.synthesize(normalize_for_speech(texts.WELCOME), rate).resampled(8000).pcm


async def start_sip(state: Any, settings: Any) -> SipEndpoint | None:
    """Bind the endpoint when configured; None when SIP_LISTEN is unset."""
    if not settings.sip_listen:
        return None
    config = SipConfig.from_settings(settings)
    welcome = await asyncio.to_thread(_welcome, state.tts, config.rate)
    endpoint = SipEndpoint(
        config,
        CallServices.from_state(state),
        lambda number, call_id: caller_sender_id(state.cipher.lookup_hash, number, call_id),
        welcome,
    )
    family = socket.AF_INET6 if ":" in config.host else socket.AF_INET
    loop = asyncio.get_running_loop()
    await loop.create_datagram_endpoint(lambda: endpoint, local_addr=(config.host, config.port), family=family)
    endpoint.start_media()
    log.info(
        "SIP endpoint on udp %s:%d (allow %s; RTP %d-%d; transfer queues %s)",
        config.host, config.port, ", ".join(str(n) for n in config.allow), *config.rtp_ports,
        ", ".join(sorted(config.agent_uris)) or "none",
    )  # fmt: skip
    return endpoint


async def stop_sip(endpoint: SipEndpoint | None) -> None:
    if endpoint is not None:
        await endpoint.close()
