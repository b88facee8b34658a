"""Ten simultaneous sipp callers press 1 during the greeting, listen to the answer, press * to hear it again and hang
up in the middle of it: every call is answered and paced, every answer starts, and nothing is left behind (no RTP
after the hang-up, no open RTP socket, no call or stream on the pacer)."""

from __future__ import annotations

import random
import time
from pathlib import Path

import httpx
import psutil
import pytest

from tests.telephony.capture import Capture, audible, calls_in_capture, dtmf_events, our_rtp
from tests.telephony.conftest import SipStack, require
from tests.telephony.sipp import render, run_sipp
from tests.telephony.test_sip_calls import assert_paced

pytestmark = pytest.mark.stack
CALLS = 10


def sip_gauges(url: str) -> dict[str, float]:
    lines = httpx.get(f"{url}/metrics", timeout=10).text.splitlines()
    wanted = ("accessline_sip_active_calls", "accessline_sip_rtp_streams")
    return {line.split()[0]: float(line.split()[1]) for line in lines if line.startswith(wanted)}


def rtp_sockets(sip_stack: SipStack) -> list:
    """UDP sockets in the RTP range held by the gateway or its children (the RTP pacer holds a copy of each)."""
    low, high = sip_stack.rtp_ports
    gateway = psutil.Process(sip_stack.stack.processes["gateway"].pid)
    family = [gateway, *gateway.children(recursive=True)]
    return [c for p in family for c in p.net_connections(kind="udp") if low <= c.laddr.port <= high]


def test_ten_simultaneous_calls_hang_up_mid_answer(sip_stack: SipStack, tmp_path: Path) -> None:
    require("tcpdump")
    prefix = "139" + str(random.randrange(1000, 9999))
    scenario = render(
        "load_hangup.xml", tmp_path, CALLER=prefix + "[call_number]", BEFORE_KEY_MS="2500", LISTEN_MS="12000",
        HANGUP_AFTER_MS="1500",
    )  # fmt: skip
    tap = Capture(tmp_path / "load.pcap", [sip_stack.sip_port], sip_stack.rtp_ports)
    run = run_sipp(scenario, sip_stack.sip_port, tmp_path, calls=CALLS, concurrent=CALLS, rate=20)
    datagrams = tap.stop()
    assert run.returncode == 0, run.explain()

    calls = calls_in_capture(datagrams, sip_stack.sip_port)
    assert len(calls) == CALLS and len({c.rtp_port for c in calls.values()}) == CALLS
    for call in calls.values():
        label = f"call on RTP port {call.rtp_port}"
        packets = our_rtp(datagrams, call.rtp_port)
        assert call.ended_at is not None, f"{label}: no 200 OK to the BYE"
        assert_paced([p for p in packets if p[0] <= call.ended_at], label)
        late = [t for t, _ in packets if t > call.ended_at + 0.2]
        assert not late, f"{label}: {len(late)} RTP packets after the hang-up"
        [(key_start, _), (repeat_start, _)] = dtmf_events(datagrams, call.rtp_port, 101)
        after_key = [p for t, p in packets if key_start < t < repeat_start]
        levels = [audible(p, call.payload_type) for p in after_key]
        silent_run = next((i for i in range(len(levels) - 3) if not any(levels[i : i + 3])), None)
        assert silent_run is not None, f"{label}: the greeting did not stop for the key"
        assert any(levels[silent_run:]), f"{label}: no answer to key 1 in {len(levels) * 0.02:.0f} s"
        last_second = [audible(p, call.payload_type) for t, p in packets if call.ended_at - 1.0 < t <= call.ended_at]
        assert any(last_second), f"{label}: not speaking when the caller hung up (the test needs it mid-sentence)"

    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and (any(sip_gauges(sip_stack.url).values()) or rtp_sockets(sip_stack)):
        time.sleep(0.2)  # the last BYEs are being processed; this waits for them, it does not time them
    assert sip_gauges(sip_stack.url) == {"accessline_sip_active_calls": 0.0, "accessline_sip_rtp_streams": 0.0}
    assert rtp_sockets(sip_stack) == []
