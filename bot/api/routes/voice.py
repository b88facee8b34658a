"""Voice API: POST /api/voice/tts (speak a text), /api/voice/stt (recognise speech), /api/voice/turn (one spoken
or keypad turn through the whole chat pipeline, answered with text and audio). docs/voice.md has the details."""

from __future__ import annotations

import asyncio
import base64
import binascii
import logging
from dataclasses import asdict, dataclass
from typing import Literal

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, Field, ValidationError
from starlette.datastructures import UploadFile

from bot.api.conversation_access import ConversationRefused, admit, hand_over_key, presented_key, refused
from bot.api.deps import client_address
from bot.api.schemas import ErrorResponse, Handoff, Message
from bot.channels.voice_call.core import turn_reply
from bot.channels.voice_call.texts import NO_SPEECH_INPUT, UNKNOWN_KEY
from bot.dialogue.client import DialogueUnavailable
from bot.escalation.ticket_markers import answer as ticket_answer
from bot.services import messages
from bot.services.chat import TextTooLong
from bot.services.client_tags import web_client
from bot.services.request_limits import limit
from bot.text.normalize import normalize_text
from voice.audio import FORMATS, Audio, AudioTooLong, InvalidAudio, decode_audio
from voice.normalize import normalize_for_speech
from voice.speech import concatenate, synthesize_sentences
from voice.stt import EngineUnavailable, Recognition

log = logging.getLogger(__name__)
router = APIRouter(prefix="/api/voice", tags=["voice"])

HINT = "use text (POST /api/chat, or `text` here) or keypad digits (`digits`)"
BAD_AUDIO = "这段录音无法识别，请换一种格式再试，或者直接输入文字。"
_CONTENT_TYPES = {
    "audio/wav": "wav",
    "audio/x-wav": "wav",
    "audio/wave": "wav",
    "audio/amr": "amr",
    "audio/basic": "ulaw8k",
    "audio/pcmu": "ulaw8k",
    "audio/pcma": "alaw8k",
}


class TtsRequest(BaseModel):
    text: str = Field(min_length=1, max_length=1000)
    rate: int = Field(default=175, ge=80, le=450, description="words per minute; blind users often listen fast")
    format: Literal["wav", "ulaw8k"] = "wav"


class TurnRequest(BaseModel):
    sender_id: str = Field(pattern=r"^[A-Za-z0-9_-]{1,64}$")
    text: str | None = Field(default=None, max_length=1000, description="what a keypad/text user typed")
    digits: str | None = Field(default=None, pattern=r"^[0-9*#Xx]{1,24}$", description="keypad keys")
    audio: str | None = Field(default=None, description="base64 audio (JSON bodies); multipart uses `file`")
    format: str | None = Field(default=None, description="wav | pcm16k | pcm8k | ulaw8k | alaw8k | amr")
    rate: int = Field(default=175, ge=80, le=450)
    reply_format: Literal["wav", "ulaw8k"] = "wav"


class SpeechAudio(BaseModel):
    format: str
    sample_rate: int
    seconds: float
    data: str = Field(description="base64: a WAV file, or headerless 8 kHz G.711 µ-law")


class TurnResponse(BaseModel):
    sender_id: str
    transcript: str = Field(description="the text the bot was given ('' when nothing was understood)")
    recognition: dict | None = Field(default=None, description="{text, keywords, engine, full_transcript}")
    messages: list[Message]
    handoff: Handoff | None = None
    audio: SpeechAudio | None = None
    tts_engine: str | None = None
    conversation_key: str | None = Field(default=None, description="as in POST /api/chat: issued on the first turn")
    audio_unavailable: str | None = None


def _error(status: int, detail: str, **extra: object) -> JSONResponse:
    return JSONResponse(status_code=status, content={"detail": detail, **extra})


@router.post(
    "/tts",
    responses={
        200: {
            "content": {
                "audio/wav": {"schema": {"type": "string", "format": "binary"}},
                "audio/basic": {"schema": {"type": "string", "format": "binary"}},
            }
        },
        429: {"model": ErrorResponse},
        503: {"model": ErrorResponse},
    },
)
async def tts(body: TtsRequest, request: Request) -> Response:
    """Normalise the text for speech (hotline numbers digit by digit with 幺, years, percentages) and speak it."""
    await limit(request, "voice")
    engine = request.app.state.tts
    available = engine.availability()
    if not available.ok:
        return _error(503, "语音播报暂时不可用。", reason=available.reason)
    spoken = normalize_for_speech(normalize_text(body.text))
    audio = await asyncio.to_thread(engine.synthesize, spoken, body.rate)
    if body.format == "ulaw8k":
        return Response(audio.to_ulaw_8k(), media_type="audio/basic", headers={"X-Engine": engine.name})
    return Response(audio.to_wav(), media_type="audio/wav", headers={"X-Engine": engine.name})


