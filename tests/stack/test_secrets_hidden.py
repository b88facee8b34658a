"""Issue 11 item 8, on the real stack started by the launcher: no token on any command line (`ps` shows argv to
every user of the machine) and none in any log line, although the gateway calls Rasa's API with `?token=` all the
time (httpx logs each URL)."""

from __future__ import annotations

import subprocess

import httpx
import psutil
import pytest

from bot.core.redaction import REDACTED
from tests.conftest import joined_text, new_sender

pytestmark = pytest.mark.stack


def secrets_of(stack) -> dict[str, str]:
    return {"rasa": stack.token, "internal": stack.internal_token, "voice_ws": stack.voice_ws_token}


def test_no_token_in_the_argv_of_any_stack_process(stack) -> None:
    processes = []
    for process in stack.processes.values():
        root = psutil.Process(process.pid)
        processes += [root, *root.children(recursive=True)]
    assert len(processes) >= 3
    rasa = psutil.Process(stack.processes["rasa"].pid)
    assert "bot.launcher.rasa_main" in " ".join(rasa.cmdline()) and "--enable-api" in rasa.cmdline()
    for process in processes:
        argv = " ".join(process.cmdline())
        for name, secret in secrets_of(stack).items():
            assert secret not in argv, f"{name} token on the command line of pid {process.pid}"
    listing = subprocess.run(["ps", "-eo", "pid,args", "-ww"], capture_output=True, text=True, check=True).stdout
    for name, secret in secrets_of(stack).items():
        assert secret not in listing, f"{name} token visible in ps"
    assert not list(stack.config.runtime_dir.glob("rasa-token-*")), "the token file is removed once read"


def test_the_token_works_and_no_log_line_holds_a_token(stack, chat) -> None:
    rasa_status = httpx.get(f"http://127.0.0.1:{stack.config.rasa_port}/status", timeout=10)
    assert rasa_status.status_code == 401  # Rasa did get its token (from the file)
    assert httpx.get(f"{stack.url}/readyz", timeout=30).status_code == 200  # gateway → Rasa /status?token=
    assert joined_text(chat(new_sender(), "护理补贴怎么申请"))
    logs = {path.name: path.read_text(errors="replace") for path in sorted(stack.config.log_dir.glob("*.log"))}
    assert {"gateway.log", "rasa.log", "actions.log"} <= set(logs)
    for name, text in logs.items():
        for kind, secret in secrets_of(stack).items():
            assert secret not in text, f"{kind} token in {name}"
    # httpx's per-request INFO lines (each with ?token=) are off at the default level; its warnings and errors, which
    # name the URL, go through the same redacting formatter (tests/unit/test_redaction.py logs one at warning level).
    assert "HTTP Request:" not in logs["gateway.log"], "httpx request lines are off at INFO"
    assert "token=" not in logs["gateway.log"].replace(f"token={REDACTED}", ""), "a token URL unredacted"
