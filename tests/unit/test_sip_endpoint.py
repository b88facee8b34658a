"""The SIP endpoint's datagram handling without calls (max_calls=0): allow-list, size bound, 400/405/481, OPTIONS,
retransmissions, and fuzzing of the whole path from datagram to response."""

from __future__ import annotations

import asyncio
import ipaddress
import logging

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.channels.sip.config import SipConfig
from bot.channels.sip.endpoint import SipEndpoint
from bot.channels.sip.message import SipResponse, parse

PBX = ("10.1.2.3", 5060)


class RecordingTransport(asyncio.DatagramTransport):
    def __init__(self) -> None:
        super().__init__()
        self.sent: list[tuple[bytes, tuple[str, int]]] = []

    def sendto(self, data, addr=None) -> None:  # noqa: ANN001
        self.sent.append((bytes(data), addr))

    def is_closing(self) -> bool:
        return False


def make_endpoint(max_calls: int = 0) -> tuple[SipEndpoint, RecordingTransport]:
    config = SipConfig(
        host="127.0.0.1", port=5060, public_host="10.9.9.9", allow=(ipaddress.ip_network("10.1.2.0/24"),),
        rtp_ports=(30000, 30100), max_calls=max_calls,
    )  # fmt: skip
    endpoint = SipEndpoint(config, services=None, sender_for=lambda n, c: "x")  # type: ignore[arg-type]
    transport = RecordingTransport()
    endpoint.connection_made(transport)
    return endpoint, transport


def request(method: str, extra: str = "", body: str = "", branch: str = "z9hG4bKabc", cseq_method: str = "") -> bytes:
    return (
        f"{method} sip:accessline@10.9.9.9 SIP/2.0\r\n"
        f"Via: SIP/2.0/UDP 10.1.2.3:5060;branch={branch}\r\n"
        "From: <sip:13800138000@10.1.2.3>;tag=a1\r\n"
        "To: <sip:accessline@10.9.9.9>\r\n"
        "Call-ID: call-1@pbx\r\n"
        f"CSeq: 7 {cseq_method or method}\r\n"
        f"{extra}"
        f"Content-Length: {len(body.encode())}\r\n\r\n{body}"
    ).encode()


def responses(transport: RecordingTransport) -> list[SipResponse]:
    parsed = [parse(data) for data, _ in transport.sent]
    assert all(isinstance(p, SipResponse) for p in parsed)
    return parsed  # type: ignore[return-value]


def test_options_answered_and_retransmission_gets_the_same_bytes() -> None:
    endpoint, transport = make_endpoint()
    endpoint.datagram_received(request("OPTIONS"), PBX)
    endpoint.datagram_received(request("OPTIONS"), PBX)
    assert [r.status for r in responses(transport)] == [200, 200]
    assert transport.sent[0] == transport.sent[1]
    assert "MESSAGE" in responses(transport)[0].get("Allow")


def test_addresses_outside_the_allow_list_get_no_answer_at_all() -> None:
    endpoint, transport = make_endpoint()
    endpoint.datagram_received(request("OPTIONS"), ("10.1.3.3", 5060))
    endpoint.datagram_received(request("INVITE"), ("::ffff:192.0.2.1", 5060))
    assert transport.sent == [] and endpoint.counters["dropped_not_allowed"] == 2


def test_oversize_datagram_is_dropped_unread() -> None:
    endpoint, transport = make_endpoint()
    endpoint.datagram_received(request("OPTIONS", extra="X-Pad: " + "a" * 9000 + "\r\n"), PBX)
    assert transport.sent == [] and endpoint.counters["dropped_oversize"] == 1


