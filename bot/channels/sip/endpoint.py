"""The SIP endpoint: one UDP socket that a PBX calls like an extension or a trunk (RFC 3261, called side only).

Only allow-listed PBX addresses are heard (SIP carries no token); anything from elsewhere is dropped without an
answer. Datagrams over the size bound are dropped unread; a malformed request gets 400 when it names enough to
answer, else it is dropped; nothing a peer sends can raise out of here. INVITE (new call or re-INVITE), ACK, BYE,
CANCEL, OPTIONS, INFO (keypad), MESSAGE (typed text in a call) and NOTIFY (transfer progress) are understood; other
methods get 405."""

from __future__ import annotations

import asyncio
import hashlib
import logging
import re
from collections.abc import Callable
from typing import Any

from bot.channels.sip.call import SipCall
from bot.channels.sip.config import SipConfig
from bot.channels.sip.dialog import ALLOW, USER_AGENT, build_response, response_address
from bot.channels.sip.headers import parse_name_addr, parse_via, user_part
from bot.channels.sip.media import MediaPacer
from bot.channels.sip.message import SipParseError, SipRequest, SipResponse, parse
from bot.channels.sip.sdp import SdpError, negotiate, parse_offer
from bot.channels.sip.transactions import ClientTransaction, ResponseCache
from bot.channels.voice_call.core import CallServices

log = logging.getLogger(__name__)
_NUMBER = re.compile(r"^\+?[0-9]{3,20}$")
_SALVAGE = re.compile(r"^(Via|v|From|f|To|t|Call-ID|i|CSeq)\s*:\s*(.{1,512})$", re.IGNORECASE | re.MULTILINE)
_SHORT = {"v": "Via", "f": "From", "t": "To", "i": "Call-ID"}


