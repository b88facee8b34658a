"""Phone calls from sipp (Debian's sip-tester) to the SIP endpoint of a running stack, with the RTP we send checked
from a tcpdump capture on loopback. sipp exits non-zero on any deviation from its scenario (a missing or
unexpected message, a failed regexp check), so each scenario is itself a strict check of our signalling."""

from __future__ import annotations

import random
import re
import socket
import uuid
from datetime import datetime, timezone
from pathlib import Path

import httpx
import numpy as np
import pytest
from sqlalchemy import create_engine
from sqlalchemy.orm import Session

from bot.channels.voice_call import texts
from bot.rules.danger import assess
from bot.rules.danger_replies import first_replies
from bot.rules.routing import RoutingTable
from bot.storage.models import Ticket
from tests.conftest import ALWAYS_OPEN
from tests.telephony.capture import (
    Capture,
    audible,
    calls_in_capture,
    decode_stream,
    interarrival_ms,
    our_rtp,
    sequence_gaps,
    sip_messages,
)
from tests.telephony.conftest import SipStack, require
from tests.telephony.reference import aligned_snr, greeting_spoken, speech_pieces, welcome_piece
from tests.telephony.sipp import render, run_sipp
from voice.speech import spoken_reply

pytestmark = pytest.mark.stack


def new_caller() -> str:
    return "139" + "".join(random.choice("0123456789") for _ in range(8))


def uri_regexp(uri: str) -> str:
    return re.escape(uri).replace("&", "&amp;").replace("<", "&lt;")


def capture(sip_stack: SipStack, tmp_path: Path) -> Capture:
    require("tcpdump")
    return Capture(tmp_path / "call.pcap", [sip_stack.sip_port], sip_stack.rtp_ports)


def phone_tickets(operator: httpx.Client, since: float) -> list[dict]:
    """The operator console's open tickets from the phone channel created after `since` (epoch seconds)."""
    cards = operator.get("/api/operator/tickets").json()
    return [
        c for c in cards if c["channel"] == "phone" and datetime.fromisoformat(c["created_at"]).timestamp() >= since
    ]


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


# What a phone's jitter buffer hides: packets up to this much later than their slot on the sender's 20 ms clock play
# on time (fixed buffers are commonly 40-60 ms; we allow the small end). A single gap of 23 ms is inaudible; a packet
# later than the buffer is a click or a dropout, and a clock that runs slow or fast makes every buffer run dry.
JITTER_BUFFER_MS = 40.0


def slot_lateness_ms(gaps: np.ndarray) -> np.ndarray:
    """How late each packet arrived against an ideal 20 ms clock anchored on the earliest packet (0 = on time)."""
    offsets = np.concatenate([[0.0], np.cumsum(gaps)]) - 20.0 * np.arange(len(gaps) + 1)
    return offsets - offsets.min()


def assert_paced(packets: list, label: str) -> np.ndarray:
    """Contiguous sequence numbers and a real 20 ms clock: no drift, and every packet within a small jitter buffer
    of its slot (RFC 3550's interarrival jitter is reported too)."""
    assert len(packets) > 50, f"{label}: only {len(packets)} RTP packets"
    steps = sequence_gaps(packets)
    assert set(steps) == {1}, f"{label}: sequence numbers not contiguous: {sorted(set(steps))}"
    gaps = interarrival_ms(packets)
    assert abs(float(np.median(gaps)) - 20.0) <= 2.0, f"{label}: median gap {np.median(gaps):.2f} ms"
    assert abs(float(np.mean(gaps)) - 20.0) <= 1.0, f"{label}: mean gap {np.mean(gaps):.2f} ms (clock drift)"
    lateness = slot_lateness_ms(gaps)
    jitter = 0.0
    for gap in gaps:  # RFC 3550 A.8: J += (|D| - J) / 16
        jitter += (abs(gap - 20.0) - jitter) / 16.0
    within = float(np.mean(np.abs(gaps - 20.0) <= 2.0))
    seen = (
        f"{len(packets)} packets, {within:.1%} of gaps within 20 ± 2 ms, p99 gap {np.percentile(gaps, 99):.1f} ms, "
        f"latest packet {lateness.max():.1f} ms after its slot, RFC 3550 jitter {jitter:.2f} ms"
    )
    assert lateness.max() <= JITTER_BUFFER_MS, f"{label}: a packet missed a {JITTER_BUFFER_MS:.0f} ms buffer ({seen})"
    assert float(np.percentile(lateness, 99)) <= JITTER_BUFFER_MS / 2, f"{label}: late packets are common ({seen})"
    print(f"{label}: {seen}")
    return gaps


