"""Structured SIP header values: name-addr (From, To, Contact, Refer-To), Via, and SIP URIs (host and port)."""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass, field

from bot.channels.sip.message import SipParseError

_NAME_ADDR = re.compile(r'^\s*(?:"((?:[^"\\]|\\.)*)"|([^<"]*?))\s*<([^>]*)>(.*)$')
_VIA = re.compile(r"^SIP\s*/\s*2\.0\s*/\s*([A-Za-z]+)\s+([^;\s]+)(.*)$")
_URI = re.compile(r"^(sips?):(?:([^@;?]*)@)?(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+)(?::([0-9]{1,5}))?([;?].*)?$", re.I)


def parse_params(text: str) -> dict[str, str]:
    """`;tag=abc;lr` → {"tag": "abc", "lr": ""} (names lower-cased)."""
    params: dict[str, str] = {}
    for part in text.split(";"):
        name, _, value = part.strip().partition("=")
        if name:
            params[name.strip().lower()] = value.strip().strip('"')
    return params


@dataclass(frozen=True)
class NameAddr:
    """`"Display" <sip:user@host>;tag=x` — display name, URI, header parameters."""

    display: str
    uri: str
    params: dict[str, str] = field(default_factory=dict)

    @property
    def tag(self) -> str | None:
        return self.params.get("tag")

    def __str__(self) -> str:
        display = f'"{self.display}" ' if self.display else ""
        params = "".join(f";{k}={v}" if v else f";{k}" for k, v in self.params.items())
        return f"{display}<{self.uri}>{params}"


def parse_name_addr(value: str) -> NameAddr:
    """Both forms: `name <uri>;params` and a bare `uri;params` (whose parameters belong to the header)."""
    value = value.strip()
    match = _NAME_ADDR.match(value)
    if match:
        display = (match.group(1) if match.group(1) is not None else match.group(2) or "").strip()
        uri = match.group(3).strip()
        params = parse_params(match.group(4))
    else:
        if "<" in value or ">" in value:
            raise SipParseError("bad address")
        uri, _, rest = value.partition(";")
        display, params = "", parse_params(rest)
    if not re.match(r"^(sips?|tel):\S+$", uri, re.IGNORECASE) or len(uri) > 512:
        raise SipParseError("bad address URI")
    return NameAddr(display, uri, params)


@dataclass(frozen=True)
class SipUri:
    scheme: str
    user: str
    host: str
    port: int | None
    params: dict[str, str]

    def address(self, default_port: int = 5060) -> tuple[str, int]:
        return self.host.strip("[]"), self.port or default_port


def parse_uri(uri: str) -> SipUri:
    match = _URI.match(uri.strip())
    if not match:
        raise SipParseError("bad SIP URI")
    port = int(match.group(4)) if match.group(4) else None
    if port is not None and not 0 < port < 65536:
        raise SipParseError("bad port")
    rest = (match.group(5) or "").split("?")[0]
    return SipUri(match.group(1).lower(), match.group(2) or "", match.group(3), port, parse_params(rest))


def user_part(uri: str) -> str:
    """The user of a sip: URI, or the number of a tel: URI ('' when there is none)."""
    if uri.lower().startswith("tel:"):
        return uri[4:].split(";")[0]
    try:
        return parse_uri(uri).user.split(";")[0]
    except SipParseError:
        return ""


@dataclass(frozen=True)
class Via:
    transport: str
    host: str
    port: int | None
    params: dict[str, str]

    @property
    def branch(self) -> str:
        return self.params.get("branch", "")


def parse_via(value: str) -> Via:
    match = _VIA.match(value.strip())
    if not match:
        raise SipParseError("bad Via")
    sent_by = match.group(2)
    if sent_by.startswith("["):
        host, _, port_text = sent_by[1:].partition("]")
        port_text = port_text.lstrip(":")
    else:
        host, _, port_text = sent_by.partition(":")
    if port_text and (not port_text.isdigit() or not 0 < int(port_text) < 65536):
        raise SipParseError("bad Via port")
    return Via(match.group(1).upper(), host, int(port_text) if port_text else None, parse_params(match.group(3)))


def is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return False
    return True
