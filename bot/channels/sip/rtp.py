"""RTP packets (RFC 3550) and RFC 4733 telephone-events: parse what the caller sends, build what we send.

Keypad digits: a digit counts on the first packet of a new event (a new RTP timestamp); the repeats and the
three end packets of the same event carry the same timestamp and are ignored. SIP INFO (application/dtmf-relay,
application/dtmf) is read here too."""

from __future__ import annotations

import re
import struct
import time
from dataclasses import dataclass

MAX_RTP_BYTES = 2048
HEADER = struct.Struct("!BBHII")
EVENT_KEYS = "0123456789*#ABCD"
_SIGNAL = re.compile(r"^\s*Signal\s*=\s*([0-9*#A-Da-d]|1[0-5])\s*$", re.MULTILINE | re.IGNORECASE)


class RtpError(ValueError):
    """Not an RTP packet we accept."""


@dataclass(frozen=True)
class RtpPacket:
    payload_type: int
    sequence: int
    timestamp: int
    ssrc: int
    marker: bool
    payload: bytes


def parse_rtp(data: bytes) -> RtpPacket:
    """One datagram → an RTP packet (version 2; CSRCs, extension and padding removed). Raises RtpError."""
    if len(data) < HEADER.size or len(data) > MAX_RTP_BYTES:
        raise RtpError("bad RTP size")
    first, second, sequence, timestamp, ssrc = HEADER.unpack_from(data)
    if first >> 6 != 2:
        raise RtpError("not RTP version 2")
    offset = HEADER.size + 4 * (first & 0x0F)
    if first & 0x10:  # header extension: 16-bit profile, 16-bit length in words
        if len(data) < offset + 4:
            raise RtpError("truncated extension")
        offset += 4 + 4 * struct.unpack_from("!H", data, offset + 2)[0]
    end = len(data)
    if first & 0x20:  # padding: the last octet counts the padding octets
        end -= data[-1]
    if offset > end:
        raise RtpError("truncated RTP packet")
    return RtpPacket(second & 0x7F, sequence, timestamp, ssrc, bool(second & 0x80), data[offset:end])


def build_rtp(
    payload_type: int, sequence: int, timestamp: int, ssrc: int, payload: bytes, marker: bool = False
) -> bytes:
    second = (0x80 if marker else 0) | (payload_type & 0x7F)
    return HEADER.pack(0x80, second, sequence & 0xFFFF, timestamp & 0xFFFFFFFF, ssrc) + payload


@dataclass(frozen=True)
class TelephoneEvent:
    key: str
    end: bool
    volume: int
    duration: int


def parse_event(payload: bytes) -> TelephoneEvent | None:
    """An RFC 4733 event payload (4 octets) → the key, or None for events that are not keypad keys."""
    if len(payload) < 4:
        return None
    event, flags, duration = struct.unpack_from("!BBH", payload)
    if event >= len(EVENT_KEYS):
        return None
    return TelephoneEvent(EVENT_KEYS[event], bool(flags & 0x80), flags & 0x3F, duration)


def build_event(key: str, end: bool, duration: int, volume: int = 10) -> bytes:
    return struct.pack("!BBH", EVENT_KEYS.index(key), (0x80 if end else 0) | (volume & 0x3F), duration & 0xFFFF)


class DigitDetector:
    """Counts each keypad event once. A new event is a new RTP timestamp; packets with the timestamp of the current
    event (its updates and its three end packets) are repeats. A sender that replays the very same packets later
    (a recording played twice) is a new press when the earlier event ended more than `replay_gap` seconds ago."""

    def __init__(self, replay_gap: float = 0.5, clock=time.monotonic) -> None:
        self._timestamp: int | None = None
        self._ended_at: float | None = None
        self._replay_gap = replay_gap
        self._clock = clock
        self.last_end_at: float | None = None  # when the last event's first end packet came (for measurements)

    def feed(self, timestamp: int, event: TelephoneEvent) -> str | None:
        """The key when this packet starts a new event, else None."""
        now = self._clock()
        same = timestamp == self._timestamp
        replay = same and self._ended_at is not None and now - self._ended_at > self._replay_gap
        if same and not replay:
            if event.end and self._ended_at is None:
                self._ended_at = self.last_end_at = now
            return None
        self._timestamp = timestamp
        self._ended_at = now if event.end else None
        if event.end:
            self.last_end_at = now
        return event.key


def parse_dtmf_info(content_type: str, body: bytes) -> str | None:
    """The key in a SIP INFO body: application/dtmf-relay (`Signal=5`) or application/dtmf (`5`)."""
    kind = content_type.split(";")[0].strip().lower()
    text = body[:512].decode("ascii", "replace")
    if kind == "application/dtmf-relay":
        match = _SIGNAL.search(text)
        if not match:
            return None
        signal = match.group(1).upper()
        return EVENT_KEYS[int(signal)] if signal.isdigit() and len(signal) == 2 else signal
    if kind == "application/dtmf":
        signal = text.strip().upper()
        if signal.isdigit() and int(signal) < len(EVENT_KEYS):
            return EVENT_KEYS[int(signal)]
        return signal if len(signal) == 1 and signal in EVENT_KEYS else None
    return None
