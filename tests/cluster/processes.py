"""Real gateway processes for the cluster tests: each is its own `uvicorn bot.main:app`, killed for real."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx

from bot.core.config import PROJECT_ROOT
from tests.conftest import free_port


class GatewayProcess:
    """One gateway on a spare port, with its own log file; `kill()` sends SIGKILL to its whole process group."""

    def __init__(self, name: str, env: dict[str, str], log_dir: Path, port: int | None = None) -> None:
        self.name = name
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.ws_url = f"ws://127.0.0.1:{self.port}"
        self.env = dict(os.environ) | {"PYTHONPATH": str(PROJECT_ROOT), "PORT": str(self.port)} | env
        self.log = log_dir / f"{name}.log"
        self.process: subprocess.Popen | None = None

    def start(self) -> GatewayProcess:
        command = [sys.executable, "-m", "uvicorn", "bot.main:app", "--host", "127.0.0.1",
                   "--port", str(self.port), "--no-access-log"]  # fmt: skip
        self.log.parent.mkdir(parents=True, exist_ok=True)
        with self.log.open("ab") as out:
            self.process = subprocess.Popen(command, cwd=PROJECT_ROOT, env=self.env, stdout=out,
                                            stderr=subprocess.STDOUT, start_new_session=True)  # fmt: skip
        return self

    def wait_alive(self, timeout: float = 60.0) -> None:
        """Until /healthz answers (the lifespan, migrations included, has run)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process is not None and self.process.poll() is not None:
                raise RuntimeError(f"{self.name} exited ({self.process.returncode}):\n{self.tail()}")
            try:
                if httpx.get(f"{self.url}/healthz", timeout=2).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
        raise TimeoutError(f"{self.name} did not start:\n{self.tail()}")

    def kill(self) -> None:
        """kill -9, no clean-up of any kind."""
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(10)

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(15)
        except subprocess.TimeoutExpired:
            self.kill()

    def tail(self, chars: int = 3000) -> str:
        return self.log.read_text(errors="replace")[-chars:] if self.log.exists() else ""
