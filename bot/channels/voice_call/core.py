"""One telephone call, whatever carries it: input half (audio, keys, text) → turns → output half (`CallOutput`).

Inputs are queued and handled one at a time by `run()`. Audio goes through the end-of-utterance detector and the
speech-input engine; keys through the keypad rules (bot/channels/voice_call/keys.py, voice/keypad.py). Each turn is
one chat-service turn (forms, hand-over and emergencies work as in the web chat); the reply is synthesised sentence
by sentence and handed to the output as 8 kHz PCM while the next sentence is made. A key, or speech when barge-in
is on, stops what is being played. A new hand-over ticket is passed to the output (SIP transfers the call by
REFER); when the output cannot transfer, the ticket itself is the hand-over and the operator's replies are spoken."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from dataclasses import dataclass
from typing import Any, Protocol

from bot.api.routes.chat import render_messages
from bot.api.schemas import Message
from bot.channels.voice_call import texts
from bot.channels.voice_call.keys import KeyCollector
from bot.dialogue.client import DialogueUnavailable
from bot.services import messages
from bot.services.chat import TextTooLong
from voice.audio import Audio
from voice.speech import sentences, spoken_reply
from voice.stt import EngineUnavailable
from voice.vad import EndpointDetector

log = logging.getLogger(__name__)
NO_SPEECH_INPUT, NOT_HEARD, UNKNOWN_KEY = texts.NO_SPEECH_INPUT, texts.NOT_HEARD, texts.UNKNOWN_KEY
GREETING_INTENT = "/greet"


class CallOutput(Protocol):
    """The output half a channel gives the core."""

    @property
    def playing(self) -> bool:
        """Whether the caller is still hearing something we sent."""

    async def event(self, payload: dict[str, Any]) -> None:
        """A structured event (transcript, messages, reply_end, error); channels without a data path ignore it."""

    async def play(self, pcm8k: bytes) -> None:
        """Queue one piece of 8 kHz 16-bit mono PCM for the caller."""

    def stop_playback(self) -> None:
        """Drop everything queued (barge-in)."""

    async def wait_played(self) -> None:
        """Return once everything queued has been played."""

    def can_transfer(self, queue: str) -> bool:
        """Whether `hand_over` can move the call to a person of this queue."""

    async def hand_over(self, handoff: dict[str, Any]) -> bool | None:
        """Transfer the call to a person for this ticket: True done (the call leaves us), False failed,
        None when this channel cannot transfer (the ticket is the hand-over)."""


@dataclass
class CallServices:
    """What a call uses from the gateway (built once from app.state)."""

    settings: Any
    tts: Any
    stt: Any
    keypad: Any
    chat_service: Any
    escalation: Any
    routing: Any
    hub: Any

    @classmethod
    def from_state(cls, state: Any) -> CallServices:
        return cls(
            state.settings, state.tts, state.stt, state.keypad, state.chat_service, state.escalation,
            state.routing, state.hub,
        )  # fmt: skip


@dataclass
class Reply:
    rendered: list[Message]
    handoff: dict[str, Any] | None
    spoken: str


class VoiceCallCore:
    """See the module docstring. Feed it with `audio`, `key`, `text`, `end_of_speech`; run `run()` until hang-up."""

    def __init__(
        self,
        services: CallServices,
        output: CallOutput,
        sender_id: str,
        *,
        channel: str,
        rate: int = 175,
        barge_in: bool = True,
        caller_number: str | None = None,
        key_timeout: float = 2.5,
    ) -> None:
        self.services, self.output, self.sender_id = services, output, sender_id
        self.channel, self.rate, self.barge_in = channel, rate, barge_in
        self.caller_number = caller_number
        self.key_timeout = key_timeout
        self.buffer = bytearray()
        self.endpoint = EndpointDetector()
        self.max_bytes = int(services.settings.voice_max_seconds * 8000 * 2)
        self.closed = False
        self._inputs: asyncio.Queue[tuple[str, Any]] = asyncio.Queue(maxsize=64)
        self._generation = 0
        self._keys = KeyCollector()
        self._key_timer: asyncio.TimerHandle | None = None
        self._handled_tickets: set[str] = set()
        self._relay: asyncio.Task | None = None
        self._greeting: asyncio.Task | None = None
        self.turns = 0

    # -- input half (synchronous: called from datagram callbacks or a socket loop) ---------------------------------

    def audio(self, pcm: bytes) -> None:
        """8 kHz 16-bit PCM from the caller."""
        if self.closed:
            return
        if self.output.playing and not self.barge_in:
            return  # half duplex: what the caller says over our reply is not listened to
        if len(self.buffer) + len(pcm) > self.max_bytes:
            self.end_of_speech()  # an utterance never grows past the duration limit
        self.buffer.extend(pcm)
        ended = self.endpoint.feed(pcm)
        if self.output.playing and self.endpoint.speech >= self.endpoint.min_speech_seconds:
            self.interrupt()
        if ended or len(self.buffer) >= self.max_bytes:
            self.end_of_speech()

    def end_of_speech(self) -> None:
        """The utterance is complete (silence after speech, the length limit, or the gateway said so)."""
        pcm = bytes(self.buffer)
        self.buffer.clear()
        self.endpoint.reset()
        if pcm:
            self._put("utterance", pcm)

    def key(self, key: str) -> None:
        """One keypad key (0-9 * # A-D). Any key stops what is playing."""
        if self.closed:
            return
        self.interrupt()
        if self._key_timer is not None:
            self._key_timer.cancel()
            self._key_timer = None
        last = self.services.keypad.last(self.sender_id)
        keys = self._keys.press(key, menu_open=bool(last and last.payloads))
        if keys is not None:
            self._put("keys", keys)
        elif self._keys.collecting:
            self._key_timer = asyncio.get_running_loop().call_later(self.key_timeout, self._keys_paused)

    def keys(self, typed: str) -> None:
        """Keys already collected by a telephone gateway ("1", "0", "13800138000#"): one turn, no collecting."""
        if self.closed:
            return
        self.interrupt()
        self._put("keys", typed)

    def text(self, text: str) -> None:
        self._put("text", text)

    def hang_up(self) -> None:
        """The caller (or the transfer) ended the call; `run()` returns."""
        self.closed = True
        if self._key_timer is not None:
            self._key_timer.cancel()
        with contextlib.suppress(asyncio.QueueFull):
            self._inputs.put_nowait(("hangup", None))

    def interrupt(self) -> None:
        """Barge-in: stop playing and skip the rest of the reply being synthesised."""
        if self.output.playing:
            self.output.stop_playback()
        self._generation += 1

    def _keys_paused(self) -> None:
        self._key_timer = None
        keys = self._keys.timeout()
        if keys:
            self._put("keys", keys)

    def _put(self, kind: str, value: Any) -> None:
        try:
            self._inputs.put_nowait((kind, value))
        except asyncio.QueueFull:
            log.warning("call input queue full; %s dropped", kind)

    # -- the call ----------------------------------------------------------------------------------------------

    def prepare_greeting(self) -> None:
        """Start the greeting turn early (while the phone rings) so that it is ready when the call is answered."""
        if self._greeting is None:
            self._greeting = asyncio.create_task(self._greeting_reply())

    async def run(self, welcome: bytes | None = None, greet: bool = True) -> None:
        """Greet (unless the channel's own framing starts differently), then handle inputs one at a time until
        hang-up."""
        self._relay = asyncio.create_task(self._relay_operator_messages())
        try:
            if welcome:
                await self.output.play(welcome)
            if greet:
                self.prepare_greeting()
                assert self._greeting is not None
                reply = await self._greeting
                await self._say(reply, suffix=texts.TIPS if reply.handoff is None else "")
            while not self.closed:
                kind, value = await self._inputs.get()
                if kind == "hangup":
                    break
                await self._handle(kind, value)
        finally:
            self.closed = True
            for task in (self._relay, self._greeting):
                if task is not None and not task.done():
                    task.cancel()
                    with contextlib.suppress(asyncio.CancelledError, Exception):
                        await task

    async def _handle(self, kind: str, value: Any) -> None:
        if kind == "utterance":
            await self._utterance(value)
        elif kind == "keys":
            choice = self.services.keypad.choose(self.sender_id, value)
            if choice.text is None and not choice.repeat:
                await self._say(Reply([Message(text=UNKNOWN_KEY)], None, UNKNOWN_KEY))
            else:
                await self._turn(choice.text, repeat=choice.repeat)
        elif kind == "text":
            await self._turn(str(value).strip() or None)
        elif kind == "say":
            await self._say(value)

    async def _utterance(self, pcm: bytes) -> None:
        engine = self.services.stt
        available = engine.availability() if engine is not None else None
        if engine is None or not available.ok:
            reason = available.reason if available else "speech input is switched off"
            await self.output.event({"event": "error", "detail": NO_SPEECH_INPUT, "reason": reason})
            text = NO_SPEECH_INPUT + texts.TIPS
            await self._say(Reply([Message(text=text)], None, text))
            return
        try:
            recognition = await asyncio.to_thread(engine.transcribe, Audio(pcm, 8000))
        except EngineUnavailable as exc:
            await self.output.event({"event": "error", "detail": NO_SPEECH_INPUT, "reason": str(exc)})
            return
        await self.output.event(
            {
                "event": "transcript",
                "text": recognition.text,
                "keywords": recognition.keywords,
                "engine": recognition.engine,
                "full_transcript": recognition.full_transcript,
            }
        )
        await self._turn(recognition.text or None)

    async def _turn(self, utterance: str | None, repeat: bool = False) -> None:
        reply = await self.reply_for(utterance, repeat)
        await self._say(reply)

    async def reply_for(self, utterance: str | None, repeat: bool = False) -> Reply:
        """One turn through the chat service (channel `self.channel`); the reply as messages and as spoken text."""
        if utterance is not None and not repeat:
            self.turns += 1
        try:
            return await turn_reply(self.services, self.sender_id, utterance, repeat, self.channel)
        except TextTooLong as exc:
            return Reply([Message(text=str(exc))], None, str(exc))
        except DialogueUnavailable:
            return Reply([Message(text=messages.UNAVAILABLE)], None, spoken_reply([messages.UNAVAILABLE]))

    async def _greeting_reply(self) -> Reply:
        open_ticket = await self.services.escalation.handoff_for(self.sender_id)
        if open_ticket is not None:  # a caller whose earlier hand-over is still waiting is transferred at once
            spoken = spoken_reply([texts.STILL_WAITING])
            return Reply([Message(text=texts.STILL_WAITING)], open_ticket.as_dict(), spoken)
        return await self.reply_for(GREETING_INTENT)

    async def _say(self, reply: Reply, suffix: str = "") -> None:
        """Speak a reply, then act on a new hand-over ticket. When the call is about to be transferred, the chat's
        hand-over text (queue position, waiting in the chat) is not read out: the caller hears that they are being
        put through — except an emergency reply, which is always said first."""
        await self.output.event(
            {"event": "messages", "messages": [m.model_dump() for m in reply.rendered], "handoff": reply.handoff}
        )
        handoff = reply.handoff
        new_ticket = bool(handoff) and handoff.get("ticket_id") not in self._handled_tickets and not self.closed
        closed = bool(handoff) and handoff.get("state") == "closed"  # nobody on duty: no transfer, a call-back
        transferring = new_ticket and not closed and self.output.can_transfer(str(handoff.get("queue")))
        spoken = reply.spoken + (spoken_reply([suffix]) if suffix else "")
        if transferring and handoff.get("queue") != "emergency":
            still_waiting = reply.rendered and reply.rendered[0].text == texts.STILL_WAITING
            spoken = reply.spoken if still_waiting else spoken_reply([texts.TRANSFERRING])
        elif transferring:
            spoken = spoken_reply([m.text for m in reply.rendered[:1]] + [texts.TRANSFERRING])
        available = self.services.tts.availability()
        if not available.ok:
            await self.output.event({"event": "reply_end", "seconds": 0.0, "audio_unavailable": available.reason})
        else:
            seconds = await self.speak(spoken)
            await self.output.event({"event": "reply_end", "seconds": round(seconds, 3)})
        if new_ticket:
            self._handled_tickets.add(handoff["ticket_id"])
            await self._hand_over(handoff, reply)

    async def speak(self, text: str) -> float:
        """Synthesise sentence by sentence and queue each for the caller; stops early on barge-in. Seconds queued."""
        generation, engine, total = self._generation, self.services.tts, 0.0
        if not engine.availability().ok:
            return 0.0
        for sentence in sentences(text):
            audio: Audio = await asyncio.to_thread(engine.synthesize, sentence, self.rate)
            if generation != self._generation or self.closed:
                break
            pcm = audio.resampled(8000).pcm
            total += len(pcm) / 16000
            await self.output.play(pcm)
        return total

    async def _hand_over(self, handoff: dict[str, Any], reply: Reply) -> None:
        await self._note_caller_number()
        await self.output.wait_played()
        if self.closed:
            return
        result = await self.output.hand_over(handoff)
        if result is None or result:
            return
        if handoff.get("queue") == "emergency":  # the emergency ticket stays open; repeat the first reply
            first = reply.rendered[0].text if reply.rendered else ""
            await self.speak(spoken_reply([texts.EMERGENCY_TRANSFER_FAILED, first]))
            return
        called_back = await self.services.escalation.transfer_failed(self.sender_id, self.caller_number)
        hotline = self.services.routing.hotline_label(handoff.get("queue", ""))
        parts = [texts.TRANSFER_FAILED.format(hotline=hotline)]
        parts += [texts.CALLBACK_PROMISED] if called_back else []
        parts.append(texts.KEEP_HELPING)
        await self.speak(spoken_reply(parts))

    async def _note_caller_number(self) -> None:
        if self.caller_number:
            await self.services.escalation.attach_contact_phone(self.sender_id, self.caller_number)

    async def _relay_operator_messages(self) -> None:
        """While a person holds the conversation (no transfer possible), speak the operator's replies."""
        hub, escalation = self.services.hub, self.services.escalation
        while not self.closed:
            await hub.wait_for_resident(self.sender_id, 20.0)
            if self.closed:
                return
            unseen = await escalation.take_unseen(self.sender_id)
            if unseen:
                rendered = [Message(text=m["text"], from_person=m["author"] == "operator", author=m["author"])
                            for m in unseen]  # fmt: skip
                self._put("say", Reply(rendered, None, spoken_reply([m.text for m in rendered])))


async def turn_reply(
    services: Any,
    sender_id: str,
    utterance: str | None,
    repeat: bool,
    channel: str,
    client: str | None = None,
    has_ticket: bool | None = None,
) -> Reply:
    """One spoken or keypad turn through the chat service: the reply as messages and as spoken text (the texts, then
    the buttons as a keypad menu, which is remembered for the keys). `utterance` None = nothing usable was heard;
    `repeat` replays the last reply; `client` is the HTTP client of /api/voice/turn (None for calls, which own their
    conversations); `has_ticket` what the ticket markers said, when the caller read them (ChatService.handle).
    Raises TextTooLong, or DialogueUnavailable when Rasa cannot answer."""
    menus = services.keypad
    if repeat:
        last = menus.last(sender_id)
        spoken = last.spoken if last else NOT_HEARD
        return Reply([Message(text=spoken)], None, spoken)
    if utterance is None:
        return Reply([Message(text=NOT_HEARD)], None, NOT_HEARD)
    turn = await services.chat_service.handle(
        sender_id, utterance, channel=channel, client=client, has_ticket=has_ticket
    )
    rendered = render_messages(turn)
    if not rendered and turn.handoff is not None:
        rendered = [Message(text=turn.handoff.get("ack") or texts.WITH_OPERATOR)]  # passed on to the person
    buttons = [b for m in rendered for b in (m.buttons or [])]
    spoken = spoken_reply([m.text for m in rendered], [b.title for b in buttons])
    menus.remember(sender_id, spoken, [b.payload for b in buttons])
    return Reply(rendered, turn.handoff, spoken)