def test_keypad_zero_transfers_by_refer_and_leaves_a_phone_ticket(
    sip_stack: SipStack, operator: httpx.Client, tmp_path: Path
) -> None:
    """Speech (sipp's g711a.pcap), then key 0 by RFC 4733: REFER to the 12385 agent URI, 202 + NOTIFY 200, BYE."""
    caller = new_caller()
    scenario = render(
        "call_keypad_transfer.xml", tmp_path, CALLER=caller, BEFORE_SPEECH_MS="2000", BEFORE_KEY_MS="9000",
        REFER_TIMEOUT_MS="90000", AGENT_URI_RE=uri_regexp(sip_stack.agent_uris["12385"]),
    )  # fmt: skip
    tap = capture(sip_stack, tmp_path)
    run = run_sipp(scenario, sip_stack.sip_port, tmp_path)
    datagrams = tap.stop()
    assert run.returncode == 0, run.explain()

    [call] = calls_in_capture(datagrams, sip_stack.sip_port).values()
    assert call.payload_type == 8  # the caller offered PCMA first
    packets = our_rtp(datagrams, call.rtp_port)
    assert {p.payload_type for _, p in packets} == {8}
    assert_paced(packets, "transfer call")
    refer = [d for d, line in sip_messages(datagrams, sip_stack.sip_port) if line.startswith("REFER")]
    assert refer and b"Referred-By:" in refer[0].payload

    [card] = phone_tickets(operator, call.answered_at - 5)
    assert (card["queue"], card["status"]) == ("12385", "waiting")
    assert operator.post(f"/api/operator/tickets/{card['id']}/claim").status_code == 200
    ticket = operator.get(f"/api/operator/tickets/{card['id']}").json()
    assert ticket["transcript"], "the call's transcript is on the ticket"
    assert ticket["contact_phone"] == caller  # the caller ID, for a call-back, shown to the holder only
    engine = create_engine(sip_stack.stack.config.database_url)
    with Session(engine) as session:
        stored = session.get(Ticket, card["id"])
        assert stored.sender_id.startswith("tel-") and caller not in stored.sender_id
        assert caller not in (stored.contact_phone_enc or "")  # encrypted at rest
    engine.dispose()


def test_greeting_is_heard_as_synthesised_over_pcmu(sip_stack: SipStack, tmp_path: Path) -> None:
    """PCMU only, telephone-event on 96: our answer keeps both; the greeting matches the local synthesis ≥ 30 dB."""
    greet = httpx.post(f"{sip_stack.url}/api/chat", json={"sender_id": "g" + uuid.uuid4().hex[:12], "text": "/greet"})
    pieces = [welcome_piece()] + speech_pieces(greeting_spoken(greet.json()["messages"]))
    seconds = sum(len(p) for p in pieces) / 8000
    scenario = render("listen_greeting.xml", tmp_path, CALLER=new_caller(), LISTEN_MS=str(int((seconds + 4) * 1000)))
    tap = capture(sip_stack, tmp_path)
    run = run_sipp(scenario, sip_stack.sip_port, tmp_path)
    datagrams = tap.stop()
    assert run.returncode == 0, run.explain()

    [call] = calls_in_capture(datagrams, sip_stack.sip_port).values()
    assert call.payload_type == 0
    packets = our_rtp(datagrams, call.rtp_port)
    assert_paced(packets, "greeting call")
    received = decode_stream(packets, 0)
    snr, offsets = aligned_snr(received, pieces)
    assert snr >= 30.0, f"greeting SNR {snr:.1f} dB against the local synthesis"
    assert offsets[0] < 8000 * 0.5, "the welcome starts the stream"


