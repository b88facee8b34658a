"""RTP media of a call: receive the caller's G.711 audio and keypad events, send our speech paced on a real 20 ms
clock.

Sending runs on one clock thread for all calls (`MediaClock`), so a busy event loop (a database call, a chat turn)
never delays a packet: every 20 ms each active stream sends its next frame of speech, or silence when there is
none, with contiguous sequence numbers and timestamps. Packets go to where the caller's RTP comes from (symmetric
RTP), or to the address in its SDP until the first packet arrives."""

from __future__ import annotations

import asyncio
import logging
import os
import random
import socket
import sys
import threading
import time
from collections import deque
from collections.abc import Callable

from bot.channels.sip.rtp import DigitDetector, RtpError, build_rtp, parse_event, parse_rtp
from bot.channels.sip.sdp import Negotiated
from voice import g711

log = logging.getLogger(__name__)
FRAME_SAMPLES = 160  # 20 ms at 8 kHz
PERIOD = 0.020
SWITCH_INTERVAL = 0.001  # how long another thread may hold the GIL before the clock thread gets it (default 5 ms)
_SILENCE = {"PCMU": b"\xff" * FRAME_SAMPLES, "PCMA": b"\xd5" * FRAME_SAMPLES}


def encode(pcm: bytes, codec: str) -> bytes:
    return g711.pcm16_to_alaw(pcm) if codec == "PCMA" else g711.pcm16_to_ulaw(pcm)


def decode(payload: bytes, codec: str) -> bytes:
    return g711.alaw_to_pcm16(payload) if codec == "PCMA" else g711.ulaw_to_pcm16(payload)


class MediaClock:
    """One thread that ticks every 20 ms (absolute deadlines) and lets every active stream send one packet."""

    def __init__(self) -> None:
        self._streams: list[RtpStream] = []
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._stop = threading.Event()
        self.late_ticks = 0

    def add(self, stream: RtpStream) -> None:
        with self._lock:
            self._streams.append(stream)
            if self._thread is None or not self._thread.is_alive():
                self._stop.clear()
                self._thread = threading.Thread(target=self._run, name="rtp-clock", daemon=True)
                self._thread.start()

    def remove(self, stream: RtpStream) -> None:
        with self._lock:
            if stream in self._streams:
                self._streams.remove(stream)

    @property
    def active(self) -> int:
        with self._lock:
            return len(self._streams)

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=1.0)

    def _run(self) -> None:
        _prefer_this_thread()
        deadline = time.monotonic()
        while not self._stop.is_set():
            deadline += PERIOD
            with self._lock:
                streams = list(self._streams)
            for stream in streams:
                try:
                    stream.tick()
                except Exception:  # noqa: BLE001 - one broken stream must not stop the others
                    log.exception("RTP stream tick failed")
            delay = deadline - time.monotonic()
            if delay > 0:
                time.sleep(delay)
            elif delay < -0.2:  # far behind (machine suspended, overloaded): start afresh rather than burst
                self.late_ticks += 1
                deadline = time.monotonic()


def _prefer_this_thread() -> None:
    """Real-time scheduling for the clock thread where the process may have it (root or CAP_SYS_NICE), and a
    shorter GIL switch interval so that Python work elsewhere in the gateway delays a packet by 1 ms at most."""
    if sys.getswitchinterval() > SWITCH_INTERVAL:
        sys.setswitchinterval(SWITCH_INTERVAL)
    try:
        os.sched_setscheduler(0, os.SCHED_FIFO, os.sched_param(10))  # 0 = this thread on Linux
    except (AttributeError, OSError) as exc:
        log.info("RTP clock runs without real-time priority (%s); packet gaps may vary under load", exc)


class RtpStream(asyncio.DatagramProtocol):
    """One call's RTP socket. Audio and keys from the caller go to the callbacks; `play` queues our speech."""

    def __init__(
        self,
        clock: MediaClock,
        on_audio: Callable[[bytes], None],
        on_key: Callable[[str], None],
        source_allowed: Callable[[str], bool],
    ) -> None:
        self.clock, self.on_audio, self.on_key, self.source_allowed = clock, on_audio, on_key, source_allowed
        self.sock: socket.socket | None = None
        self.transport: asyncio.DatagramTransport | None = None
        self.port = 0
        self.media: Negotiated | None = None
        self.peer: tuple[str, int] | None = None  # where the caller's RTP comes from (latched on the first packet)
        self.digits = DigitDetector()
        self._frames: deque[bytes] = deque()
        self._ssrc = random.getrandbits(32)
        self._sequence = random.getrandbits(16)
        self._timestamp = random.getrandbits(32)
        self._marker = True
        self.sent = 0
        self.received = 0
        self.last_received = time.monotonic()
        self.first_sent_at: float | None = None
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
        self.set_media(media)
        self.last_received = time.monotonic()
        self.clock.add(self)

    def set_media(self, media: Negotiated) -> None:
        """New negotiated media (answer, re-INVITE for hold/resume, codec change)."""
        old = self.media
        if old is not None and old.codec != media.codec:
            self._frames = deque(encode(decode(f, old.codec), media.codec) for f in list(self._frames))
        if old is not None and old.remote != media.remote:
            self.peer = None  # latch again on the new address
        self.media = media

    def close(self) -> None:
        self.closed = True
        self.clock.remove(self)
        self._frames.clear()
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

    # -- sending (clock thread for ticks; event loop for play/stop) ------------------------------------------------

    @property
    def playing(self) -> bool:
        return bool(self._frames)

    def play(self, pcm: bytes) -> None:
        """Queue 8 kHz 16-bit PCM, cut into 20 ms frames (the last one padded with silence)."""
        codec = self.media.codec if self.media else "PCMU"
        data = encode(pcm, codec)
        silence = _SILENCE[codec]
        for start in range(0, len(data), FRAME_SAMPLES):
            frame = data[start : start + FRAME_SAMPLES]
            self._frames.append(frame + silence[len(frame) :])

    def stop_playback(self) -> None:
        self._frames.clear()

    async def wait_played(self) -> None:
        while self._frames and not self.closed:
            await asyncio.sleep(PERIOD)

    def tick(self) -> None:
        """Send the next 20 ms (clock thread)."""
        media, sock = self.media, self.sock
        self._timestamp = (self._timestamp + FRAME_SAMPLES) & 0xFFFFFFFF
        if media is None or sock is None or self.closed or not media.sending:
            self._marker = True
            return
        try:
            frame = self._frames.popleft()
        except IndexError:
            frame = _SILENCE[media.codec]
        packet = build_rtp(media.payload_type, self._sequence, self._timestamp, self._ssrc, frame, self._marker)
        try:
            sock.sendto(packet, self.peer or media.remote)
        except (BlockingIOError, OSError) as exc:
            log.debug("RTP send failed: %s", exc)
            return
        if self.first_sent_at is None:
            self.first_sent_at = time.monotonic()
        self._marker = False
        self._sequence = (self._sequence + 1) & 0xFFFF
        self.sent += 1
