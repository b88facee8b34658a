"""SIP messages (RFC 3261 section 7): parse bytes from the wire into a request or response, and build them back.

Outside input is hostile: every size is bounded before work is done (message bytes, header count, line length),
and anything that does not follow the grammar raises SipParseError — never another exception. Header names are
stored in their canonical long form (compact forms such as `v`, `i`, `f` are expanded)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

MAX_MESSAGE_BYTES = 8192
MAX_HEADERS = 64
MAX_LINE_CHARS = 2048
SIP_VERSION = "SIP/2.0"

COMPACT = {
    "i": "Call-ID",
    "m": "Contact",
    "e": "Content-Encoding",
    "l": "Content-Length",
    "c": "Content-Type",
    "f": "From",
    "s": "Subject",
    "k": "Supported",
    "t": "To",
    "v": "Via",
    "o": "Event",
    "r": "Refer-To",
    "b": "Referred-By",
    "u": "Allow-Events",
}
_CANONICAL = {
    name.lower(): name
    for name in (
        "Call-ID", "CSeq", "WWW-Authenticate", "Max-Forwards", "Record-Route", "Content-Length", "Content-Type",
        "Refer-To", "Referred-By", "Allow-Events", "Subscription-State", "User-Agent", "Retry-After",
    )
}  # fmt: skip
_TOKEN = re.compile(r"^[A-Za-z0-9.!%*_+`'~-]+$")
_REQUEST_LINE = re.compile(r"^([A-Za-z0-9.!%*_+`'~-]{1,32}) (\S{1,1024}) (SIP/2\.0)$")
_STATUS_LINE = re.compile(r"^(SIP/2\.0) ([1-6][0-9]{2}) ?(.{0,256})$")
_CSEQ = re.compile(r"^([0-9]{1,10})\s+([A-Za-z0-9.!%*_+`'~-]{1,32})$")
_REQUIRED = ("Via", "From", "To", "Call-ID", "CSeq")


class SipParseError(ValueError):
    """The bytes are not a SIP message we accept; the text says why (used as the 400 reason)."""


def canonical_name(name: str) -> str:
    """`v` → `Via`, `call-id` → `Call-ID`, `content-type` → `Content-Type`."""
    lowered = name.lower()
    if lowered in COMPACT:
        return COMPACT[lowered]
    return _CANONICAL.get(lowered) or "-".join(part.capitalize() for part in name.split("-"))


@dataclass
class SipMessage:
    """Headers in arrival order (canonical names) and the body."""

    headers: list[tuple[str, str]] = field(default_factory=list)
    body: bytes = b""

    def get(self, name: str) -> str | None:
        """The first value of a header."""
        name = canonical_name(name)
        return next((value for key, value in self.headers if key == name), None)

    def get_all(self, name: str) -> list[str]:
        """Every value of a header, comma-separated lists split (Via, Record-Route, Contact)."""
        name = canonical_name(name)
        return [part for key, value in self.headers if key == name for part in split_values(value)]

    def set(self, name: str, value: str) -> None:
        """Replace all values of a header with one (appended when absent)."""
        name = canonical_name(name)
        self.headers = [(k, v) for k, v in self.headers if k != name]
        self.headers.append((name, value))

    @property
    def call_id(self) -> str:
        return self.get("Call-ID") or ""

    @property
    def cseq(self) -> tuple[int, str]:
        match = _CSEQ.match((self.get("CSeq") or "").strip())
        if not match:
            raise SipParseError("bad CSeq")
        return int(match.group(1)), match.group(2).upper()

    def start_line(self) -> str:
        raise NotImplementedError

    def to_bytes(self) -> bytes:
        """Serialise with a correct Content-Length."""
        lines = [self.start_line()]
        lines += [f"{name}: {value}" for name, value in self.headers if name != "Content-Length"]
        lines.append(f"Content-Length: {len(self.body)}")
        return ("\r\n".join(lines) + "\r\n\r\n").encode("utf-8") + self.body


@dataclass
class SipRequest(SipMessage):
    method: str = ""
    uri: str = ""

    def start_line(self) -> str:
        return f"{self.method} {self.uri} {SIP_VERSION}"


@dataclass
class SipResponse(SipMessage):
    status: int = 200
    reason: str = "OK"

    def start_line(self) -> str:
        return f"{SIP_VERSION} {self.status} {self.reason}"


def split_values(value: str) -> list[str]:
    """Split a header value at commas that are outside quotes and angle brackets."""
    parts, current, quoted, angle, escaped = [], [], False, False, False
    for char in value:
        if escaped:
            escaped = False
        elif char == "\\" and quoted:
            escaped = True
        elif char == '"':
            quoted = not quoted
        elif char == "<" and not quoted:
            angle = True
        elif char == ">" and not quoted:
            angle = False
        elif char == "," and not quoted and not angle:
            parts.append("".join(current).strip())
            current = []
            continue
        current.append(char)
    parts.append("".join(current).strip())
    return [p for p in parts if p]


def _header_lines(head: str) -> list[str]:
    """Unfold continuation lines (RFC 3261 7.3.1) and bound their number and length."""
    lines: list[str] = []
    for raw in head.split("\n"):
        line = raw.rstrip("\r")
        if len(line) > MAX_LINE_CHARS:
            raise SipParseError("header line too long")
        if line[:1] in (" ", "\t") and lines:
            lines[-1] += " " + line.strip()
            if len(lines[-1]) > MAX_LINE_CHARS:
                raise SipParseError("header line too long")
        elif line:
            lines.append(line)
        if len(lines) > MAX_HEADERS + 1:
            raise SipParseError("too many headers")
    return lines


def parse(data: bytes, max_bytes: int = MAX_MESSAGE_BYTES) -> SipRequest | SipResponse:
    """Bytes from one UDP datagram → a request or a response. Raises SipParseError."""
    if len(data) > max_bytes:
        raise SipParseError("message too large")
    data = data.lstrip(b"\r\n")  # keep-alive CRLFs before a message are allowed
    split = data.find(b"\r\n\r\n")
    if split >= 0:
        head_bytes, body = data[:split], data[split + 4 :]
    else:
        split = data.find(b"\n\n")
        if split < 0:
            raise SipParseError("no end of headers")
        head_bytes, body = data[:split], data[split + 2 :]
    try:
        head = head_bytes.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise SipParseError("headers are not UTF-8") from exc
    if "\x00" in head:
        raise SipParseError("NUL in headers")
    lines = _header_lines(head)
    if not lines:
        raise SipParseError("empty message")
    message = _start(lines[0])
    for line in lines[1:]:
        name, colon, value = line.partition(":")
        name = name.strip()
        if not colon or not _TOKEN.match(name):
            raise SipParseError("bad header line")
        message.headers.append((canonical_name(name), value.strip()))
    message.body = _body(message, body)
    _check(message)
    return message


def _start(line: str) -> SipRequest | SipResponse:
    if line.startswith(SIP_VERSION + " "):
        status = _STATUS_LINE.match(line)
        if not status:
            raise SipParseError("bad status line")
        return SipResponse(status=int(status.group(2)), reason=status.group(3).strip())
    request = _REQUEST_LINE.match(line)
    if not request:
        raise SipParseError("bad request line")
    uri = request.group(2)
    if not re.match(r"^(sips?|tel):", uri, re.IGNORECASE):
        raise SipParseError("unsupported Request-URI scheme")
    return SipRequest(method=request.group(1).upper(), uri=uri)


def _body(message: SipMessage, rest: bytes) -> bytes:
    length = message.get("Content-Length")
    if length is None:
        return rest  # over UDP the body runs to the end of the datagram
    if not length.isdigit() or len(length) > 6:
        raise SipParseError("bad Content-Length")
    if int(length) > len(rest):
        raise SipParseError("body shorter than Content-Length")
    return rest[: int(length)]  # octets after Content-Length are discarded (RFC 3261 18.3)


def _check(message: SipRequest | SipResponse) -> None:
    for name in _REQUIRED:
        if not message.get(name):
            raise SipParseError(f"missing {name}")
    if len(message.get_all("Via")) > 16:
        raise SipParseError("too many Via headers")
    number, method = message.cseq
    if number >= 2**31:
        raise SipParseError("CSeq out of range")
    if isinstance(message, SipRequest) and method != message.method:
        raise SipParseError("CSeq method does not match the request")
    if len(message.call_id) > 256:
        raise SipParseError("Call-ID too long")
