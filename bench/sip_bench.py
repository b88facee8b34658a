"""Phone calls over SIP (docs/telephony.md): sipp callers against a running stack, timed from a tcpdump capture.

- ACK → first RTP packet of the greeting (target ≤ 300 ms), and → the first audible packet;
- end of a keypad digit (first RFC 4733 end packet) → first audible packet of the answer (target ≤ 500 ms);
- our RTP stream's jitter (RFC 3550 interarrival jitter and packet gaps) with 1 and with 10 simultaneous calls;
- gateway CPU per call-second (the gateway process and its children, i.e. espeak-ng) under 10 calls.

Run with `python -m bench.sip_bench` (part of `make bench`; needs sipp and tcpdump, run as root for the capture).
Writes its section of docs/benchmarks.md."""

from __future__ import annotations

import json
import random
import tempfile
import time
from pathlib import Path

import numpy as np
import psutil

from bench.report import write_section
from bench.stack import cleanup, start_stack
from tests.telephony.capture import Capture, audible, calls_in_capture, dtmf_events, our_rtp
from tests.telephony.conftest import free_udp_port
from tests.telephony.sipp import render, run_sipp

SEQUENTIAL_CALLS = 8
LOAD_CALLS = 10


def _stats(values_ms: list[float], digits: int = 0) -> str:
    if not values_ms:
        return "– | – | –"
    p50, p95, top = np.percentile(values_ms, 50), np.percentile(values_ms, 95), max(values_ms)
    return f"{p50:.{digits}f} | {p95:.{digits}f} | {top:.{digits}f}"


def _jitter_ms(packets: list) -> float:
    """RFC 3550 interarrival jitter (6.4.1) of one stream at the receiver, in ms (8 kHz clock)."""
    jitter, previous = 0.0, None
    for at, packet in packets:
        if previous is not None:
            d = (at - previous[0]) * 8000 - ((packet.timestamp - previous[1].timestamp) & 0xFFFFFFFF)
            jitter += (abs(d) - jitter) / 16
        previous = (at, packet)
    return jitter / 8


def _calls(sip_port: int, rtp_ports: tuple[int, int], workdir: Path, concurrent: int, total: int):
    """Run the key-1-then-hang-up scenario; return the capture's calls, datagrams, and the gateway CPU used."""
    scenario = render(
        "load_hangup.xml", workdir, CALLER=f"139{random.randrange(1000, 9999)}[call_number]",
        BEFORE_KEY_MS="3000", LISTEN_MS="5000", HANGUP_AFTER_MS="1000",
    )  # fmt: skip
    tap = Capture(workdir / f"bench-{concurrent}.pcap", [sip_port], rtp_ports)
    run = run_sipp(scenario, sip_port, workdir, calls=total, concurrent=concurrent, rate=20 if concurrent > 1 else 0.5)
    datagrams = tap.stop()
    if run.returncode != 0:
        raise RuntimeError(run.explain())
    return calls_in_capture(datagrams, sip_port), datagrams


def _measure(calls, datagrams) -> dict[str, list[float]]:
    out: dict[str, list[float]] = {"greeting_first": [], "greeting_audible": [], "jitter": [], "gaps": []}
    out |= {"key_start_answer": [], "key_end_answer": [], "key_length": []}
    for call in calls.values():
        packets = our_rtp(datagrams, call.rtp_port)
        if call.acked_at is None or not packets:
            continue
        out["greeting_first"].append((packets[0][0] - call.acked_at) * 1000)
        first_audible = next((t for t, p in packets if audible(p, call.payload_type)), None)
        if first_audible is not None:
            out["greeting_audible"].append((first_audible - call.acked_at) * 1000)
        keys = dtmf_events(datagrams, call.rtp_port, 101)
        if keys and keys[0][1] is not None:
            start, end = keys[0]
            until = keys[1][0] if len(keys) > 1 else float("inf")
            after = [(t, audible(p, call.payload_type)) for t, p in packets if start < t < until]
            quiet = next((i for i in range(len(after) - 3) if not any(a for _, a in after[i : i + 3])), None)
            answer = next((t for t, a in after[quiet:] if a), None) if quiet is not None else None
            if answer is not None:
                out["key_start_answer"].append((answer - start) * 1000)
                out["key_end_answer"].append((answer - end) * 1000)
                out["key_length"].append((end - start) * 1000)
        live = [p for p in packets if call.ended_at is None or p[0] <= call.ended_at]
        out["jitter"].append(_jitter_ms(live))
        out["gaps"].extend(np.diff([t for t, _ in live]) * 1000)
    return out


