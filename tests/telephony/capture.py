"""Loopback packet captures (tcpdump, immediate mode) and what the tests read from them: SIP messages, our RTP
stream (payload type, sequence numbers, gaps) and its audio compared with a locally synthesised reference."""

from __future__ import annotations

import re
import signal
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

import dpkt
import numpy as np

from bot.channels.sip.rtp import RtpPacket, parse_rtp
from voice import g711


@dataclass(frozen=True)
class Datagram:
    at: float
    src: tuple[str, int]
    dst: tuple[str, int]
    payload: bytes


class Capture:
    """tcpdump on loopback writing a pcap file; stop() ends it by its own process id."""

    def __init__(self, path: Path, ports: list[int], port_range: tuple[int, int]) -> None:
        self.path = path
        ports_filter = " or ".join(f"port {p}" for p in ports)
        expression = f"udp and ({ports_filter} or portrange {port_range[0]}-{port_range[1]})"
        command = ["tcpdump", "-i", "lo", "-U", "--immediate-mode", "-s", "2048", "-w", str(path), expression]
        self.process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and not path.exists():  # tcpdump creates the file once listening
            time.sleep(0.05)
        time.sleep(0.3)

    def stop(self) -> list[Datagram]:
        time.sleep(0.3)
        self.process.send_signal(signal.SIGINT)
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(5)
        return read_pcap(self.path)


def read_pcap(path: Path) -> list[Datagram]:
    datagrams: list[Datagram] = []
    with path.open("rb") as handle:
        reader = dpkt.pcap.Reader(handle)
        link = reader.datalink()
        for at, frame in reader:
            if link == dpkt.pcap.DLT_EN10MB:
                ip = dpkt.ethernet.Ethernet(frame).data
            elif link == dpkt.pcap.DLT_LINUX_SLL:
                ip = dpkt.sll.SLL(frame).data
            else:
                ip = dpkt.ip.IP(frame[4:]) if link == dpkt.pcap.DLT_NULL else dpkt.ip.IP(frame)
            if not isinstance(ip, dpkt.ip.IP) or not isinstance(ip.data, dpkt.udp.UDP):
                continue
            udp = ip.data
            src = (".".join(str(b) for b in ip.src), udp.sport)
            dst = (".".join(str(b) for b in ip.dst), udp.dport)
            datagrams.append(Datagram(float(at), src, dst, bytes(udp.data)))
    return datagrams


def sip_messages(datagrams: list[Datagram], sip_port: int) -> list[tuple[Datagram, str]]:
    """(datagram, first line) of every SIP message to or from our SIP port."""
    found = []
    for d in datagrams:
        if sip_port in (d.src[1], d.dst[1]) and d.payload[:1].isalpha():
            found.append((d, d.payload.split(b"\r\n", 1)[0].decode("utf-8", "replace")))
    return found


def answered_payload_type(datagrams: list[Datagram], sip_port: int) -> tuple[int, int]:
    """(payload type, our RTP port) from the SDP of our first 200 OK to an INVITE."""
    for d, line in sip_messages(datagrams, sip_port):
        if d.src[1] == sip_port and line.startswith("SIP/2.0 200") and b"INVITE" in d.payload.split(b"CSeq:")[1][:40]:
            match = re.search(rb"m=audio (\d+) RTP/AVP (\d+)", d.payload)
            if match:
                return int(match.group(2)), int(match.group(1))
    raise AssertionError("no 200 OK with SDP in the capture")


def our_rtp(datagrams: list[Datagram], rtp_port: int) -> list[tuple[float, RtpPacket]]:
    """Our RTP packets (sent from our RTP port), in capture order."""
    return [(d.at, parse_rtp(d.payload)) for d in datagrams if d.src[1] == rtp_port]


def sequence_gaps(packets: list[tuple[float, RtpPacket]]) -> list[int]:
    """Steps between consecutive sequence numbers (all 1 for a contiguous stream)."""
    return [(b.sequence - a.sequence) & 0xFFFF for (_, a), (_, b) in zip(packets, packets[1:], strict=False)]


def interarrival_ms(packets: list[tuple[float, RtpPacket]]) -> np.ndarray:
    times = np.array([t for t, _ in packets])
    return np.diff(times) * 1000.0


def decode_stream(packets: list[tuple[float, RtpPacket]], payload_type: int) -> np.ndarray:
    """Our audio as 16-bit samples (A-law for 8, µ-law for 0)."""
    payload = b"".join(p.payload for _, p in packets if p.payload_type == payload_type)
    pcm = g711.alaw_to_pcm16(payload) if payload_type == 8 else g711.ulaw_to_pcm16(payload)
    return np.frombuffer(pcm, dtype="<i2").astype(np.float64)


@dataclass
class CallInCapture:
    """One call seen on the wire: our answer's payload type and RTP port, and when things happened."""

    call_id: str
    payload_type: int
    rtp_port: int
    answered_at: float
    acked_at: float | None = None
    ended_at: float | None = None  # the 200 OK to a BYE (either side's)


def calls_in_capture(datagrams: list[Datagram], sip_port: int) -> dict[str, CallInCapture]:
    calls: dict[str, CallInCapture] = {}
    for d, line in sip_messages(datagrams, sip_port):
        call_id = _header(d.payload, rb"(?:Call-ID|i)")
        cseq = _header(d.payload, rb"CSeq")
        if line.startswith("SIP/2.0 200") and cseq.endswith("INVITE") and d.src[1] == sip_port:
            match = re.search(rb"m=audio (\d+) RTP/AVP (\d+)", d.payload)
            if match and call_id not in calls:
                calls[call_id] = CallInCapture(call_id, int(match.group(2)), int(match.group(1)), d.at)
        elif line.startswith("ACK") and call_id in calls and calls[call_id].acked_at is None:
            calls[call_id].acked_at = d.at
        elif line.startswith("SIP/2.0 200") and cseq.endswith("BYE") and call_id in calls:
            calls[call_id].ended_at = d.at
    return calls


def _header(payload: bytes, name: bytes) -> str:
    match = re.search(rb"^" + name + rb"\s*:\s*(.+?)\r?$", payload, re.MULTILINE | re.IGNORECASE)
    return match.group(1).decode("utf-8", "replace").strip() if match else ""


def dtmf_events(datagrams: list[Datagram], rtp_port: int, event_pt: int) -> list[tuple[float, float | None]]:
    """(first packet, first end packet) arrival times of each keypad event sent to our RTP port."""
    events: dict[int, list] = {}
    for d in datagrams:
        if d.dst[1] != rtp_port:
            continue
        packet = parse_rtp(d.payload)
        if packet.payload_type != event_pt or len(packet.payload) < 4:
            continue
        event = events.setdefault(packet.timestamp, [d.at, None])
        if packet.payload[1] & 0x80 and event[1] is None:
            event[1] = d.at
    return [(start, end) for start, end in events.values()]


def dtmf_end_times(datagrams: list[Datagram], rtp_port: int, event_pt: int) -> list[float]:
    """When the first end packet of each keypad event sent to our RTP port arrived."""
    return [end for _, end in dtmf_events(datagrams, rtp_port, event_pt) if end is not None]


def audible(packet: RtpPacket, payload_type: int, threshold: float = 300.0) -> bool:
    """Whether a packet carries sound rather than the silence we fill with."""
    pcm = g711.alaw_to_pcm16(packet.payload) if payload_type == 8 else g711.ulaw_to_pcm16(packet.payload)
    samples = np.frombuffer(pcm, dtype="<i2").astype(np.float64)
    return float(np.sqrt(np.mean(samples**2))) > threshold