def test_cancel_while_ringing_gets_487(sip_stack: SipStack, tmp_path: Path) -> None:
    run = run_sipp(render("cancel.xml", tmp_path, CALLER=new_caller()), sip_stack.sip_port, tmp_path)
    assert run.returncode == 0, run.explain()


def test_offer_without_g711_gets_488(sip_stack: SipStack, tmp_path: Path) -> None:
    run = run_sipp(render("no_g711.xml", tmp_path, CALLER=new_caller()), sip_stack.sip_port, tmp_path)
    assert run.returncode == 0, run.explain()


def test_invite_without_sdp_gets_our_offer_and_the_ack_answers(sip_stack: SipStack, tmp_path: Path) -> None:
    tap = capture(sip_stack, tmp_path)
    run = run_sipp(render("delayed_offer.xml", tmp_path, CALLER=new_caller()), sip_stack.sip_port, tmp_path)
    datagrams = tap.stop()
    assert run.returncode == 0, run.explain()
    [call] = calls_in_capture(datagrams, sip_stack.sip_port).values()
    packets = our_rtp(datagrams, call.rtp_port)
    assert packets and {p.payload_type for _, p in packets} == {0}  # the law the ACK's answer chose
    assert set(sequence_gaps(packets)) == {1}


def test_hold_stops_our_audio_and_resume_continues_the_sequence(sip_stack: SipStack, tmp_path: Path) -> None:
    scenario = render("hold.xml", tmp_path, CALLER=new_caller(), TALK_MS="2000", HOLD_MS="2000")
    tap = capture(sip_stack, tmp_path)
    run = run_sipp(scenario, sip_stack.sip_port, tmp_path)
    datagrams = tap.stop()
    assert run.returncode == 0, run.explain()
    [call] = calls_in_capture(datagrams, sip_stack.sip_port).values()
    packets = our_rtp(datagrams, call.rtp_port)
    assert set(sequence_gaps(packets)) == {1}, "sequence numbers continue across the hold"
    gaps = interarrival_ms(packets)
    assert 1500 <= gaps.max() <= 3000, f"no RTP while held (longest gap {gaps.max():.0f} ms)"
    resumed = [p for p in packets[1:] if p[1].marker]
    assert resumed, "the first packet after the hold carries the marker bit"


def test_emergency_text_gets_the_emergency_reply_first_and_refer_to_emergency(
    sip_stack: SipStack, operator: httpx.Client, tmp_path: Path
) -> None:
    """A typed "I fell and cannot get up" (SIP MESSAGE): the emergency reply is what is said next, then REFER to the
    emergency queue's URI; the ticket is an emergency ticket from the phone."""
    scenario = render(
        "emergency_message.xml", tmp_path, CALLER=new_caller(), TEXT="我摔倒了，起不来了", REFER_TIMEOUT_MS="90000",
        SIPFRAG="200 OK", AGENT_URI_RE=uri_regexp(sip_stack.agent_uris["emergency"]),
    )  # fmt: skip
    tap = capture(sip_stack, tmp_path)
    run = run_sipp(scenario, sip_stack.sip_port, tmp_path)
    datagrams = tap.stop()
    assert run.returncode == 0, run.explain()
    [call] = calls_in_capture(datagrams, sip_stack.sip_port).values()
    message_at = next(d.at for d, line in sip_messages(datagrams, sip_stack.sip_port) if line.startswith("MESSAGE"))
    packets = our_rtp(datagrams, call.rtp_port)
    after = [(t, p) for t, p in packets if t > message_at]
    first_audible = next(i for i, (_, p) in enumerate(after) if audible(p, call.payload_type))
    # from 10 frames before the first loud one: a sentence may open with quiet frames ("请…" does, 2 frames)
    received = decode_stream(after[max(0, first_audible - 10) :], call.payload_type)
    first_sentence = speech_pieces(spoken_reply(first_replies(assess("我摔倒了，起不来了").kind)[:1]))[:1]
    snr, offsets = aligned_snr(received, first_sentence)
    assert snr >= 30.0 and offsets[0] < 8000 * 0.3, f"emergency reply first: SNR {snr:.1f} dB at {offsets[0]}"
    tickets = phone_tickets(operator, call.answered_at - 5)
    assert [(t["queue"], t["priority"]) for t in tickets] == [("emergency", "emergency")]