async def _read_upload(request: Request) -> tuple[bytes, str | None, dict[str, str]]:
    """(audio bytes, declared format, other form fields) from a multipart form or a raw body.

    The edge middleware already refused bodies over the route's limit (VOICE_MAX_UPLOAD_BYTES) unread."""
    limit = request.app.state.settings.voice_max_upload_bytes
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type == "multipart/form-data":
        form = await request.form()
        upload = form.get("file")
        fields = {k: v for k, v in form.items() if isinstance(v, str)}
        data = await upload.read(limit + 1) if isinstance(upload, UploadFile) else b""
        if len(data) > limit:
            raise AudioTooLong(f"upload larger than {limit} bytes")
        return data, fields.get("format") or request.query_params.get("format"), fields
    data = await request.body()
    if len(data) > limit:
        raise AudioTooLong(f"upload larger than {limit} bytes")
    return data, request.query_params.get("format") or _CONTENT_TYPES.get(content_type), {}


def _stt_unavailable(request: Request) -> JSONResponse | None:
    engine = request.app.state.stt
    if engine is None:
        return _error(503, NO_SPEECH_INPUT, reason="speech input is switched off (SPEECH_INPUT_ENGINE=none)", hint=HINT)
    available = engine.availability()
    if not available.ok:
        return _error(503, NO_SPEECH_INPUT, reason=available.reason, hint=HINT, engine=engine.name)
    return None


async def _recognise(request: Request, data: bytes, fmt: str | None) -> Recognition | JSONResponse:
    """Decode and recognise, or the 4xx/503 response that explains why not."""
    try:
        audio = decode_audio(data, fmt or None, request.app.state.settings.voice_max_seconds)
    except AudioTooLong as exc:
        return _error(413, "录音太长了，请每次说一分钟以内。", reason=str(exc))
    except InvalidAudio as exc:
        return _error(400 if data else 422, BAD_AUDIO, reason=str(exc))
    unavailable = _stt_unavailable(request)
    if unavailable is not None:
        return unavailable
    try:
        return await asyncio.to_thread(request.app.state.stt.transcribe, audio)
    except EngineUnavailable as exc:
        return _error(503, NO_SPEECH_INPUT, reason=str(exc), hint=HINT)


AUDIO_FORMAT = {"type": "string", "enum": list(FORMATS), "description": "needed for headerless audio"}
STT_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "properties": {"file": {"type": "string", "format": "binary"}, "format": AUDIO_FORMAT},
                    "required": ["file"],
                }
            },
            "application/octet-stream": {"schema": {"type": "string", "format": "binary"}},
        },
    },
    "parameters": [{"name": "format", "in": "query", "required": False, "schema": AUDIO_FORMAT}],
}
_ERRORS = {status: {"model": ErrorResponse} for status in (400, 413, 429, 503)}


@router.post(
    "/stt",
    responses={**_ERRORS, 200: {"description": "{text, keywords, engine, full_transcript}"}},
    openapi_extra=STT_BODY,
)
async def stt(request: Request) -> JSONResponse:
    """Recognise speech: WAV, 8/16 kHz PCM, G.711 µ-law/A-law, AMR-NB; at most 60 s."""
    await limit(request, "voice")
    try:
        data, fmt, _fields = await _read_upload(request)
    except AudioTooLong as exc:
        return _error(413, "录音太长了，请每次说一分钟以内。", reason=str(exc))
    result = await _recognise(request, data, fmt)
    if isinstance(result, JSONResponse):
        return result
    return JSONResponse(asdict(result))


@dataclass
class TurnInput:
    """What the caller gave: exactly one of text, digits, audio."""

    request: TurnRequest
    audio: bytes | None = None


async def _turn_input(request: Request) -> TurnInput | JSONResponse:
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    try:
        if content_type == "multipart/form-data":
            data, fmt, fields = await _read_upload(request)
            body = TurnRequest.model_validate({**fields, "format": fmt})
            return TurnInput(body, data or None)
        body = TurnRequest.model_validate_json(await request.body())
    except AudioTooLong as exc:
        return _error(413, "录音太长了，请每次说一分钟以内。", reason=str(exc))
    except ValidationError as exc:
        fields = sorted({".".join(str(p) for p in err.get("loc", ())) or "body" for err in exc.errors()})
        return _error(422, messages.INVALID_REQUEST, fields=fields)
    if body.audio is None:
        return TurnInput(body)
    try:
        return TurnInput(body, base64.b64decode(body.audio, validate=True))
    except (binascii.Error, ValueError):
        return _error(422, BAD_AUDIO, reason="`audio` is not valid base64")


def _speak(request: Request, text: str, rate: int, reply_format: str) -> tuple[SpeechAudio | None, str | None, str]:
    """(audio, reason it is missing, engine name): sentence by sentence, joined."""
    engine = request.app.state.tts
    available = engine.availability()
    if not available.ok:
        return None, available.reason, engine.name
    audio = concatenate(list(synthesize_sentences(engine, text, rate))) if text else Audio(b"", 16000)
    if reply_format == "ulaw8k":
        data, rate_hz = audio.to_ulaw_8k(), 8000
    else:
        data, rate_hz = audio.to_wav(), audio.sample_rate
    encoded = base64.b64encode(data).decode("ascii")
    return (
        SpeechAudio(format=reply_format, sample_rate=rate_hz, seconds=round(audio.seconds, 3), data=encoded),
        None,
        engine.name,
    )


