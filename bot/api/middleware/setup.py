"""Install the edge middleware on the gateway app, configured from the settings (one place, read once)."""

from __future__ import annotations

from fastapi import FastAPI

from bot.api.middleware.body_limit import BodySizeLimit
from bot.api.middleware.headers import SecurityHeaders
from bot.core.config import Settings


def body_limits(settings: Settings) -> list[tuple[str, int]]:
    """Path prefix → largest body accepted. A JSON /turn carries the audio as base64 (4/3 of its size)."""
    upload = settings.voice_max_upload_bytes
    return [
        ("/api/chat", settings.chat_max_body_bytes),
        ("/api/voice/stt", upload + 64 * 1024),
        ("/api/voice/turn", upload * 4 // 3 + 64 * 1024),
        ("/wechat", settings.wechat_max_body_bytes),
        ("/api/staff", settings.staff_max_body_bytes),
    ]


def install_edge(app: FastAPI, settings: Settings) -> None:
    """Middleware run for every request (the last added runs first): headers on every answer, refusals included;
    then body limits, before anything reads a body."""
    app.add_middleware(BodySizeLimit, limits=body_limits(settings), default=settings.max_body_bytes)
    app.add_middleware(SecurityHeaders)