def test_failed_transfer_is_said_with_the_hotline_and_the_bot_keeps_the_call(
    sip_stack: SipStack, operator: httpx.Client, tmp_path: Path
) -> None:
    caller = new_caller()
    scenario = render(
        "transfer_failed.xml", tmp_path, CALLER=caller, REFER_TIMEOUT_MS="90000", SIPFRAG="486 Busy Here",
        AGENT_URI_RE=uri_regexp(sip_stack.agent_uris["12385"]), AFTER_FAILURE_MS="20000",
    )  # fmt: skip
    tap = capture(sip_stack, tmp_path)
    run = run_sipp(scenario, sip_stack.sip_port, tmp_path)
    datagrams = tap.stop()
    assert run.returncode == 0, run.explain()  # the caller hung up: we never sent BYE after the failure
    [call] = calls_in_capture(datagrams, sip_stack.sip_port).values()
    notify_at = next(d.at for d, line in sip_messages(datagrams, sip_stack.sip_port) if line.startswith("NOTIFY"))
    after = [(t, p) for t, p in our_rtp(datagrams, call.rtp_port) if t > notify_at]
    hotline = RoutingTable.load(ALWAYS_OPEN).hotline_label("12385")
    failure = spoken_reply([texts.TRANSFER_FAILED.format(hotline=hotline), texts.CALLBACK_PROMISED, texts.KEEP_HELPING])
    snr, _ = aligned_snr(decode_stream(after, call.payload_type), speech_pieces(failure))
    assert snr >= 30.0, f"failure message SNR {snr:.1f} dB"
    [ticket] = phone_tickets(operator, call.answered_at - 5)
    assert (ticket["kind"], ticket["status"]) == ("callback", "callback_scheduled")


def test_hostile_datagrams_and_strangers(sip_stack: SipStack) -> None:
    """Garbage and oversize datagrams change nothing; an address outside the allow-list (127.0.0.2) hears nothing;
    a malformed request that names its dialog gets 400; OPTIONS still works afterwards."""

    def exchange(data: bytes, source: str = "127.0.0.1", wait: float = 1.0) -> bytes | None:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
            s.bind((source, 0))
            s.settimeout(wait)
            s.sendto(data, ("127.0.0.1", sip_stack.sip_port))
            try:
                return s.recv(65535)
            except TimeoutError:
                return None

    def options(cseq: str = "1 OPTIONS") -> bytes:
        return (
            f"OPTIONS sip:accessline@127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1;branch=z9hG4bK{uuid.uuid4().hex}"
            f";rport\r\nFrom: <sip:probe@127.0.0.1>;tag=1\r\nTo: <sip:accessline@127.0.0.1>\r\n"
            f"Call-ID: {uuid.uuid4().hex}\r\nCSeq: {cseq}\r\nContent-Length: 0\r\n\r\n"
        ).encode()

    for junk in (b"\x00" * 40, bytes(range(256)) * 4, b"INVITE\r\n\r\n", b"x" * 20000):
        assert exchange(junk, wait=0.3) is None
    assert exchange(options(), source="127.0.0.2") is None
    bad = exchange(options("1 BYE"))
    assert bad is not None and bad.startswith(b"SIP/2.0 400")
    good = exchange(options())
    assert good is not None and good.startswith(b"SIP/2.0 200")
    metrics = httpx.get(f"{sip_stack.url}/metrics").text
    assert 'accessline_sip_events_total{kind="dropped_not_allowed"}' in metrics
