"""SDP offer/answer (RFC 4566, RFC 3264) for one G.711 audio stream plus RFC 4733 telephone-event.

We read the caller's offer (address, port, codecs with their payload types, telephone-event payload type, packet
time, direction) and answer with one of PCMU/PCMA and the caller's own telephone-event payload type. An offer
without G.711 over RTP/AVP is refused (the caller gets 488)."""

from __future__ import annotations

import ipaddress
import itertools
from dataclasses import dataclass, field

MAX_SDP_BYTES = 4096
CODECS = {"PCMU": 0, "PCMA": 8}  # static payload types (RFC 3551)
_STATIC_NAMES = {0: "PCMU", 8: "PCMA"}
DIRECTIONS = ("sendrecv", "sendonly", "recvonly", "inactive")
_ANSWER_DIRECTION = {"sendrecv": "sendrecv", "sendonly": "recvonly", "recvonly": "sendonly", "inactive": "inactive"}
_session_ids = itertools.count(1)


class SdpError(ValueError):
    """The offer is unreadable or has nothing we can use; the text says why."""


@dataclass
class MediaOffer:
    """The first audio stream of an offer."""

    address: str
    port: int
    proto: str
    payload_types: list[int]
    rtpmap: dict[int, str] = field(default_factory=dict)  # pt → "PCMU/8000"
    direction: str = "sendrecv"
    ptime: int | None = None

    def codec_name(self, pt: int) -> str | None:
        mapped = self.rtpmap.get(pt)
        if mapped:
            name, _, rate = mapped.partition("/")
            return name.upper() if rate.split("/")[0] == "8000" else None
        return _STATIC_NAMES.get(pt)

    @property
    def telephone_event(self) -> int | None:
        return next((pt for pt in self.payload_types if (self.codec_name(pt) or "") == "TELEPHONE-EVENT"), None)

    @property
    def on_hold(self) -> bool:
        return self.direction in ("sendonly", "inactive") or self.address in ("0.0.0.0", "::")


@dataclass
class Offer:
    media: MediaOffer
    m_lines: list[str]  # every m= line, so the answer can refuse the others with port 0


def parse_offer(body: bytes) -> Offer:
    """The caller's SDP → its first audio stream. Raises SdpError."""
    if len(body) > MAX_SDP_BYTES:
        raise SdpError("SDP too large")
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise SdpError("SDP is not UTF-8") from exc
    session_address, session_direction = None, "sendrecv"
    media: MediaOffer | None = None
    m_lines: list[str] = []
    in_audio = False
    for raw in text.splitlines()[:200]:
        line = raw.strip()
        if len(line) < 2 or line[1] != "=":
            continue
        kind, value = line[0], line[2:].strip()
        if kind == "m":
            m_lines.append(value)
            in_audio = media is None and value.startswith("audio ")
            if in_audio:
                media = _media_line(value, session_address, session_direction)
        elif kind == "c":
            address = _connection(value)
            if media is None and not m_lines:
                session_address = address
            elif in_audio and media is not None:
                media.address = address
        elif kind == "a":
            _attribute(value, media if in_audio else None)
            if not m_lines and value in DIRECTIONS:
                session_direction = value
    if media is None:
        raise SdpError("no audio stream offered")
    if not media.address:
        raise SdpError("no connection address")
    return Offer(media, m_lines)


def _media_line(value: str, address: str | None, direction: str) -> MediaOffer:
    parts = value.split()
    if len(parts) < 4 or not parts[1].split("/")[0].isdigit():
        raise SdpError("bad m= line")
    port = int(parts[1].split("/")[0])
    if port > 65535:
        raise SdpError("bad media port")
    payload_types = [int(p) for p in parts[3:20] if p.isdigit() and int(p) < 128]
    return MediaOffer(address or "", port, parts[2], payload_types, direction=direction)


def _connection(value: str) -> str:
    parts = value.split()
    if len(parts) < 3 or parts[0] != "IN" or parts[1] not in ("IP4", "IP6"):
        raise SdpError("bad c= line")
    address = parts[2].split("/")[0]
    try:
        ipaddress.ip_address(address)
    except ValueError as exc:
        raise SdpError("c= address must be an IP address") from exc
    return address


