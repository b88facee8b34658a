"""Run Debian's sipp (package sip-tester) with one of our scenarios against the SIP endpoint.

sipp exits 0 only when every call followed the scenario (each expected message arrived, each regexp check
matched); anything else is a non-zero exit with the reason in its error file."""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

from tests.telephony.conftest import SCENARIOS, SIPP_PCAPS, free_udp_port, require


@dataclass
class SippRun:
    returncode: int
    output: str
    errors: str
    messages: str
    local_port: int

    def explain(self) -> str:
        return f"sipp exit {self.returncode}\n--- errors\n{self.errors[-3000:]}\n--- messages\n{self.messages[-6000:]}"


def render(name: str, workdir: Path, **values: str) -> Path:
    """The scenario with its {{PLACEHOLDERS}} filled (sipp's own [keywords] are left alone)."""
    text = (SCENARIOS / name).read_text()
    values.setdefault("PCAPS", str(SIPP_PCAPS))
    for key, value in values.items():
        text = text.replace("{{" + key + "}}", value)
    missing = re.findall(r"\{\{[A-Z_]+\}\}", text)
    assert not missing, f"unfilled placeholders in {name}: {missing}"
    path = workdir / name
    path.write_text(text)
    return path


def run_sipp(
    scenario: Path,
    target_port: int,
    workdir: Path,
    calls: int = 1,
    concurrent: int = 1,
    rate: float = 1.0,
    timeout: int = 150,
    media_port: int | None = None,
    extra: list[str] | None = None,
) -> SippRun:
    sipp = require("sipp")
    local_port = free_udp_port()
    stem = workdir / scenario.stem
    command = [
        sipp, "-sf", str(scenario), "-i", "127.0.0.1", "-p", str(local_port),
        "-mp", str(media_port or (free_udp_port() & ~1)), "-m", str(calls), "-l", str(concurrent),
        "-r", str(rate), "-nostdin", "-timeout", f"{timeout}s", "-timeout_error",
        "-trace_err", "-error_file", f"{stem}_errors.log", "-trace_msg", "-message_file", f"{stem}_messages.log",
        *(extra or []), f"127.0.0.1:{target_port}",
    ]  # fmt: skip
    completed = subprocess.run(command, capture_output=True, text=True, timeout=timeout + 30, stdin=subprocess.DEVNULL)
    errors = Path(f"{stem}_errors.log")
    messages = Path(f"{stem}_messages.log")
    return SippRun(
        completed.returncode,
        completed.stdout[-4000:] + completed.stderr[-4000:],
        errors.read_text(errors="replace") if errors.exists() else "",
        messages.read_text(errors="replace") if messages.exists() else "",
        local_port,
    )