async def voice_reply(
    request_state,
    sender_id: str,
    utterance: str | None,
    repeat: bool = False,
    client: str | None = None,
    has_ticket: bool | None = None,
) -> tuple[list[Message], dict | None, str]:
    """Run one turn through the chat pipeline (channel "voice") and return (messages, handoff, spoken text).

    `utterance` None means nothing usable was heard or pressed; `repeat` replays the last reply. `client`: the
    HTTP client of /turn (None for the telephone gateway, which owns its conversations). The same turn as a
    telephone call's (bot/channels/voice_call/core.py `turn_reply`); `has_ticket` as for ChatService.handle."""
    reply = await turn_reply(request_state, sender_id, utterance, repeat, "voice", client=client, has_ticket=has_ticket)
    return reply.rendered, reply.handoff, reply.spoken


TURN_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {"schema": TurnRequest.model_json_schema()},
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "properties": {
                        "file": {"type": "string", "format": "binary"},
                        "sender_id": {"type": "string", "pattern": "^[A-Za-z0-9_-]{1,64}$"},
                        "format": AUDIO_FORMAT,
                        "reply_format": {"type": "string", "enum": ["wav", "ulaw8k"]},
                    },
                    "required": ["file", "sender_id"],
                }
            },
        },
    }
}


@router.post(
    "/turn",
    response_model=TurnResponse,
    responses={**_ERRORS, 403: {"model": ErrorResponse}, 422: {"description": "invalid request"}},
    openapi_extra=TURN_BODY,
)
async def turn(request: Request, response: Response) -> TurnResponse | JSONResponse:
    """One turn for a caller: audio (multipart `file` or JSON base64 `audio`), keypad `digits`, or `text`.
    The bot's reply comes back as messages and as audio (WAV, or 8 kHz µ-law for telephone lines).
    Like POST /api/chat, later turns need the X-Conversation-Key header (the key comes with the first reply)."""
    await limit(request, "voice")  # per address before the body is read, per conversation once it is known
    given = await _turn_input(request)
    if isinstance(given, JSONResponse):
        return given
    sender_id = given.request.sender_id
    markers = request.app.state.chat_service.ticket_keys(sender_id)  # read with the per-conversation limit
    found = await request.app.state.request_limiter.check("voice", None, sender_id, markers)
    try:
        issued = await admit(request, sender_id, presented_key(request))
    except ConversationRefused:
        return refused()
    answer = await _turn(request, given, ticket_answer(*found) if found else None)
    if isinstance(answer, TurnResponse):
        answer.conversation_key = issued
    hand_over_key(answer if isinstance(answer, JSONResponse) else response, issued)
    return answer


async def _turn(request: Request, given: TurnInput, has_ticket: bool | None = None) -> TurnResponse | JSONResponse:
    body = given.request
    if sum(x is not None for x in (body.text, body.digits, given.audio)) != 1:
        return _error(422, "请只给出一种输入：录音、按键或文字。", fields=["audio", "digits", "text"])
    recognition: Recognition | None = None
    utterance: str | None
    repeat = False
    if given.audio is not None:
        result = await _recognise(request, given.audio, body.format)
        if isinstance(result, JSONResponse):
            return result
        recognition = result
        utterance = result.text or None
    elif body.digits is not None:
        choice = request.app.state.keypad.choose(body.sender_id, body.digits)
        utterance, repeat = choice.text, choice.repeat
        if utterance is None and not repeat:
            utterance_reply = [Message(text=UNKNOWN_KEY)]
            return await _respond(request, body, "", None, utterance_reply, None, UNKNOWN_KEY)
    else:
        utterance = body.text or None
    try:
        client = web_client(client_address(request))
        rendered, handoff, spoken = await voice_reply(
            request.app.state, body.sender_id, utterance, repeat, client, has_ticket
        )
    except TextTooLong as exc:
        return _error(413, str(exc))
    except DialogueUnavailable as exc:
        return _error(503, messages.UNAVAILABLE, down=exc.component)
    return await _respond(request, body, utterance or "", recognition, rendered, handoff, spoken)


async def _respond(
    request: Request,
    body: TurnRequest,
    transcript: str,
    recognition: Recognition | None,
    rendered: list[Message],
    handoff: dict | None,
    spoken: str,
) -> TurnResponse:
    audio, missing, engine = await asyncio.to_thread(_speak, request, spoken, body.rate, body.reply_format)
    return TurnResponse(
        sender_id=body.sender_id,
        transcript=transcript,
        recognition=asdict(recognition) if recognition else None,
        messages=rendered,
        handoff=handoff,
        audio=audio,
        tts_engine=engine,
        audio_unavailable=missing,
    )