def test_malformed_request_with_enough_headers_gets_400_else_dropped() -> None:
    endpoint, transport = make_endpoint()
    endpoint.datagram_received(request("OPTIONS", cseq_method="BYE"), PBX)
    endpoint.datagram_received(b"\x00\x01garbage\r\n\r\n", PBX)
    endpoint.datagram_received(b"SIP/2.0 999 nonsense\r\n\r\n", PBX)
    [bad] = responses(transport)
    assert bad.status == 400 and "CSeq" in bad.reason
    assert transport.sent[0][1] == PBX
    assert endpoint.counters["malformed"] == 3


def test_required_extensions_and_exhausted_max_forwards() -> None:
    endpoint, transport = make_endpoint()
    endpoint.datagram_received(request("INVITE", extra="Require: 100rel, timer\r\n", branch="z9hG4bK5"), PBX)
    endpoint.datagram_received(request("OPTIONS", extra="Max-Forwards: 0\r\n", branch="z9hG4bK6"), PBX)
    unsupported, hops = responses(transport)
    assert unsupported.status == 420 and unsupported.get("Unsupported") == "100rel, timer"
    assert hops.status == 483


def test_methods_and_dialogs_we_do_not_have() -> None:
    endpoint, transport = make_endpoint()
    endpoint.datagram_received(request("SUBSCRIBE", branch="z9hG4bK1"), PBX)
    endpoint.datagram_received(request("BYE", branch="z9hG4bK2"), PBX)
    endpoint.datagram_received(request("INFO", branch="z9hG4bK3"), PBX)
    endpoint.datagram_received(request("ACK", branch="z9hG4bK4"), PBX)  # never answered
    assert [r.status for r in responses(transport)] == [405, 481, 481]


def test_invite_over_the_call_limit_is_busy_and_bad_sdp_is_488() -> None:
    endpoint, transport = make_endpoint(max_calls=0)
    sdp = "v=0\r\nc=IN IP4 10.1.2.3\r\nm=audio 4000 RTP/AVP 0\r\n"
    endpoint.datagram_received(request("INVITE", extra="Content-Type: application/sdp\r\n", body=sdp), PBX)
    assert [r.status for r in responses(transport)] == [100, 486]
    endpoint, transport = make_endpoint(max_calls=5)
    g729 = "v=0\r\nc=IN IP4 10.1.2.3\r\nm=audio 4000 RTP/AVP 18\r\n"
    endpoint.datagram_received(request("INVITE", extra="Content-Type: application/sdp\r\n", body=g729), PBX)
    assert [r.status for r in responses(transport)] == [100, 488]
    assert endpoint.calls == {}


_pieces = st.sampled_from(
    [b"INVITE", b"OPTIONS", b"BYE", b"CANCEL", b"ACK", b"INFO", b"NOTIFY", b"MESSAGE", b"sip:a@b", b"SIP/2.0",
     b"\r\n", b": ", b"Via", b"SIP/2.0/UDP 10.1.2.3:5060;branch=z9hG4bKf;rport", b"From", b"<sip:x@y>;tag=1",
     b"To", b"Call-ID", b"x@y", b"CSeq", b"1 INVITE", b"Content-Length", b"3", b"Content-Type", b"application/sdp",
     b"m=audio 1 RTP/AVP 0", b"c=IN IP4 10.1.2.3", b"\r\n\r\n", b"Signal=5", b"application/dtmf-relay", b" ", b";"]
)  # fmt: skip


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture]
)
@given(st.one_of(st.binary(max_size=1500), st.lists(_pieces, max_size=60).map(b"".join)))
def test_fuzz_datagrams_never_raise_and_answers_are_valid_sip(caplog: pytest.LogCaptureFixture, data: bytes) -> None:
    endpoint, transport = make_endpoint(max_calls=0)
    with caplog.at_level(logging.ERROR, logger="bot.channels.sip"):
        caplog.clear()
        endpoint.datagram_received(data, PBX)
        assert not [r for r in caplog.records if r.levelno >= logging.ERROR], caplog.text
    for sent, _ in transport.sent:
        assert isinstance(parse(sent), SipResponse)