def main() -> None:
    sip_port = free_udp_port()
    base = random.randrange(30000, 60000, 2)
    rtp_ports = (base, base + 400)
    env = {"SIP_LISTEN": f"127.0.0.1:{sip_port}", "SIP_RTP_PORTS": f"{rtp_ports[0]}-{rtp_ports[1]}",
           "SIP_AGENT_URIS": json.dumps({})}  # fmt: skip
    stack, prefix = start_stack(env)
    workdir = Path(tempfile.mkdtemp(prefix="accessline-sipbench-"))
    try:
        _calls(sip_port, rtp_ports, workdir, 1, 2)  # warm-up (models, caches)
        single = _measure(*_calls(sip_port, rtp_ports, workdir, 1, SEQUENTIAL_CALLS))
        gateway = psutil.Process(stack.processes["gateway"].pid)
        idle_before = gateway.cpu_times()
        time.sleep(10)
        idle_after = gateway.cpu_times()
        idle_rate = (sum(idle_after[:4]) - sum(idle_before[:4])) / 10
        before, started = gateway.cpu_times(), time.monotonic()
        calls, datagrams = _calls(sip_port, rtp_ports, workdir, LOAD_CALLS, LOAD_CALLS)
        after, wall = gateway.cpu_times(), time.monotonic() - started
        load = _measure(calls, datagrams)
    finally:
        cleanup(stack, prefix)
    call_seconds = sum((c.ended_at or c.acked_at) - c.acked_at for c in calls.values() if c.acked_at)
    cpu = sum(after[:4]) - sum(before[:4])
    cpu_calls = cpu - idle_rate * wall
    gaps = np.array(load["gaps"])
    rows = [
        "## Phone calls (SIP)",
        "",
        "sipp callers against the running stack (PCMA offered first, greeting, key 1 by RFC 4733 from sipp's",
        "dtmf_2833_1.pcap, key * 5 s later, hang-up 1 s after it), timed from a tcpdump capture on loopback.",
        "“Audible” = the first packet whose decoded level is above the silence we fill with (espeak-ng's own",
        "leading silence counts against us). A key counts on its first packet, so the answer may start before the",
        "key's end packet"
        f" (the pcap's key lasts {np.median(single['key_length'] or [0]):.0f} ms; negative values below).",
        "Targets: greeting ≤ 300 ms after ACK, answer ≤ 500 ms after the key.",
        "",
        "| measure | calls | p50 ms | p95 ms | max ms |",
        "|---|---|---|---|---|",
    ]
    for label, values in (
        ("ACK → first RTP packet of the greeting (1 call at a time)", single["greeting_first"]),
        ("ACK → first audible greeting packet (1 call at a time)", single["greeting_audible"]),
        (
            "key pressed (first RFC 4733 packet) → first audible answer packet (1 call at a time)",
            single["key_start_answer"],
        ),
        ("end of key (first end packet) → first audible answer packet (1 call at a time)", single["key_end_answer"]),
        (f"ACK → first RTP packet of the greeting ({LOAD_CALLS} calls at once)", load["greeting_first"]),
        (f"key pressed → first audible answer packet ({LOAD_CALLS} calls at once)", load["key_start_answer"]),
        (f"end of key → first audible answer packet ({LOAD_CALLS} calls at once)", load["key_end_answer"]),
        ("RFC 3550 jitter of our stream, 1 call at a time", single["jitter"]),
        (f"RFC 3550 jitter of our stream, {LOAD_CALLS} calls at once", load["jitter"]),
    ):
        rows.append(f"| {label} | {len(values)} | {_stats(values, 2 if 'jitter' in label else 0)} |")
    rows += [
        "",
        f"Packet gaps of our {LOAD_CALLS} simultaneous streams ({len(gaps)} gaps):"
        f" p50 {np.percentile(gaps, 50):.2f} ms,"
        f" p1 {np.percentile(gaps, 1):.2f}, p99 {np.percentile(gaps, 99):.2f}, max {gaps.max():.1f};"
        f" {np.mean(np.abs(gaps - 20) <= 2):.1%} within 20 ± 2 ms.",
        "",
        f"Gateway CPU (process and children, i.e. espeak-ng) during the {LOAD_CALLS}-call run: {cpu:.1f} s for"
        f" {call_seconds:.0f} call-seconds; less the idle gateway's {idle_rate * 1000:.0f} ms/s:"
        f" **{cpu_calls / call_seconds * 1000:.0f} ms CPU per call-second** (Rasa and the action server not included).",
    ]
    section = "\n".join(rows)
    print(section)
    print(f"written to {write_section('sip', section)}")


if __name__ == "__main__":
    main()