def _attribute(value: str, media: MediaOffer | None) -> None:
    if media is None:
        return
    name, _, rest = value.partition(":")
    if name == "rtpmap":
        pt_text, _, encoding = rest.partition(" ")
        if pt_text.isdigit() and int(pt_text) < 128:
            media.rtpmap[int(pt_text)] = encoding.strip()[:64]
    elif name == "ptime" and rest.strip().isdigit():
        media.ptime = min(int(rest.strip()), 1000)
    elif value in DIRECTIONS:
        media.direction = value


@dataclass(frozen=True)
class Negotiated:
    """What we agreed: the audio codec and its payload type, the caller's telephone-event type, where to send."""

    codec: str  # PCMU | PCMA
    payload_type: int
    telephone_event: int | None
    remote: tuple[str, int]
    direction: str  # our answer's direction
    ptime: int | None

    @property
    def sending(self) -> bool:
        """Whether we may send audio now (not on hold, a real address)."""
        return self.direction in ("sendrecv", "sendonly") and self.remote[0] not in ("0.0.0.0", "::")


def negotiate(offer: Offer, allowed: tuple[str, ...] = ("PCMU", "PCMA")) -> Negotiated:
    """Pick the caller's first G.711 codec that we allow. Raises SdpError when there is none."""
    media = offer.media
    if media.port == 0:
        raise SdpError("audio stream refused by the caller (port 0)")
    if media.proto.upper() != "RTP/AVP":
        raise SdpError(f"unsupported transport {media.proto} (only RTP/AVP)")
    for pt in media.payload_types:
        name = media.codec_name(pt)
        if name in allowed:
            direction = "inactive" if media.address in ("0.0.0.0", "::") else _ANSWER_DIRECTION[media.direction]
            return Negotiated(name, pt, media.telephone_event, (media.address, media.port), direction, media.ptime)
    raise SdpError("no G.711 (PCMU/PCMA) offered")


def build_answer(
    offer: Offer, chosen: Negotiated, address: str, port: int, session_id: int, version: int
) -> bytes:  # fmt: skip
    """Our answer: the chosen codec, the caller's telephone-event, 20 ms packets; other m= lines refused."""
    family = "IP6" if ":" in address else "IP4"
    formats = [chosen.payload_type] + ([chosen.telephone_event] if chosen.telephone_event is not None else [])
    lines = [
        "v=0",
        f"o=AccessLine {session_id} {version} IN {family} {address}",
        "s=AccessLine",
        f"c=IN {family} {address}",
        "t=0 0",
    ]
    audio_done = False
    for m_line in offer.m_lines:
        if not audio_done and m_line.startswith("audio "):
            audio_done = True
            lines.append(f"m=audio {port} RTP/AVP {' '.join(str(f) for f in formats)}")
            lines.append(f"a=rtpmap:{chosen.payload_type} {chosen.codec}/8000")
            if chosen.telephone_event is not None:
                lines.append(f"a=rtpmap:{chosen.telephone_event} telephone-event/8000")
                lines.append(f"a=fmtp:{chosen.telephone_event} 0-15")
            lines.append("a=ptime:20")
            lines.append(f"a={chosen.direction}")
        else:
            kind = m_line.split(" ", 1)[0]
            proto_and_formats = " ".join(m_line.split()[2:]) or "RTP/AVP 0"
            lines.append(f"m={kind} 0 {proto_and_formats}")
    return ("\r\n".join(lines) + "\r\n").encode("ascii")


def build_offer(address: str, port: int, session_id: int, version: int, allowed: tuple[str, ...]) -> bytes:
    """Our own offer (for an INVITE that came without SDP): the allowed G.711 codecs and telephone-event 101."""
    family = "IP6" if ":" in address else "IP4"
    pts = [CODECS[name] for name in allowed]
    lines = [
        "v=0",
        f"o=AccessLine {session_id} {version} IN {family} {address}",
        "s=AccessLine",
        f"c=IN {family} {address}",
        "t=0 0",
        f"m=audio {port} RTP/AVP {' '.join(str(p) for p in pts)} 101",
        *[f"a=rtpmap:{CODECS[name]} {name}/8000" for name in allowed],
        "a=rtpmap:101 telephone-event/8000",
        "a=fmtp:101 0-15",
        "a=ptime:20",
        "a=sendrecv",
    ]
    return ("\r\n".join(lines) + "\r\n").encode("ascii")


def new_session_id() -> int:
    return next(_session_ids) + 1_000_000
