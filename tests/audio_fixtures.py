"""Audio made at test time for the security checks: long AMR-NB files from sox (a decompression bomb in miniature)."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

AMR_MAGIC = b"#!AMR\n"


def require_tool(name: str, reason: str) -> str:
    """The tool's path; skipped when it is missing, except under CI=true, where a missing tool fails the test."""
    path = shutil.which(name)
    if path is None:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"{name} is missing on CI ({reason}); .ci/run installs it")
        pytest.skip(f"{name} is not installed ({reason})")
    return path


def long_amr(tmp_path: Path, seconds: int, chunk_seconds: int = 20) -> bytes:
    """AMR-NB at the lowest bit rate (4.75 kbit/s): a `chunk_seconds` tone encoded by sox, its frames repeated to
    `seconds` (each AMR frame stands alone, so the result is a valid file, about 650 bytes per second)."""
    sox = require_tool("sox", "encodes the AMR-NB fixtures")
    if "amr-nb" not in subprocess.run([sox, "-h"], capture_output=True, text=True).stdout:
        pytest.fail("sox has no AMR-NB support (Debian's libsox-fmt-base provides it)")
    out = tmp_path / f"chunk{chunk_seconds}.amr"
    if not out.exists():
        command = [sox, "-n", "-r", "8000", "-c", "1", "-t", "amr-nb", "-C", "0", str(out), "synth",
                   str(chunk_seconds), "sine", "300"]  # fmt: skip
        subprocess.run(command, check=True, capture_output=True)
    body = out.read_bytes().removeprefix(AMR_MAGIC)
    return AMR_MAGIC + body * max(1, seconds // chunk_seconds)
