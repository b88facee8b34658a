"""Telephony channel: WebSocket /ws/voice for a telephone gateway (SIP/PSTN bridge), 8 kHz G.711 µ-law both ways.

Framing (docs/voice.md):
  gateway → us  1. text  {"sender_id": "...", "token": "<VOICE_WS_TOKEN>", "rate": 175} (the token is required
                   unless VOICE_WS_ALLOW_WITHOUT_TOKEN=true for a gateway on a closed network)
                2. binary µ-law frames (160 bytes = 20 ms, at most VOICE_WS_MAX_FRAME_BYTES; a larger frame
                   closes the call with 1009 before it is used); the utterance ends with {"event": "end"} or after
                   0.8 s of silence following speech; {"event": "dtmf", "digits": "1"} and
                   {"event": "text", "text": "..."} are turns too; {"event": "hangup"} ends the call.
  us → gateway  {"event": "ready", ...} once, then per turn {"event": "transcript", ...} (audio turns),
                {"event": "messages", "messages": [...], "handoff": ...}, binary µ-law frames of the spoken reply
                (160 bytes each, first sentence first), and {"event": "reply_end", "seconds": ...}.
Input half: parse the frames into a turn; output half: messages as JSON plus the reply as µ-law audio."""

from __future__ import annotations

import asyncio
import hmac
import json
import logging
import re

from fastapi import APIRouter, WebSocket, WebSocketDisconnect
from starlette.websockets import WebSocketState

from bot.api.routes.voice import NO_SPEECH_INPUT, UNKNOWN_KEY, voice_reply
from bot.api.schemas import Message
from bot.dialogue.client import DialogueUnavailable
from bot.services import messages
from bot.services.chat import TextTooLong
from voice import g711
from voice.audio import Audio
from voice.speech import sentences
from voice.stt import EngineUnavailable
from voice.vad import EndpointDetector

log = logging.getLogger(__name__)
router = APIRouter()
FRAME_BYTES = 160  # 20 ms of 8 kHz µ-law
MAX_TEXT_FRAME = 4096  # characters of a JSON text frame; events are small
SENDER = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
POLICY, TOO_BIG = 1008, 1009  # WebSocket close codes


class CallEnded(Exception):
    """The gateway hung up."""


class VoiceCall:
    """One call: collects audio, runs turns, streams replies."""

    def __init__(self, websocket: WebSocket, sender_id: str, rate: int) -> None:
        self.ws, self.sender_id, self.rate = websocket, sender_id, rate
        self.state = websocket.app.state
        self.buffer = bytearray()
        self.endpoint = EndpointDetector()
        self.max_bytes = int(self.state.settings.voice_max_seconds * 8000)

    async def send_reply(self, rendered: list[Message], handoff: dict | None, spoken: str) -> None:
        """Messages as JSON, then the spoken reply as µ-law frames, synthesised sentence by sentence."""
        await self.ws.send_json(
            {"event": "messages", "messages": [m.model_dump() for m in rendered], "handoff": handoff}
        )
        engine, total = self.state.tts, 0.0
        available = engine.availability()
        if not available.ok:
            await self.ws.send_json({"event": "reply_end", "seconds": 0.0, "audio_unavailable": available.reason})
            return
        for sentence in sentences(spoken):
            audio: Audio = await asyncio.to_thread(engine.synthesize, sentence, self.rate)
            ulaw = audio.to_ulaw_8k()
            total += len(ulaw) / 8000
            for start in range(0, len(ulaw), FRAME_BYTES):
                await self.ws.send_bytes(ulaw[start : start + FRAME_BYTES].ljust(FRAME_BYTES, b"\xff"))
        await self.ws.send_json({"event": "reply_end", "seconds": round(total, 3)})

    async def turn(self, utterance: str | None, repeat: bool = False) -> None:
        try:
            rendered, handoff, spoken = await voice_reply(self.state, self.sender_id, utterance, repeat)
        except TextTooLong as exc:
            rendered, handoff, spoken = [Message(text=str(exc))], None, str(exc)
        except DialogueUnavailable:
            rendered, handoff, spoken = [Message(text=messages.UNAVAILABLE)], None, messages.UNAVAILABLE
        await self.send_reply(rendered, handoff, spoken)

    async def end_of_utterance(self) -> None:
        pcm = g711.ulaw_to_pcm16(bytes(self.buffer))
        self.buffer.clear()
        self.endpoint.reset()
        if not pcm:
            return
        engine = self.state.stt
        available = engine.availability() if engine is not None else None
        if engine is None or not available.ok:
            reason = available.reason if available else "speech input is switched off"
            await self.ws.send_json({"event": "error", "detail": NO_SPEECH_INPUT, "reason": reason})
            text = NO_SPEECH_INPUT + "按零转人工。"
            await self.send_reply([Message(text=text)], None, text)
            return
        try:
            recognition = await asyncio.to_thread(engine.transcribe, Audio(pcm, 8000))
        except EngineUnavailable as exc:
            await self.ws.send_json({"event": "error", "detail": NO_SPEECH_INPUT, "reason": str(exc)})
            return
        await self.ws.send_json(
            {
                "event": "transcript",
                "text": recognition.text,
                "keywords": recognition.keywords,
                "engine": recognition.engine,
                "full_transcript": recognition.full_transcript,
            }
        )
        await self.turn(recognition.text or None)

    async def on_audio(self, frame: bytes) -> None:
        """One frame (its size already checked): an utterance never grows past the duration limit."""
        if len(self.buffer) + len(frame) > self.max_bytes:
            await self.end_of_utterance()
        self.buffer.extend(frame)
        if self.endpoint.feed(g711.ulaw_to_pcm16(frame)) or len(self.buffer) >= self.max_bytes:
            await self.end_of_utterance()

    async def on_event(self, event: dict) -> None:
        kind = event.get("event")
        if kind == "end":
            await self.end_of_utterance()
        elif kind == "dtmf":
            choice = self.state.keypad.choose(self.sender_id, str(event.get("digits", "")))
            if choice.text is None and not choice.repeat:
                await self.send_reply([Message(text=UNKNOWN_KEY)], None, UNKNOWN_KEY)
            else:
                await self.turn(choice.text, choice.repeat)
        elif kind == "text":
            text = str(event.get("text", "")).strip()
            await self.turn(text or None)
        elif kind == "hangup":
            raise CallEnded
        else:
            await self.ws.send_json({"event": "error", "detail": f"unknown event {kind!r}"})


