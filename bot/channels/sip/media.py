"""RTP media of a call: receive the caller's G.711 audio and keypad events, send our speech paced on a real 20 ms
clock.

Sending is done by the RTP pacer, a child process shared by all calls (bot/channels/sip/pacer.py), so neither a
busy event loop (a database call, a chat turn) nor the interpreter lock delays a packet: every 20 ms each active
stream sends its next frame of speech, or silence when there is none, with contiguous sequence numbers and
timestamps. Packets go to where the caller's RTP comes from (symmetric RTP), or to the address in its SDP until
the first packet arrives."""

from __future__ import annotations

import asyncio
import itertools
import json
import logging
import random
import socket
import subprocess
import sys
import time
from collections.abc import Callable

from bot.channels.sip import pacer
from bot.channels.sip.rtp import DigitDetector, RtpError, parse_event, parse_rtp
from bot.channels.sip.sdp import Negotiated
from bot.core.config import PROJECT_ROOT
from voice import g711

log = logging.getLogger(__name__)
FRAME_SAMPLES = 160  # 20 ms at 8 kHz
PERIOD = 0.020
CHUNK = 200 * FRAME_SAMPLES  # frames per PLAY message (4 s), well inside the control socket's buffer
_SILENCE = {"PCMU": b"\xff" * FRAME_SAMPLES, "PCMA": b"\xd5" * FRAME_SAMPLES}


def encode(pcm: bytes, codec: str) -> bytes:
    return g711.pcm16_to_alaw(pcm) if codec == "PCMA" else g711.pcm16_to_ulaw(pcm)


def decode(payload: bytes, codec: str) -> bytes:
    return g711.alaw_to_pcm16(payload) if codec == "PCMA" else g711.ulaw_to_pcm16(payload)


class MediaPacer:
    """The gateway's end of the RTP pacer process (bot/channels/sip/pacer.py): starts it, passes it each call's
    RTP socket and audio, and hears when a playback has been sent. Restarted if it ever dies."""

    def __init__(self) -> None:
        self._control: socket.socket | None = None
        self._process: subprocess.Popen | None = None
        self._streams: dict[int, RtpStream] = {}
        self._ids = itertools.count(1)
        self._loop: asyncio.AbstractEventLoop | None = None

    def start(self) -> None:
        self._loop = asyncio.get_running_loop()
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        for end in (ours, theirs):
            end.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 1 << 20)
            end.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1 << 20)
        command = [sys.executable, "-m", "bot.channels.sip.pacer", str(theirs.fileno())]
        self._process = subprocess.Popen(command, pass_fds=[theirs.fileno()], cwd=PROJECT_ROOT)
        theirs.close()
        self._control = ours
        self._loop.add_reader(ours.fileno(), self._on_readable)

    @property
    def active(self) -> int:
        return len(self._streams)

    def open(self, stream: RtpStream) -> int:
        stream_id = next(self._ids)
        self._streams[stream_id] = stream
        self._send(pacer.OPEN, stream_id, json.dumps(stream.media_json()).encode(), [stream.sock.fileno()])
        return stream_id

    def media(self, stream_id: int, media: dict) -> None:
        self._send(pacer.MEDIA, stream_id, json.dumps(media).encode())

    def play(self, stream_id: int, frames: bytes) -> None:
        for start in range(0, len(frames), CHUNK):
            self._send(pacer.PLAY, stream_id, frames[start : start + CHUNK])

    def stop(self, stream_id: int) -> None:
        self._send(pacer.STOP, stream_id)

    def close(self, stream_id: int) -> None:
        if self._streams.pop(stream_id, None) is not None:
            self._send(pacer.CLOSE, stream_id)

    def shutdown(self) -> None:
        if self._control is None:
            return
        self._send(pacer.QUIT, 0)
        if self._loop is not None:
            self._loop.remove_reader(self._control.fileno())
        self._control.close()
        self._control = None
        if self._process is not None:
            try:
                self._process.wait(2)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait(2)

    def _send(self, kind: int, stream_id: int, body: bytes = b"", fds: list[int] | None = None) -> None:
        message = pacer.HEADER.pack(kind, stream_id, 0) + body
        for attempt in (1, 2):
            try:
                if self._control is None:
                    raise OSError("pacer not running")
                socket.send_fds(self._control, [message], fds or [])
                return
            except OSError as exc:
                if kind == pacer.QUIT:
                    return  # already gone
                if attempt == 2:
                    log.error("RTP pacer unreachable: %s", exc)
                    return
                log.error("RTP pacer died (%s); restarting it", exc)
                self._restart()

    def _restart(self) -> None:
        if self._control is not None and self._loop is not None:
            self._loop.remove_reader(self._control.fileno())
            self._control.close()
        if self._process is not None and self._process.poll() is None:
            self._process.kill()
            self._process.wait(2)
        self.start()
        for stream_id, stream in self._streams.items():
            stream.pacer_restarted()
            message = pacer.HEADER.pack(pacer.OPEN, stream_id, 0) + json.dumps(stream.media_json()).encode()
            socket.send_fds(self._control, [message], [stream.sock.fileno()])

    def _on_readable(self) -> None:
        while self._control is not None:
            try:
                data = self._control.recv(64, socket.MSG_DONTWAIT)
            except BlockingIOError:
                return
            except OSError:
                data = b""
            if not data:
                if self._loop is not None and self._control is not None:
                    self._loop.remove_reader(self._control.fileno())
                return
            kind, stream_id, count = pacer.HEADER.unpack_from(data)
            stream = self._streams.get(stream_id)
            if kind == pacer.DRAINED and stream is not None:
                stream.drained(count)


