"""SDP offer/answer, RTP and RFC 4733 keypad events, SIP INFO keys, and the keypad rules of a phone call."""

from __future__ import annotations

import pytest

from bot.channels.sip.rtp import (
    DigitDetector,
    RtpError,
    build_event,
    build_rtp,
    parse_dtmf_info,
    parse_event,
    parse_rtp,
)
from bot.channels.sip.sdp import SdpError, build_answer, negotiate, parse_offer
from bot.channels.voice_call.keys import KeyCollector

OFFER = (
    b"v=0\r\no=- 1 1 IN IP4 10.0.0.1\r\ns=-\r\nc=IN IP4 10.0.0.1\r\nt=0 0\r\n"
    b"m=audio 4000 RTP/AVP 18 8 0 96\r\na=rtpmap:18 G729/8000\r\na=rtpmap:96 telephone-event/8000\r\n"
    b"a=fmtp:96 0-16\r\na=ptime:30\r\nm=video 5000 RTP/AVP 97\r\n"
)


def test_answer_picks_the_callers_first_g711_and_keeps_its_event_type() -> None:
    offer = parse_offer(OFFER)
    chosen = negotiate(offer)
    assert (chosen.codec, chosen.payload_type, chosen.telephone_event) == ("PCMA", 8, 96)
    assert chosen.remote == ("10.0.0.1", 4000) and chosen.ptime == 30 and chosen.sending
    answer = build_answer(offer, chosen, "10.9.9.9", 30000, 1, 1).decode()
    assert "m=audio 30000 RTP/AVP 8 96\r\n" in answer
    assert "a=rtpmap:96 telephone-event/8000" in answer and "a=ptime:20" in answer
    assert "m=video 0 RTP/AVP 97" in answer  # the other stream is refused, m= lines keep their order
    assert negotiate(offer, ("PCMU",)).codec == "PCMU"


def test_dynamic_g711_and_hold() -> None:
    held = OFFER.replace(b"m=audio 4000 RTP/AVP 18 8 0 96", b"m=audio 4000 RTP/AVP 110").replace(
        b"a=ptime:30", b"a=rtpmap:110 pcmu/8000\r\na=sendonly"
    )
    chosen = negotiate(parse_offer(held))
    assert (chosen.codec, chosen.payload_type, chosen.direction, chosen.sending) == ("PCMU", 110, "recvonly", False)
    old_style = OFFER.replace(b"c=IN IP4 10.0.0.1", b"c=IN IP4 0.0.0.0")
    assert negotiate(parse_offer(old_style)).direction == "inactive"


@pytest.mark.parametrize(
    "change, reason",
    [
        ((b"RTP/AVP 18 8 0 96", b"RTP/AVP 18 96"), "no G.711"),
        ((b"m=audio 4000 RTP/AVP", b"m=audio 4000 RTP/SAVP"), "transport"),
        ((b"m=audio 4000", b"m=audio 0"), "port 0"),
        ((b"m=audio", b"m=text"), "no audio"),
        ((b"c=IN IP4 10.0.0.1", b"c=IN IP4 pbx.example"), "IP address"),
    ],
)
def test_unusable_offers(change: tuple[bytes, bytes], reason: str) -> None:
    with pytest.raises(SdpError, match=reason):
        negotiate(parse_offer(OFFER.replace(*change)))


def test_rtp_round_trip_and_hostile_packets() -> None:
    packet = parse_rtp(build_rtp(8, 65535, 2**32 - 1, 1234, b"\xd5" * 160, marker=True))
    assert (packet.payload_type, packet.sequence, packet.marker, len(packet.payload)) == (8, 65535, True, 160)
    with_csrc_and_padding = bytes([0xA2, 0x00]) + b"\x00" * 10 + b"c" * 8 + b"ab" + b"\x00\x00\x03"
    assert parse_rtp(with_csrc_and_padding).payload == b"ab"
    for bad in (b"", b"\x40" + b"\x00" * 20, bytes([0x8F]) + b"\x00" * 11, b"\x80" * 3000):
        with pytest.raises(RtpError):
            parse_rtp(bad)


def test_a_key_counts_once_per_event() -> None:
    now = [0.0]
    detector = DigitDetector(clock=lambda: now[0])
    press = [parse_event(build_event("5", end=False, duration=160 * i)) for i in range(1, 4)]
    ends = [parse_event(build_event("5", end=True, duration=800))] * 3
    keys = [detector.feed(1000, e) for e in press + ends]
    assert keys == ["5", None, None, None, None, None]
    assert detector.feed(2600, parse_event(build_event("5", end=False, duration=160))) == "5"  # new timestamp
    now[0] = 0.1
    assert detector.feed(2600, parse_event(build_event("5", end=True, duration=800))) is None
    now[0] = 2.0  # the same recording played again much later is a new press
    assert detector.feed(2600, parse_event(build_event("5", end=False, duration=160))) == "5"
    assert parse_event(bytes([16, 0, 0, 0])) is None  # not a keypad event


def test_sip_info_keys() -> None:
    assert parse_dtmf_info("application/dtmf-relay", b"Signal=5\r\nDuration=160\r\n") == "5"
    assert parse_dtmf_info("application/dtmf-relay", b"Signal= *\r\n") == "*"
    assert parse_dtmf_info("application/dtmf-relay", b"Signal=11\r\n") == "#"
    assert parse_dtmf_info("application/dtmf", b"10") == "*"
    assert parse_dtmf_info("application/dtmf-relay", b"Signal=Z") is None
    assert parse_dtmf_info("text/plain", b"Signal=5") is None


def test_keys_act_at_once_with_a_menu_and_collect_a_number_without() -> None:
    keys = KeyCollector()
    assert keys.press("3", menu_open=True) == "3"
    assert keys.press("*", menu_open=False) == "*"
    assert [keys.press(k, menu_open=False) for k in "1380013800"] == [None] * 10
    assert keys.press("0", menu_open=False) is None and keys.press("#", menu_open=False) == "13800138000#"
    assert keys.press("0", menu_open=False) is None and keys.timeout() == "0"  # a lone key after a pause
    assert keys.press("#", menu_open=False) is None
    for k in "23010519491231002":
        keys.press(k, menu_open=False)
    assert keys.press("*", menu_open=False) is None and keys.press("#", menu_open=False) == "23010519491231002*#"