async def _refuse(websocket: WebSocket, code: int, detail: str) -> None:
    """An error event the gateway can log, then the close (the reason is cut to what a close frame can carry)."""
    await websocket.send_json({"event": "error", "detail": detail})
    await websocket.close(code=code, reason=detail[:120])


async def _handshake(websocket: WebSocket) -> VoiceCall | None:
    """The first frame names the caller and carries the gateway's token; anything else closes the socket."""
    try:
        raw = await asyncio.wait_for(websocket.receive_text(), timeout=10)
    except WebSocketDisconnect:
        return None
    except (asyncio.TimeoutError, KeyError):
        await _refuse(websocket, POLICY, "first frame must be JSON text with sender_id (within 10 s)")
        return None
    if len(raw) > MAX_TEXT_FRAME:
        await _refuse(websocket, TOO_BIG, "first frame is too large")
        return None
    try:
        first = json.loads(raw)
    except json.JSONDecodeError:
        first = None
    if not isinstance(first, dict):
        await _refuse(websocket, POLICY, "first frame must be a JSON object with sender_id")
        return None
    settings = websocket.app.state.settings
    expected = settings.voice_ws_token
    if not expected and not settings.voice_ws_allow_without_token:
        await _refuse(websocket, POLICY, "voice calls need VOICE_WS_TOKEN on this gateway")
        return None
    token = first.get("token")
    if expected and not (isinstance(token, str) and hmac.compare_digest(token.encode(), expected.encode())):
        await _refuse(websocket, POLICY, "bad token")
        return None
    sender_id = first.get("sender_id")
    rate = first.get("rate", 175)
    valid_rate = isinstance(rate, int) and not isinstance(rate, bool) and 80 <= rate <= 450
    if not (isinstance(sender_id, str) and SENDER.match(sender_id)) or not valid_rate:
        await _refuse(websocket, POLICY, "sender_id must be 1-64 of A-Za-z0-9_-, rate 80-450")
        return None
    return VoiceCall(websocket, sender_id, rate)


@router.websocket("/ws/voice")
async def voice_socket(websocket: WebSocket) -> None:
    """A telephone call: see the module docstring for the framing."""
    await websocket.accept()
    call = await _handshake(websocket)
    if call is None:
        return
    stt = websocket.app.state.stt
    available = stt.availability() if stt is not None else None
    await websocket.send_json(
        {
            "event": "ready",
            "format": "ulaw8k",
            "frame_bytes": FRAME_BYTES,
            "speech_input": stt.name if stt is not None else None,
            "speech_input_available": bool(available and available.ok),
            "keypad": {"0": "转人工", "*": "重听", "1-9": "选项"},
        }
    )
    max_frame = websocket.app.state.settings.voice_ws_max_frame_bytes
    try:
        while True:
            message = await websocket.receive()
            if message["type"] == "websocket.disconnect":
                break
            if message.get("bytes") is not None:
                if len(message["bytes"]) > max_frame:  # refused before it is buffered or decoded
                    await _refuse(websocket, TOO_BIG, f"audio frames are at most {max_frame} bytes")
                    break
                await call.on_audio(message["bytes"])
            elif message.get("text") is not None:
                if len(message["text"]) > MAX_TEXT_FRAME:
                    await _refuse(websocket, TOO_BIG, f"text frames are at most {MAX_TEXT_FRAME} characters")
                    break
                try:
                    event = json.loads(message["text"])
                except json.JSONDecodeError:
                    await websocket.send_json({"event": "error", "detail": "text frames must be JSON"})
                    continue
                await call.on_event(event if isinstance(event, dict) else {})
    except (WebSocketDisconnect, CallEnded):
        pass
    finally:
        if websocket.application_state == WebSocketState.CONNECTED and websocket.client_state.name == "CONNECTED":
            await websocket.close()
