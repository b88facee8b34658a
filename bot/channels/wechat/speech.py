"""Voice messages without WeChat's own Recognition: download the AMR audio and run the voice module's speech input.

Coded against the voice module's interface: `voice.audio.decode_audio(data, fmt) -> Audio` (raises
`voice.audio.InvalidAudio`) and an engine with `availability().ok` and `transcribe(audio) -> Recognition`.
"""

from __future__ import annotations

import asyncio
import importlib
from typing import Any

from bot.channels.wechat.api import WeChatAPI, WeChatAPIError
from bot.channels.wechat.parsing import Inbound


class SpeechUnavailable(Exception):
    """No speech input here (no engine, no API credentials, audio unusable); the resident is asked to type."""


async def transcribe_voice(api: WeChatAPI | None, stt: Any, inbound: Inbound) -> str:
    """The text of a voice message, or "" when nothing was understood. Raises SpeechUnavailable."""
    if stt is None:
        raise SpeechUnavailable("no speech-input engine configured")
    availability = stt.availability()
    if not getattr(availability, "ok", False):
        raise SpeechUnavailable(f"speech input unavailable: {getattr(availability, 'reason', '')}")
    if api is None:
        raise SpeechUnavailable("WECHAT_APP_ID/WECHAT_APP_SECRET not set: cannot download the audio")
    media_id = inbound.get("MediaId")
    if not media_id:
        raise SpeechUnavailable("voice message without MediaId")
    audio_module = importlib.import_module("voice.audio")
    decode = getattr(audio_module, "decode_audio", None)
    invalid = getattr(audio_module, "InvalidAudio", ValueError)
    if decode is None:
        raise SpeechUnavailable("voice.audio.decode_audio is not available")
    try:
        data = await api.get_media(media_id)
    except WeChatAPIError as exc:
        raise SpeechUnavailable(f"media download failed: {exc.errcode}") from exc
    try:
        audio = await asyncio.to_thread(decode, data, (inbound.get("Format") or "amr").lower())
    except invalid as exc:
        raise SpeechUnavailable(f"audio not decodable: {exc}") from exc
    try:
        if asyncio.iscoroutinefunction(stt.transcribe):
            result = await stt.transcribe(audio)
        else:
            result = await asyncio.to_thread(stt.transcribe, audio)
    except RuntimeError as exc:  # the voice module's EngineUnavailable
        raise SpeechUnavailable(f"speech engine failed: {exc}") from exc
    text = (getattr(result, "text", "") or "").strip()
    if not text:
        text = " ".join(getattr(result, "keywords", None) or [])
    return text
