"""Building SIP responses to a request, and requests inside a dialog where we are the called party (UAS)."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field

from bot.channels.sip.headers import NameAddr, is_ip, parse_name_addr, parse_uri, parse_via
from bot.channels.sip.message import SipParseError, SipRequest, SipResponse

USER_AGENT = "AccessLine"
ALLOW = "INVITE, ACK, CANCEL, BYE, OPTIONS, INFO, NOTIFY, MESSAGE"


def new_tag() -> str:
    return secrets.token_hex(6)


def new_branch() -> str:
    return "z9hG4bK" + secrets.token_hex(8)


def response_address(request: SipRequest, source: tuple[str, int]) -> tuple[str, int]:
    """Where a response goes over UDP (RFC 3261 18.2.2, RFC 3581): the source address, at the source port when the
    top Via asks for rport, else at its sent-by port."""
    try:
        via = parse_via(request.get_all("Via")[0])
    except (SipParseError, IndexError):
        return source
    if "rport" in via.params:
        return source
    return source[0], via.port or 5060


def _top_via_with_source(request: SipRequest, source: tuple[str, int]) -> list[str]:
    vias = request.get_all("Via")
    top = vias[0]
    try:
        via = parse_via(top)
    except SipParseError:
        return vias
    if via.host != source[0]:
        top += f";received={source[0]}"
    if "rport" in via.params and not via.params["rport"]:
        top = top.replace(";rport", f";rport={source[1]}", 1)
    return [top, *vias[1:]]


def build_response(
    request: SipRequest,
    status: int,
    reason: str,
    source: tuple[str, int],
    to_tag: str | None = None,
    headers: list[tuple[str, str]] | None = None,
    body: bytes = b"",
) -> SipResponse:
    """A response copying Via (top one marked with received/rport), From, To (+ our tag), Call-ID and CSeq."""
    response = SipResponse(status=status, reason=reason)
    for via in _top_via_with_source(request, source):
        response.headers.append(("Via", via))
    to = request.get("To") or ""
    if to_tag and ";tag=" not in to.replace(" ", "").lower():
        to += f";tag={to_tag}"
    response.headers += [
        ("From", request.get("From") or ""),
        ("To", to),
        ("Call-ID", request.call_id),
        ("CSeq", request.get("CSeq") or ""),
        ("Server", USER_AGENT),
    ]
    response.headers += headers or []
    response.body = body
    return response


@dataclass
class Dialog:
    """Our side of the call's dialog: we answered the caller's INVITE."""

    call_id: str
    local: NameAddr  # the INVITE's To, with our tag
    remote: NameAddr  # the INVITE's From, with the caller's tag
    remote_target: str  # the caller's Contact URI
    route_set: list[str] = field(default_factory=list)
    local_cseq: int = field(default_factory=lambda: secrets.randbelow(10_000) + 1)
    remote_cseq: int = 0

    @classmethod
    def from_invite(cls, invite: SipRequest, local_tag: str) -> Dialog:
        to = parse_name_addr(invite.get("To") or "")
        remote = parse_name_addr(invite.get("From") or "")
        contacts = invite.get_all("Contact")
        target = parse_name_addr(contacts[0]).uri if contacts else remote.uri
        local = NameAddr(to.display, to.uri, {**to.params, "tag": local_tag})
        routes = [parse_name_addr(r).uri for r in invite.get_all("Record-Route")]
        return cls(invite.call_id, local, remote, target, routes, remote_cseq=invite.cseq[0])

    @property
    def local_tag(self) -> str:
        return self.local.tag or ""

    def request(self, method: str, contact: str, via_host: str, via_port: int) -> SipRequest:
        """A new request in this dialog (BYE, REFER) with the next CSeq and a fresh branch."""
        self.local_cseq += 1
        request = SipRequest(method=method, uri=self.remote_target)
        request.headers += [
            ("Via", f"SIP/2.0/UDP {via_host}:{via_port};branch={new_branch()};rport"),
            ("Max-Forwards", "70"),
            ("From", str(self.local)),
            ("To", str(self.remote)),
            ("Call-ID", self.call_id),
            ("CSeq", f"{self.local_cseq} {method}"),
            ("Contact", contact),
            ("User-Agent", USER_AGENT),
        ]
        request.headers += [("Route", f"<{route}>") for route in self.route_set]
        return request

    def destination(self, fallback: tuple[str, int], allowed) -> tuple[str, int]:
        """Where in-dialog requests go: the first route, else the remote target — but only to an allow-listed IP
        address; anything else (a name, an address outside the allow-list) goes to where the INVITE came from."""
        uri = self.route_set[0] if self.route_set else self.remote_target
        try:
            host, port = parse_uri(uri).address()
        except SipParseError:
            return fallback
        if is_ip(host) and allowed(host):
            return host, port
        return fallback
