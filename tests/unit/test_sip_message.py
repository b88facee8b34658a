"""SIP message parsing and building (bot/channels/sip/message.py, headers.py), including hostile input."""

from __future__ import annotations

import tracemalloc

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.channels.sip.dialog import build_response
from bot.channels.sip.headers import parse_name_addr, parse_uri, parse_via, user_part
from bot.channels.sip.message import SipParseError, SipRequest, SipResponse, parse, split_values

INVITE = (
    b"INVITE sip:accessline@10.0.0.5:5060 SIP/2.0\r\n"
    b"Via: SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bK776asdhds;rport\r\n"
    b"v: SIP/2.0/UDP 10.0.0.9;branch=z9hG4bKproxy\r\n"
    b"Max-Forwards: 70\r\n"
    b'From: "Zhang, San" <sip:13800138000@10.0.0.1>;tag=1928301774\r\n'
    b"t: <sip:accessline@10.0.0.5>\r\n"
    b"i: a84b4c76e66710@pbx\r\n"
    b"CSeq: 314159 INVITE\r\n"
    b"Contact: <sip:13800138000@10.0.0.1:5060>\r\n"
    b"Subject: folded\r\n  header line\r\n"
    b"c: application/sdp\r\n"
    b"l: 4\r\n"
    b"\r\n"
    b"v=0\r\nextra"
)


def test_parses_compact_forms_folding_and_content_length() -> None:
    message = parse(INVITE)
    assert isinstance(message, SipRequest)
    assert (message.method, message.uri) == ("INVITE", "sip:accessline@10.0.0.5:5060")
    assert message.call_id == "a84b4c76e66710@pbx"
    assert message.cseq == (314159, "INVITE")
    assert len(message.get_all("Via")) == 2
    assert message.get("Subject") == "folded header line"
    assert message.get("Content-Type") == "application/sdp"
    assert message.body == b"v=0\r"  # octets beyond Content-Length are discarded


def test_name_addr_with_comma_in_quotes_and_tags() -> None:
    message = parse(INVITE)
    sender = parse_name_addr(message.get("From"))
    assert sender.display == "Zhang, San" and sender.tag == "1928301774"
    assert user_part(sender.uri) == "13800138000"
    assert split_values('"a, b" <sip:x@y>, <sip:z@w;lr>') == ['"a, b" <sip:x@y>', "<sip:z@w;lr>"]
    bare = parse_name_addr("sip:alice@example.com;tag=88")
    assert bare.uri == "sip:alice@example.com" and bare.tag == "88"


def test_via_and_uri() -> None:
    via = parse_via("SIP/2.0/UDP [2001:db8::1]:5070;branch=z9hG4bKx;received=1.2.3.4")
    assert (via.transport, via.host, via.port, via.branch) == ("UDP", "2001:db8::1", 5070, "z9hG4bKx")
    uri = parse_uri("sip:12385@pbx.example.org:5080;transport=udp")
    assert uri.address() == ("pbx.example.org", 5080) and uri.params["transport"] == "udp"


def test_response_round_trip_keeps_vias_and_adds_tag() -> None:
    request = parse(INVITE)
    response = build_response(request, 180, "Ringing", ("10.0.0.1", 40000), to_tag="abc")
    again = parse(response.to_bytes())
    assert isinstance(again, SipResponse) and again.status == 180
    vias = again.get_all("Via")
    assert "received" not in vias[0] and vias[0].endswith(";rport=40000")
    assert vias[1] == "SIP/2.0/UDP 10.0.0.9;branch=z9hG4bKproxy"
    assert parse_name_addr(again.get("To")).tag == "abc"
    assert again.get("Content-Length") == "0"


@pytest.mark.parametrize(
    "data, reason",
    [
        (b"INVITE sip:a@b SIP/2.0\r\nVia: SIP/2.0/UDP h\r\n\r\n", "missing From"),
        (INVITE.replace(b"CSeq: 314159 INVITE", b"CSeq: 1 BYE"), "CSeq method"),
        (INVITE.replace(b"l: 4", b"l: 400"), "Content-Length"),
        (INVITE.replace(b"INVITE sip:", b"INVITE http:", 1), "scheme"),
        (b"GARBAGE\r\n\r\n", "request line"),
        (INVITE.replace(b"Max-Forwards: 70", b"Max Forwards: 70"), "header line"),
        (b"INVITE sip:a@b SIP/2.0\r\n" + b"X-A: b\r\n" * 100 + b"\r\n", "too many"),
        (b"\xff\xfe INVITE\r\n\r\n", "UTF-8"),
        (b"x" * 9000, "too large"),
    ],
)
def test_malformed_messages_are_refused_with_a_reason(data: bytes, reason: str) -> None:
    with pytest.raises(SipParseError, match=reason):
        parse(data)


_sip_text = st.sampled_from(
    ["INVITE sip:a@b SIP/2.0", "SIP/2.0 200 OK", "Via: SIP/2.0/UDP h;branch=z9hG4bK1", "From: <sip:x@y>;tag=1",
     "To: <sip:a@b>", "Call-ID: c", "CSeq: 1 INVITE", "Content-Length: 3", "l: 99999", "\r\n", ":", "<", '"', ";",
     ",", " ", "\t", "v:", "\x00", "é", "SIP/2.0/UDP [::1]:99999"]
)  # fmt: skip


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(st.binary(max_size=2048), st.lists(_sip_text, max_size=40).map(lambda p: "\r\n".join(p).encode())))
def test_fuzz_parser_raises_only_sip_parse_errors(data: bytes) -> None:
    """Whatever arrives, parsing either succeeds or raises SipParseError, and the parsed parts can be read."""
    try:
        message = parse(data)
    except SipParseError:
        return
    for value in message.get_all("Via"):
        try:
            parse_via(value)
        except SipParseError:
            pass
    for name in ("From", "To", "Contact"):
        try:
            parse_name_addr(message.get(name) or "")
        except SipParseError:
            pass
    assert message.to_bytes()


def test_parser_memory_is_bounded_by_the_message_limit() -> None:
    """A maximal message full of headers and folded lines costs a bounded, small amount of memory."""
    worst = b"INVITE sip:a@b SIP/2.0\r\n" + (b"X-Long: " + b"a" * 100 + b"\r\n " + b"b" * 20 + b"\r\n") * 60
    worst = worst[:8000] + b"\r\n\r\n"
    tracemalloc.start()
    for _ in range(200):
        try:
            parse(worst)
        except SipParseError:
            pass
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert peak < 512 * 1024, peak
