"""The RTP pacer: a small child process of the gateway that sends every call's audio on a real 20 ms clock.

Why a process: a thread in the gateway shares the interpreter lock with everything else the gateway does, and when
the machine is busy the thread holding that lock can be descheduled while the clock waits for it (gaps of tens of
milliseconds were measured that way). Here nothing else runs; the process asks for real-time scheduling
(SCHED_FIFO) where it may, and sends each stream's next frame — or silence — every 20 ms with contiguous sequence
numbers and timestamps.

The gateway talks to it over a Unix SOCK_SEQPACKET socket (`bot/channels/sip/media.py` is the other end):

  gateway → pacer  OPEN id (the call's RTP socket passed with SCM_RIGHTS; JSON media), MEDIA id (JSON media),
                   PLAY id (G.711 frames, appended to the stream's queue), STOP id (drop the queue), CLOSE id, QUIT
  pacer → gateway  DRAINED id n (the queue ran empty after the stream's n-th PLAY)
JSON media: {"pt": payload type, "law": "PCMU"|"PCMA", "remote": [host, port], "sending": bool}."""

from __future__ import annotations

import json
import os
import random
import selectors
import signal
import socket
import struct
import sys
import time
from collections import deque
from dataclasses import dataclass, field

PERIOD = 0.020
FRAME = 160
HEADER = struct.Struct("!BII")  # kind, stream id, count (DRAINED only)
OPEN, MEDIA, PLAY, STOP, CLOSE, QUIT, DRAINED = range(1, 8)
MAX_CONTROL_BYTES = 65536
SILENCE = {"PCMU": b"\xff" * FRAME, "PCMA": b"\xd5" * FRAME}
_RTP = struct.Struct("!BBHII")


@dataclass
class Stream:
    sock: socket.socket
    media: dict
    frames: deque = field(default_factory=deque)
    plays: int = 0
    pending_drain: bool = False
    ssrc: int = field(default_factory=lambda: random.getrandbits(32))
    sequence: int = field(default_factory=lambda: random.getrandbits(16))
    timestamp: int = field(default_factory=lambda: random.getrandbits(32))
    marker: bool = True

    def tick(self) -> bool:
        """Send the next 20 ms; True when this emptied the queue of a playback (DRAINED is due)."""
        self.timestamp = (self.timestamp + FRAME) & 0xFFFFFFFF
        media = self.media
        if not media.get("sending", True):
            self.marker = True
            return False
        frame = self.frames.popleft() if self.frames else SILENCE[media["law"]]
        header = _RTP.pack(0x80, (0x80 if self.marker else 0) | media["pt"], self.sequence, self.timestamp, self.ssrc)
        try:
            self.sock.sendto(header + frame, tuple(media["remote"]))
        except OSError:
            return False
        self.marker = False
        self.sequence = (self.sequence + 1) & 0xFFFF
        if self.pending_drain and not self.frames:
            self.pending_drain = False
            return True
        return False


def realtime() -> str:
    """Ask for SCHED_FIFO; say what we got."""
    try:
        os.sched_setscheduler(0, os.SCHED_FIFO, os.sched_param(10))
        return "SCHED_FIFO"
    except (AttributeError, OSError) as exc:
        return f"normal scheduling ({exc})"


class Pacer:
    def __init__(self, control: socket.socket) -> None:
        control.setblocking(False)
        self.control = control
        self.streams: dict[int, Stream] = {}
        self.running = True

    def handle(self) -> None:
        """Read every waiting control message."""
        while True:
            try:
                data, fds, _flags, _addr = socket.recv_fds(self.control, MAX_CONTROL_BYTES, 1)
            except BlockingIOError:
                return
            if not data:  # the gateway is gone
                self.running = False
                return
            kind, stream_id, _count = HEADER.unpack_from(data)
            self.apply(kind, stream_id, data[HEADER.size :], fds)

    def apply(self, kind: int, stream_id: int, body: bytes, fds: list[int]) -> None:
        stream = self.streams.get(stream_id)
        if kind == OPEN and fds:
            sock = socket.socket(fileno=fds[0])
            self.streams[stream_id] = Stream(sock, json.loads(body))
        elif kind == MEDIA and stream:
            stream.media = json.loads(body)
        elif kind == PLAY and stream:
            stream.frames.extend(body[i : i + FRAME] for i in range(0, len(body), FRAME))
            stream.plays += 1
            stream.pending_drain = True
        elif kind == STOP and stream:
            stream.frames.clear()
            stream.pending_drain = False
        elif kind == CLOSE and stream:
            stream.sock.close()
            del self.streams[stream_id]
        elif kind == QUIT:
            self.running = False
        for fd in fds[1:] if kind == OPEN else fds:
            os.close(fd)

    def run(self) -> None:
        selector = selectors.DefaultSelector()
        selector.register(self.control, selectors.EVENT_READ)
        deadline = time.monotonic()
        while self.running:
            deadline += PERIOD
            for stream_id, stream in list(self.streams.items()):
                if stream.tick():
                    self._tell(DRAINED, stream_id, stream.plays)
            while self.running:
                wait = deadline - time.monotonic()
                if wait <= 0:
                    break
                if selector.select(wait):
                    self.handle()
            if time.monotonic() - deadline > 0.2:  # far behind (suspended): start afresh rather than burst
                deadline = time.monotonic()

    def _tell(self, kind: int, stream_id: int, count: int) -> None:
        try:
            self.control.send(HEADER.pack(kind, stream_id, count), socket.MSG_DONTWAIT)
        except OSError:
            pass


def main() -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C reaches the whole process group: the gateway stops us
    control = socket.socket(fileno=int(sys.argv[1]))
    print(f"rtp pacer: {realtime()}", file=sys.stderr, flush=True)
    Pacer(control).run()


if __name__ == "__main__":
    main()