class RtpStream(asyncio.DatagramProtocol):
    """One call's RTP socket. Audio and keys from the caller go to the callbacks; `play` queues our speech, which
    the pacer process sends."""

    def __init__(
        self,
        pacer: MediaPacer,
        on_audio: Callable[[bytes], None],
        on_key: Callable[[str], None],
        source_allowed: Callable[[str], bool],
    ) -> None:
        self.pacer, self.on_audio, self.on_key, self.source_allowed = pacer, on_audio, on_key, source_allowed
        self.sock: socket.socket | None = None
        self.transport: asyncio.DatagramTransport | None = None
        self.port = 0
        self.media: Negotiated | None = None
        self.peer: tuple[str, int] | None = None  # where the caller's RTP comes from (latched on the first packet)
        self.digits = DigitDetector()
        self.stream_id: int | None = None
        self._plays_sent = self._plays_done = 0
        self.received = 0
        self.last_received = time.monotonic()
        self.closed = False

    # -- set-up ----------------------------------------------------------------------------------------------------

    async def open(self, host: str, ports: tuple[int, int]) -> int:
        """Bind an even port in the range (RTP's convention; RTCP would take the odd one above)."""
        loop = asyncio.get_running_loop()
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        candidates = list(range(ports[0] + ports[0] % 2, ports[1], 2))
        random.shuffle(candidates)
        for port in candidates[:200]:
            sock = socket.socket(family, socket.SOCK_DGRAM)
            try:
                sock.bind((host, port))
            except OSError:
                sock.close()
                continue
            sock.setblocking(False)
            self.sock, self.port = sock, port
            self.transport, _ = await loop.create_datagram_endpoint(lambda: self, sock=sock)
            return port
        raise OSError(f"no free RTP port in {ports[0]}-{ports[1]}")

    def start(self, media: Negotiated) -> None:
        """Start sending (called when the call is answered and acknowledged)."""
        self.media = media
        self.last_received = time.monotonic()
        self.stream_id = self.pacer.open(self)

    def set_media(self, media: Negotiated) -> None:
        """New negotiated media (re-INVITE for hold/resume, new address or codec). A codec change drops what was
        queued in the old law."""
        old = self.media
        if old is not None and old.remote != media.remote:
            self.peer = None  # latch again on the new address
        if old is not None and old.codec != media.codec:
            self.stop_playback()
        self.media = media
        if self.stream_id is not None:
            self.pacer.media(self.stream_id, self.media_json())

    def media_json(self) -> dict:
        media = self.media
        assert media is not None
        return {
            "pt": media.payload_type,
            "law": media.codec,
            "remote": list(self.peer or media.remote),
            "sending": media.sending,
        }

    def close(self) -> None:
        if self.closed:
            return
        self.closed = True
        if self.stream_id is not None:
            self.pacer.close(self.stream_id)
        if self.transport is not None:
            self.transport.close()

    # -- receiving (event loop) ------------------------------------------------------------------------------------

    def datagram_received(self, data: bytes, addr: tuple) -> None:
        media = self.media
        if media is None or self.closed:
            return
        source = (addr[0], addr[1])
        if self.peer is None:
            if source[0] != media.remote[0] and not self.source_allowed(source[0]):
                return
            self.peer = source
            if self.stream_id is not None and source != media.remote:
                self.pacer.media(self.stream_id, self.media_json())  # symmetric RTP: answer where it comes from
        elif source != self.peer:
            return
        try:
            packet = parse_rtp(data)
        except RtpError:
            return
        self.received += 1
        self.last_received = time.monotonic()
        if packet.payload_type == media.payload_type:
            self.on_audio(decode(packet.payload, media.codec))
        elif media.telephone_event is not None and packet.payload_type == media.telephone_event:
            event = parse_event(packet.payload)
            key = self.digits.feed(packet.timestamp, event) if event else None
            if key:
                self.on_key(key)

    # -- sending (through the pacer) -------------------------------------------------------------------------------

    @property
    def playing(self) -> bool:
        return self._plays_done < self._plays_sent

    def play(self, pcm: bytes) -> None:
        """Queue 8 kHz 16-bit PCM, cut into 20 ms frames (the last one padded with silence)."""
        if self.stream_id is None or self.media is None or self.closed:
            return
        data = encode(pcm, self.media.codec)
        data += _SILENCE[self.media.codec][: (-len(data)) % FRAME_SAMPLES]
        self._plays_sent += 1
        self.pacer.play(self.stream_id, data)

    def stop_playback(self) -> None:
        if self.stream_id is not None and self.playing:
            self.pacer.stop(self.stream_id)
        self._plays_done = self._plays_sent

    def drained(self, count: int) -> None:
        """The pacer sent everything up to our `count`-th play."""
        self._plays_done = max(self._plays_done, min(count, self._plays_sent))

    def pacer_restarted(self) -> None:
        self._plays_sent = self._plays_done = 0

    async def wait_played(self) -> None:
        while self.playing and not self.closed:
            await asyncio.sleep(PERIOD)
