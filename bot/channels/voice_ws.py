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
                While a person holds the conversation, the operator's replies arrive the same way (messages, audio,
                reply_end) without a turn from the gateway.
Input half: parse the frames and feed the voice call core (bot/channels/voice_call/, shared with SIP calls);
output half (`WsOutput`): events as JSON, the spoken reply as µ-law frames as fast as they are made."""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import json
import logging
import re
from typing import Any

from fastapi import APIRouter, WebSocket, WebSocketDisconnect
from starlette.websockets import WebSocketState

from bot.channels.voice_call.core import CallServices, VoiceCallCore
from voice import g711

log = logging.getLogger(__name__)
router = APIRouter()
FRAME_BYTES = 160  # 20 ms of 8 kHz µ-law
MAX_TEXT_FRAME = 4096  # characters of a JSON text frame; events are small
SENDER = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
DIGITS = re.compile(r"^[0-9*#Xx]{1,24}$")  # as /api/voice/turn accepts them
POLICY, TOO_BIG = 1008, 1009  # WebSocket close codes


class WsOutput:
    """The output half for a telephone gateway: JSON events, and the reply as 160-byte µ-law frames sent as fast as
    they are made (the gateway plays them at 20 ms each, so it alone knows what is still playing)."""

    def __init__(self, websocket: WebSocket) -> None:
        self.ws = websocket

    @property
    def playing(self) -> bool:
        return False

    async def event(self, payload: dict[str, Any]) -> None:
        await self.ws.send_json(payload)

    async def play(self, pcm8k: bytes) -> None:
        ulaw = g711.pcm16_to_ulaw(pcm8k)
        for start in range(0, len(ulaw), FRAME_BYTES):
            await self.ws.send_bytes(ulaw[start : start + FRAME_BYTES].ljust(FRAME_BYTES, b"\xff"))

    def stop_playback(self) -> None:
        """Frames already sent are the gateway's; a new key stops the rest of the reply from being made."""

    async def wait_played(self) -> None:
        return None

    def can_transfer(self, queue: str) -> bool:
        return False  # the gateway's own PBX transfers; here the ticket is the hand-over

    async def hand_over(self, handoff: dict[str, Any]) -> bool | None:
        return None


async def _refuse(websocket: WebSocket, code: int, detail: str) -> None:
    """An error event the gateway can log, then the close (the reason is cut to what a close frame can carry)."""
    await websocket.send_json({"event": "error", "detail": detail})
    await websocket.close(code=code, reason=detail[:120])


async def _handshake(websocket: WebSocket) -> tuple[str, int] | None:
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
    return sender_id, rate


@router.websocket("/ws/voice")
async def voice_socket(websocket: WebSocket) -> None:
    """A telephone call: see the module docstring for the framing."""
    await websocket.accept()
    caller = await _handshake(websocket)
    if caller is None:
        return
    sender_id, rate = caller
    state = websocket.app.state
    stt = state.stt
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
    core = VoiceCallCore(CallServices.from_state(state), WsOutput(websocket), sender_id, channel="voice", rate=rate)
    running = asyncio.create_task(core.run(greet=False))
    max_frame = state.settings.voice_ws_max_frame_bytes
    try:
        while not running.done():
            message = await websocket.receive()
            if message["type"] == "websocket.disconnect":
                break
            if message.get("bytes") is not None:
                if len(message["bytes"]) > max_frame:  # refused before it is buffered or decoded
                    await _refuse(websocket, TOO_BIG, f"audio frames are at most {max_frame} bytes")
                    break
                core.audio(g711.ulaw_to_pcm16(message["bytes"]))
            elif message.get("text") is not None:
                if len(message["text"]) > MAX_TEXT_FRAME:
                    await _refuse(websocket, TOO_BIG, f"text frames are at most {MAX_TEXT_FRAME} characters")
                    break
                try:
                    event = json.loads(message["text"])
                except json.JSONDecodeError:
                    await websocket.send_json({"event": "error", "detail": "text frames must be JSON"})
                    continue
                if not await _on_event(websocket, core, event if isinstance(event, dict) else {}):
                    break
    except WebSocketDisconnect:
        pass
    finally:
        core.hang_up()
        with contextlib.suppress(asyncio.CancelledError, Exception):
            await asyncio.wait_for(running, 30)
        if websocket.application_state == WebSocketState.CONNECTED and websocket.client_state.name == "CONNECTED":
            await websocket.close()


async def _on_event(websocket: WebSocket, core: VoiceCallCore, event: dict) -> bool:
    """One JSON event from the gateway; False when the call is over."""
    kind = event.get("event")
    if kind == "end":
        core.end_of_speech()
    elif kind == "dtmf":
        digits = event.get("digits")
        if not isinstance(digits, str) or not DIGITS.match(digits):
            await websocket.send_json({"event": "error", "detail": "digits must be 1-24 of 0-9 * # X"})
        else:
            core.keys(digits)
    elif kind == "text":
        text = event.get("text")
        core.text(text.strip() if isinstance(text, str) else "")
    elif kind == "hangup":
        return False
    else:
        await websocket.send_json({"event": "error", "detail": f"unknown event {kind!r}"})
    return True
