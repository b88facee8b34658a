"""One phone call over SIP: the dialog (answer, ACK, re-INVITE for hold, BYE), its RTP stream, the voice call core
it feeds, and the hand-over by REFER (RFC 3515: 202, then NOTIFY with a message/sipfrag status line)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import re
import time
from typing import TYPE_CHECKING, Any

from bot.channels.sip.dialog import ALLOW, Dialog, build_response, new_tag, response_address
from bot.channels.sip.media import RtpStream
from bot.channels.sip.message import SipRequest
from bot.channels.sip.rtp import parse_dtmf_info
from bot.channels.sip.sdp import (
    Negotiated,
    Offer,
    SdpError,
    build_answer,
    build_offer,
    negotiate,
    new_session_id,
    parse_offer,
)
from bot.channels.sip.transactions import retransmit_until
from bot.channels.voice_call.core import VoiceCallCore

if TYPE_CHECKING:
    from bot.channels.sip.endpoint import SipEndpoint

log = logging.getLogger(__name__)
MAX_TEXT_CHARS = 1000
_SIPFRAG = re.compile(rb"^\s*SIP/2\.0\s+([1-6][0-9]{2})")


class SipCall:
    """See the module docstring. Created by the endpoint for a new INVITE whose offer we accept."""

    def __init__(
        self,
        endpoint: SipEndpoint,
        invite: SipRequest,
        source: tuple[str, int],
        offer: Offer | None,
        media: Negotiated | None,
        sender_id: str,
        caller_number: str | None,
    ) -> None:
        self.endpoint, self.config = endpoint, endpoint.config
        self.invite, self.source = invite, source
        self.dialog = Dialog.from_invite(invite, new_tag())
        self.offer, self.media = offer, media
        self.sender_id = sender_id
        self.rtp = RtpStream(endpoint.pacer, self._audio, self._key, self.config.allowed)
        self.core = VoiceCallCore(
            endpoint.services, self, sender_id, channel="phone", rate=self.config.rate,
            barge_in=self.config.barge_in, caller_number=caller_number,
        )  # fmt: skip
        self.state = "ringing"  # ringing → answered (200 sent) → confirmed (ACK) → ended
        self.end_reason = ""
        self._session_id, self._sdp_version = new_session_id(), 0
        self._acks: dict[int, asyncio.Event] = {}
        self._tasks: set[asyncio.Task] = set()
        self._transfer: asyncio.Future[int] | None = None
        self._run_task: asyncio.Task | None = None
        self.created_at = time.monotonic()
        self.acked_at: float | None = None

    @property
    def call_id(self) -> str:
        return self.dialog.call_id

    # -- the INVITE transaction --------------------------------------------------------------------------------

    async def setup(self) -> None:
        """Open the RTP port, start preparing the greeting, ring, and answer after the configured delay."""
        await self.rtp.open(self.endpoint.rtp_host, self.config.rtp_ports)
        self.core.prepare_greeting()
        self._respond(self.invite, 180, "Ringing")
        self._spawn(self._answer())

    async def _answer(self) -> None:
        await asyncio.sleep(self.config.answer_delay)
        if self.state != "ringing":
            return
        self.state = "answered"
        acked = await self._send_2xx(self.invite, self._session_description())
        if not acked and self.state == "answered":
            log.warning("call %s: no ACK for our 200 OK", self.endpoint.masked(self.call_id))
            self.bye("no ACK")

    def _session_description(self) -> bytes:
        self._sdp_version += 1
        host, port = self.config.public_host, self.rtp.port
        if self.offer is None or self.media is None:
            return build_offer(host, port, self._session_id, self._sdp_version, self.config.codecs)
        return build_answer(self.offer, self.media, host, port, self._session_id, self._sdp_version)

    async def _send_2xx(self, invite: SipRequest, body: bytes) -> bool:
        """200 OK with our SDP, retransmitted until the ACK of this INVITE arrives."""
        headers = [("Contact", self.config.contact), ("Allow", ALLOW), ("Content-Type", "application/sdp")]
        response = build_response(invite, 200, "OK", self.source, self.dialog.local_tag, headers, body)
        event = self._acks.setdefault(invite.cseq[0], asyncio.Event())
        data, address = response.to_bytes(), response_address(invite, self.source)
        self.endpoint.remember(invite, data, address)
        return await retransmit_until(self.endpoint.send, data, address, event)

    def on_cancel(self) -> bool:
        """CANCEL before we answered: 487 to the INVITE and the call is over. True when it took effect."""
        if self.state != "ringing":
            return False
        self._respond(self.invite, 487, "Request Terminated")
        self.end("cancelled")
        return True

    def on_ack(self, ack: SipRequest) -> None:
        event = self._acks.get(ack.cseq[0])
        if event is None or event.is_set():
            return  # a retransmitted ACK, or one for a response that was not a 2xx
        if self.media is None:  # the INVITE had no SDP: our offer went in the 200, the answer is in the ACK
            try:
                self.offer = parse_offer(ack.body)
                self.media = negotiate(self.offer, self.config.codecs)
            except SdpError as exc:
                log.info("call %s: unusable SDP answer in ACK (%s)", self.endpoint.masked(self.call_id), exc)
                event.set()
                self.bye("no usable media")
                return
        event.set()
        if self.state == "answered":
            self.state = "confirmed"
            self.acked_at = time.monotonic()
            self.rtp.start(self.media)
            self._run_task = self._spawn(self._run())
            self._spawn(self._watchdog())

    def on_reinvite(self, invite: SipRequest) -> None:
        """A re-INVITE (hold, resume, new address or codec): 200 with our answer, or 488 keeping the old media."""
        if self.state != "confirmed":
            self._respond(invite, 491, "Request Pending")
            return
        self.dialog.remote_cseq = invite.cseq[0]
        if invite.body.strip():
            try:
                offer = parse_offer(invite.body)
                media = negotiate(offer, self.config.codecs)
            except SdpError as exc:
                self._respond(invite, 488, "Not Acceptable Here", [("Warning", f'399 AccessLine "{exc}"')])
                return
            self.offer, self.media = offer, media
            self.rtp.set_media(media)
        self._spawn(self._send_2xx(invite, self._session_description()))

    # -- the call -----------------------------------------------------------------------------------------------

    async def _run(self) -> None:
        try:
            await self.core.run(welcome=self.endpoint.welcome)
        except Exception:  # noqa: BLE001 - whatever broke, the caller must not be left in silence
            log.exception("call %s: call core failed", self.endpoint.masked(self.call_id))
        if self.state != "ended":
            self.bye("call core ended")

    async def _watchdog(self) -> None:
        """Hang up a call whose caller went silent at the RTP level (not on hold) or that ran too long."""
        while self.state == "confirmed":
            await asyncio.sleep(1.0)
            now = time.monotonic()
            silent = now - self.rtp.last_received > self.config.media_timeout
            if silent and self.media is not None and self.media.direction == "sendrecv":
                self.bye("no RTP from the caller")
            elif now - (self.acked_at or now) > self.config.max_call_seconds:
                self.bye("call too long")

    def _audio(self, pcm: bytes) -> None:
        self.core.audio(pcm)

    def _key(self, key: str) -> None:
        self.core.key(key)

    def on_info(self, request: SipRequest) -> tuple[int, str]:
        """SIP INFO keypad relay (application/dtmf-relay, application/dtmf); other INFO bodies are acknowledged."""
        key = parse_dtmf_info(request.get("Content-Type") or "", request.body)
        if key and self.state == "confirmed":
            self.rtp.digits.last_end_at = time.monotonic()
            self.core.key(key)
        return 200, "OK"

    def on_message(self, request: SipRequest) -> tuple[int, str]:
        """SIP MESSAGE (RFC 3428) inside the call: text from a phone that can type is a turn like speech."""
        kind = (request.get("Content-Type") or "").split(";")[0].strip().lower()
        if kind != "text/plain":
            return 415, "Unsupported Media Type"
        try:
            text = request.body.decode("utf-8").strip()
        except UnicodeDecodeError:
            return 400, "Text Is Not UTF-8"
        if not text or len(text) > MAX_TEXT_CHARS:
            return 413 if text else 400, "Text Too Long" if text else "Empty Text"
        if self.state != "confirmed":
            return 481, "Call/Transaction Does Not Exist"
        self.core.interrupt()
        self.core.text(text)
        return 200, "OK"

    def on_bye(self) -> None:
        self.end("caller hung up")

    # -- output half for the call core -------------------------------------------------------------------------

    @property
    def playing(self) -> bool:
        return self.rtp.playing

    async def event(self, payload: dict[str, Any]) -> None:
        """Structured events have no path on a phone line (the caller hears the reply)."""

    async def play(self, pcm8k: bytes) -> None:
        self.rtp.play(pcm8k)

    def stop_playback(self) -> None:
        self.rtp.stop_playback()

    async def wait_played(self) -> None:
        await self.rtp.wait_played()

    def can_transfer(self, queue: str) -> bool:
        return bool(self.config.agent_uris.get(queue)) and self.state == "confirmed"

    async def hand_over(self, handoff: dict[str, Any]) -> bool | None:
        """Blind transfer by REFER to the queue's agent URI; success is a 2xx in the NOTIFY sipfrag, then BYE."""
        uri = self.config.agent_uris.get(str(handoff.get("queue")))
        if not uri:
            return None
        if self.state != "confirmed":
            return False
        self._transfer = asyncio.get_running_loop().create_future()
        refer = self.dialog.request("REFER", self.config.contact, self.config.public_host, self.config.port)
        refer.headers += [("Refer-To", f"<{uri}>"), ("Referred-By", self.config.contact)]
        transaction = self.endpoint.send_request(refer, self.dialog.destination(self.source, self.config.allowed))
        response = await transaction.result()
        if response is None or not 200 <= response.status < 300:
            log.info("call %s: REFER refused (%s)", self.endpoint.masked(self.call_id),
                     response.status if response else "timeout")  # fmt: skip
            return False
        try:
            status = await asyncio.wait_for(self._transfer, self.config.transfer_timeout)
        except asyncio.TimeoutError:
            return False
        if not 200 <= status < 300:
            log.info("call %s: transfer failed (%s)", self.endpoint.masked(self.call_id), status)
            return False
        self.bye("transferred")
        return True

    def on_notify(self, request: SipRequest) -> tuple[int, str]:
        """Progress of our REFER: the sipfrag's status line; a final one (≥ 200) settles the transfer."""
        if not (request.get("Event") or "").strip().lower().startswith("refer"):
            return 489, "Bad Event"
        match = _SIPFRAG.match(request.body[:256])
        if match and int(match.group(1)) >= 200 and self._transfer is not None and not self._transfer.done():
            self._transfer.set_result(int(match.group(1)))
        return 200, "OK"

    # -- ending -------------------------------------------------------------------------------------------------

    def bye(self, reason: str) -> None:
        """We end the call: BYE (retransmitted by its own transaction), then release everything."""
        if self.state in ("answered", "confirmed"):
            request = self.dialog.request("BYE", self.config.contact, self.config.public_host, self.config.port)
            self.endpoint.send_request(request, self.dialog.destination(self.source, self.config.allowed))
        self.end(reason)

    def end(self, reason: str) -> None:
        """Release the media, the core and the timers (idempotent)."""
        if self.state == "ended":
            return
        self.state, self.end_reason = "ended", reason
        self.core.hang_up()
        self.rtp.close()
        if self._transfer is not None and not self._transfer.done():
            self._transfer.set_result(0)
        for event in self._acks.values():
            event.set()
        current = asyncio.current_task()
        for task in list(self._tasks):
            if task is not current and task is not self._run_task:  # the core's run() ends by itself
                task.cancel()
        self.endpoint.forget(self)
        log.info("call %s ended: %s", self.endpoint.masked(self.call_id), reason)

    async def closed(self) -> None:
        """Wait until every task of this call has finished (tests and shutdown)."""
        for task in list(self._tasks):
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task

    # -- helpers ------------------------------------------------------------------------------------------------

    def _respond(self, request: SipRequest, status: int, reason: str, headers: list | None = None) -> None:
        extra = [("Contact", self.config.contact)] if request.method == "INVITE" and status < 300 else []
        self.endpoint.respond(request, self.source, status, reason, self.dialog.local_tag, extra + (headers or []))

    def _spawn(self, coroutine) -> asyncio.Task:
        task = asyncio.create_task(coroutine)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return task