class SipEndpoint(asyncio.DatagramProtocol):
    """See the module docstring."""

    def __init__(
        self,
        config: SipConfig,
        services: CallServices,
        sender_for: Callable[[str | None, str], str],
        welcome: bytes | None = None,
    ) -> None:
        self.config, self.services, self.sender_for, self.welcome = config, services, sender_for, welcome
        self.transport: asyncio.DatagramTransport | None = None
        self.pacer = MediaPacer()
        self.calls: dict[str, SipCall] = {}
        self.responses = ResponseCache()
        self.client: dict[str, ClientTransaction] = {}
        self.counters = {"dropped_not_allowed": 0, "dropped_oversize": 0, "malformed": 0, "calls": 0}
        self.rtp_host = config.host

    # -- transport ----------------------------------------------------------------------------------------------

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]

    def start_media(self) -> None:
        """Start the RTP pacer process (once the event loop runs)."""
        self.pacer.start()

    def send(self, data: bytes, address: tuple[str, int]) -> None:
        if self.transport is not None and not self.transport.is_closing():
            self.transport.sendto(data, address)

    def error_received(self, exc: Exception) -> None:
        log.debug("SIP socket error: %s", exc)

    def datagram_received(self, data: bytes, addr: tuple) -> None:
        source = (str(addr[0]), int(addr[1]))
        if not self.config.allowed(source[0]):
            self.counters["dropped_not_allowed"] += 1
            return
        if len(data) > self.config.max_message_bytes:
            self.counters["dropped_oversize"] += 1
            return
        if not data.strip():
            return  # CRLF keep-alive
        try:
            self._dispatch(data, source)
        except Exception:  # noqa: BLE001 - a peer must never be able to break the endpoint
            log.exception("SIP message from %s could not be handled", source[0])

    def _dispatch(self, data: bytes, source: tuple[str, int]) -> None:
        try:
            message = parse(data, self.config.max_message_bytes)
        except SipParseError as exc:
            self.counters["malformed"] += 1
            self._bad_request(data, source, str(exc))
            return
        if isinstance(message, SipResponse):
            self._on_response(message)
        else:
            self._on_request(message, source)

    # -- requests -----------------------------------------------------------------------------------------------

    def _on_request(self, request: SipRequest, source: tuple[str, int]) -> None:
        try:
            branch = parse_via(request.get_all("Via")[0]).branch
        except SipParseError:
            self.respond(request, source, 400, "Bad Via")
            return
        if request.method != "ACK":
            cached = self.responses.get((branch, request.method))
            if cached is not None:  # a retransmission: the same answer again
                self.send(*cached)
                return
        if request.method not in ("ACK", "CANCEL"):
            required = [r.strip() for value in request.get_all("Require") for r in value.split(",") if r.strip()]
            if required:  # we support no SIP extension (no 100rel, no timer): RFC 3261 8.2.2.3
                self.respond(request, source, 420, "Bad Extension", headers=[("Unsupported", ", ".join(required))])
                return
            if (request.get("Max-Forwards") or "").strip() == "0":
                self.respond(request, source, 483, "Too Many Hops")
                return
        call = self.calls.get(request.call_id)
        to_tag = _tag(request.get("To"))
        if call is not None and to_tag and to_tag != call.dialog.local_tag:
            call = None  # another dialog with the same Call-ID is not ours
        handler = getattr(self, f"_on_{request.method.lower()}", None)
        if handler is None:
            self.respond(request, source, 405, "Method Not Allowed", headers=[("Allow", ALLOW)])
            return
        handler(request, source, call, to_tag)

    def _on_invite(self, request: SipRequest, source, call: SipCall | None, to_tag: str | None) -> None:
        if to_tag:
            if call is None:
                self.respond(request, source, 481, "Call/Transaction Does Not Exist")
            else:
                call.on_reinvite(request)
            return
        if request.call_id in self.calls:
            self.respond(request, source, 482, "Loop Detected")
            return
        self.respond(request, source, 100, "Trying")
        if len(self.calls) >= self.config.max_calls:
            self.respond(request, source, 486, "Busy Here", headers=[("Retry-After", "30")])
            return
        offer = media = None
        if request.body.strip():
            try:
                offer = parse_offer(request.body)
                media = negotiate(offer, self.config.codecs)
            except SdpError as exc:
                warning = [("Warning", f'399 AccessLine "{exc}"')]
                self.respond(request, source, 488, "Not Acceptable Here", headers=warning)
                return
        try:
            parse_name_addr(request.get("From") or "")
            parse_name_addr(request.get("To") or "")
        except SipParseError as exc:
            self.respond(request, source, 400, str(exc))
            return
        number = caller_number(request)
        call = SipCall(self, request, source, offer, media, self.sender_for(number, request.call_id), number)
        self.calls[call.call_id] = call
        self.counters["calls"] += 1
        task = asyncio.create_task(self._setup(call, request, source))
        call._tasks.add(task)
        task.add_done_callback(call._tasks.discard)

    async def _setup(self, call: SipCall, request: SipRequest, source) -> None:
        try:
            await call.setup()
        except OSError as exc:
            log.error("call %s: %s", self.masked(call.call_id), exc)
            self.respond(request, source, 503, "Service Unavailable", call.dialog.local_tag)
            call.end("no RTP port")

    def _on_ack(self, request: SipRequest, source, call: SipCall | None, to_tag: str | None) -> None:
        if call is not None:
            call.on_ack(request)

    def _on_bye(self, request: SipRequest, source, call: SipCall | None, to_tag: str | None) -> None:
        if call is None or call.state == "ringing":
            self.respond(request, source, 481, "Call/Transaction Does Not Exist")
            return
        self.respond(request, source, 200, "OK")
        call.on_bye()

    def _on_cancel(self, request: SipRequest, source, call: SipCall | None, to_tag: str | None) -> None:
        branch = parse_via(request.get_all("Via")[0]).branch
        if call is None or branch != parse_via(call.invite.get_all("Via")[0]).branch:
            self.respond(request, source, 481, "Call/Transaction Does Not Exist")
            return
        self.respond(request, source, 200, "OK")
        call.on_cancel()

    def _on_options(self, request: SipRequest, source, call: SipCall | None, to_tag: str | None) -> None:
        headers = [("Allow", ALLOW), ("Accept", "application/sdp"), ("Contact", self.config.contact)]
        self.respond(request, source, 200, "OK", headers=headers)

    def _on_info(self, request: SipRequest, source, call: SipCall | None, to_tag: str | None) -> None:
        if call is None:
            self.respond(request, source, 481, "Call/Transaction Does Not Exist")
            return
        self.respond(request, source, *call.on_info(request))

    def _on_message(self, request: SipRequest, source, call: SipCall | None, to_tag: str | None) -> None:
        if call is None:
            self.respond(request, source, 481, "Call/Transaction Does Not Exist")
            return
        self.respond(request, source, *call.on_message(request))

    def _on_notify(self, request: SipRequest, source, call: SipCall | None, to_tag: str | None) -> None:
        if call is None:
            self.respond(request, source, 481, "Subscription Does Not Exist")
            return
        self.respond(request, source, *call.on_notify(request))

    def respond(
        self,
        request: SipRequest,
        source: tuple[str, int],
        status: int,
        reason: str,
        to_tag: str | None = None,
        headers: list[tuple[str, str]] | None = None,
    ) -> None:
        """Send a response and keep it for retransmissions of the request (ACK is never answered)."""
        if request.method == "ACK":
            return
        if to_tag is None and status > 100:
            call = self.calls.get(request.call_id)
            stable = hashlib.sha1(request.call_id.encode()).hexdigest()[:12]  # the same tag for retransmissions
            to_tag = call.dialog.local_tag if call is not None else stable
        response = build_response(request, status, reason, source, to_tag if status > 100 else None, headers)
        data, address = response.to_bytes(), response_address(request, source)
        self.remember(request, data, address)
        self.send(data, address)

    def remember(self, request: SipRequest, data: bytes, address: tuple[str, int]) -> None:
        try:
            branch = parse_via(request.get_all("Via")[0]).branch
        except (SipParseError, IndexError):
            return
        self.responses.store((branch, request.method), data, address)

    def _bad_request(self, data: bytes, source: tuple[str, int], reason: str) -> None:
        """400 to a malformed request that still names Via, From, To, Call-ID and CSeq; anything else is dropped."""
        head = data[:4096].split(b"\r\n\r\n")[0].decode("utf-8", "replace")
        first = head.split("\n", 1)[0]
        if first.startswith("SIP/") or first.startswith("ACK "):
            return
        found: dict[str, str] = {}
        for match in _SALVAGE.finditer(head):
            name = _SHORT.get(match.group(1).lower(), match.group(1))
            name = {"call-id": "Call-ID", "cseq": "CSeq"}.get(name.lower(), name.capitalize())
            found.setdefault(name, match.group(2).strip().replace("\r", ""))
        if len(found) < 5 or not found["Via"].upper().startswith("SIP/2.0/UDP"):
            return
        lines = [f"SIP/2.0 400 {reason[:100]}"] + [f"{k}: {v}" for k, v in found.items()]
        lines += [f"Server: {USER_AGENT}", "Content-Length: 0"]
        via_port = re.search(r":(\d{1,5})", found["Via"].split(";")[0].split()[-1])
        rport = ";rport" in found["Via"]
        port = source[1] if rport or not via_port else int(via_port.group(1))
        if 0 < port < 65536:
            self.send(("\r\n".join(lines) + "\r\n\r\n").encode("utf-8"), (source[0], port))

    # -- requests we send ---------------------------------------------------------------------------------------

    def send_request(self, request: SipRequest, destination: tuple[str, int]) -> ClientTransaction:
        branch = parse_via(request.get_all("Via")[0]).branch
        transaction = ClientTransaction(self.send, request.to_bytes(), destination)
        self.client[branch] = transaction
        task = asyncio.create_task(transaction.result())
        task.add_done_callback(lambda _t: self.client.pop(branch, None))
        return transaction

    def _on_response(self, response: SipResponse) -> None:
        try:
            branch = parse_via(response.get_all("Via")[0]).branch
        except SipParseError:
            return
        transaction = self.client.get(branch)
        if transaction is not None:
            transaction.on_response(response)

    # -- calls --------------------------------------------------------------------------------------------------

    def forget(self, call: SipCall) -> None:
        if self.calls.get(call.call_id) is call:
            del self.calls[call.call_id]

    def masked(self, call_id: str) -> str:
        """Call-IDs are logged as a short hash (they can embed addresses or numbers)."""
        return hashlib.sha256(call_id.encode()).hexdigest()[:10]

    def stats(self) -> dict[str, Any]:
        return {
            "active_calls": len(self.calls),
            "rtp_streams": self.pacer.active,
            "pending_requests": len(self.client),
            **self.counters,
        }

    async def close(self) -> None:
        """Hang up every call (BYE), wait briefly for their tasks, stop the pacer and the socket."""
        calls = list(self.calls.values())
        for call in calls:
            call.bye("gateway stopping")
        for call in calls:
            try:
                await asyncio.wait_for(call.closed(), 5.0)
            except asyncio.TimeoutError:
                pass
        await asyncio.sleep(0.05)  # let the BYEs leave
        for transaction in list(self.client.values()):
            transaction.cancel()
        self.pacer.shutdown()
        if self.transport is not None:
            self.transport.close()


def _tag(value: str | None) -> str | None:
    if not value:
        return None
    try:
        return parse_name_addr(value).tag
    except SipParseError:
        return None


def caller_number(request: SipRequest) -> str | None:
    """The caller's number from P-Asserted-Identity (set by the PBX) or the From URI's user part, if it is one."""
    for header in ("P-Asserted-Identity", "From"):
        value = request.get(header)
        if not value:
            continue
        try:
            number = user_part(parse_name_addr(value.split(",")[0]).uri)
        except SipParseError:
            continue
        if _NUMBER.match(number):
            return number
    return None
