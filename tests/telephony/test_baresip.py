"""A second, independent SIP program: Debian's baresip calls the endpoint with a WAV file as its microphone and
records what it hears (its sndfile module); a key is sent over its TCP control console; our REFER makes baresip
itself transfer the call to the configured agent URI, where a sipp UAS plays the hotline's queue."""

from __future__ import annotations

import json
import socket
import subprocess
import time
import wave
from pathlib import Path

import numpy as np
import pytest

from tests.conftest import free_port
from tests.telephony.capture import Capture, calls_in_capture, our_rtp
from tests.telephony.conftest import SipStack, free_udp_port, require
from tests.telephony.reference import aligned_snr, welcome_piece
from tests.telephony.test_sip_calls import assert_paced
from voice.normalize import normalize_for_speech
from voice.tts.espeak import EspeakEngine

pytestmark = pytest.mark.stack
CALLER = "13700000001"
QUESTION_AT = 2.0  # seconds into the call the microphone speaks


def microphone(path: Path, seconds: float = 60.0) -> None:
    """Silence, a spoken question at QUESTION_AT, then silence (baresip hangs up when its file ends)."""
    speech = EspeakEngine().synthesize(normalize_for_speech("我想了解护理补贴"), 150).resampled(8000)
    voice = np.frombuffer(speech.pcm, dtype="<i2")
    before = np.zeros(int(8000 * QUESTION_AT), dtype="<i2")
    after = np.zeros(int(8000 * seconds) - len(before) - len(voice), dtype="<i2")
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(8000)
        out.writeframes(np.concatenate([before, voice, after]).tobytes())


def configure(workdir: Path, sip_port: int, control_port: int, rtp: tuple[int, int]) -> Path:
    conf = workdir / "baresip"
    (conf / "rec").mkdir(parents=True)
    (conf / "config").write_text(
        "\n".join(
            [
                "poll_method poll",
                f"sip_listen 127.0.0.1:{sip_port}",
                "audio_player aufile,/dev/null",
                f"audio_source aufile,{workdir / 'mic.wav'}",
                "audio_alert aufile,/dev/null",
                "module_path /usr/lib/baresip/modules",
                "module g711.so",
                "module aufile.so",
                "module sndfile.so",
                "module_app account.so",
                "module_app menu.so",
                "module ctrl_tcp.so",
                f"ctrl_tcp_listen 127.0.0.1:{control_port}",
                f"snd_path {conf / 'rec'}",
                f"rtp_ports {rtp[0]}-{rtp[1]}",
                "",
            ]
        )
    )
    (conf / "accounts").write_text(f"<sip:{CALLER}@127.0.0.1>;regint=0;audio_codecs=PCMU,PCMA\n")
    return conf


def control(port: int, command: str, params: str = "") -> dict:
    """One command over baresip's ctrl_tcp console (a JSON netstring)."""
    body = json.dumps({"command": command, "params": params, "token": "t"}).encode()
    with socket.create_connection(("127.0.0.1", port), timeout=5) as connection:
        connection.sendall(str(len(body)).encode() + b":" + body + b",")
        reply = connection.recv(4096)
    return json.loads(reply[reply.index(b":") + 1 : -1])


def wait_for(path: Path, text: str, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if path.exists() and text in path.read_text(errors="replace"):
            return True
        time.sleep(0.2)
    return False


def test_baresip_hears_us_sends_a_key_and_transfers_itself(sip_stack: SipStack, tmp_path: Path) -> None:
    baresip, sipp = require("baresip"), require("sipp")
    require("tcpdump")
    microphone(tmp_path / "mic.wav")
    control_port = free_port()
    conf = configure(tmp_path, free_udp_port(), control_port, (20000, 20200))  # below the endpoint's RTP range
    agent = subprocess.Popen(
        [sipp, "-sn", "uas", "-i", "127.0.0.1", "-p", str(sip_stack.agent_port), "-m", "1", "-nostdin",
         "-trace_msg", "-message_file", str(tmp_path / "agent_messages.log")],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    tap = Capture(tmp_path / "baresip.pcap", [sip_stack.sip_port], sip_stack.rtp_ports)
    log_path = tmp_path / "baresip.log"
    with log_path.open("w") as log:
        phone = subprocess.Popen(
            [baresip, "-f", str(conf), "-e", f"/dial sip:accessline@127.0.0.1:{sip_stack.sip_port}", "-t", "90"],
            stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
        )  # fmt: skip
    try:
        assert wait_for(log_path, f"Call established: sip:accessline@127.0.0.1:{sip_stack.sip_port}", 30), (
            log_path.read_text(errors="replace")[-3000:]
        )
        time.sleep(12)  # the greeting, the question from the microphone, the bot's answer
        assert control(control_port, "sndcode", "0")["ok"]
        transferred = wait_for(log_path, "Call established: sip:12385@127.0.0.1", 60)
    finally:
        phone.terminate()
        phone.wait(10)
        agent.terminate()
        agent.wait(10)
        datagrams = tap.stop()
    baresip_log = log_path.read_text(errors="replace")
    assert transferred, baresip_log[-3000:]
    assert "transferring call to" in baresip_log or "<sip:12385@127.0.0.1" in baresip_log
    assert "INVITE sip:12385@127.0.0.1" in (tmp_path / "agent_messages.log").read_text(errors="replace")

    [call] = calls_in_capture(datagrams, sip_stack.sip_port).values()
    assert_paced(our_rtp(datagrams, call.rtp_port), "baresip call")
    heard_file = min((conf / "rec").glob("dump-*-dec.wav"))  # the first call: the one with us
    with wave.open(str(heard_file)) as recording:
        assert recording.getframerate() == 8000
        heard = np.frombuffer(recording.readframes(recording.getnframes()), dtype="<i2").astype(np.float64)
    snr, offsets = aligned_snr(heard, [welcome_piece()])
    assert snr >= 30.0 and offsets[0] < 8000, f"welcome as heard by baresip: {snr:.1f} dB at {offsets[0]}"
    frames = heard[: len(heard) // 160 * 160].reshape(-1, 160)
    loud = np.sqrt(np.mean(frames**2, axis=1)) > 300
    start = int((QUESTION_AT + 1.0) * 50)  # after the question began: the greeting stops (barge-in) …
    quiet = next((i for i in range(start, len(loud) - 25) if not loud[i : i + 25].any()), None)
    assert quiet is not None, "the greeting did not stop when the caller spoke"
    assert loud[quiet:].any(), "no spoken answer after the caller's question"
