"""POST /api/voice/tts — speak a text (WAV, or 8 kHz µ-law for telephone lines)."""

from __future__ import annotations

import asyncio
from typing import Literal

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, Field

from bot.text.normalize import normalize_text
from voice.normalize import normalize_for_speech

router = APIRouter(prefix="/api/voice", tags=["voice"])


class TtsRequest(BaseModel):
    text: str = Field(min_length=1, max_length=1000)
    rate: int = Field(default=175, ge=80, le=450, description="words per minute; blind users often listen fast")
    format: Literal["wav", "ulaw8k"] = "wav"


@router.post("/tts", responses={200: {"content": {"audio/wav": {}, "audio/basic": {}}}, 503: {}})
async def tts(body: TtsRequest, request: Request) -> Response:
    """Normalise the text for speech (hotline numbers digit by digit with 幺, years, percentages) and speak it."""
    engine = request.app.state.tts
    available = engine.availability()
    if not available.ok:
        return JSONResponse(status_code=503, content={"detail": "语音播报暂时不可用。", "reason": available.reason})
    spoken = normalize_for_speech(normalize_text(body.text))
    audio = await asyncio.to_thread(engine.synthesize, spoken, body.rate)
    if body.format == "ulaw8k":
        return Response(audio.to_ulaw_8k(), media_type="audio/basic", headers={"X-Engine": engine.name})
    return Response(audio.to_wav(), media_type="audio/wav", headers={"X-Engine": engine.name})
