"""Run the three processes of the stack and wait until each one answers."""

from __future__ import annotations

import os
import secrets
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import yaml

from bot.core.config import PROJECT_ROOT
from bot.launcher.model import ensure_plan_passages, rasa_environment, rasa_executable

CREDENTIALS = PROJECT_ROOT / "dialogue" / "credentials.yml"  # input channels: rest + the gateway's turn channel
ACTION_SERVER_IDLE_SECONDS = 120  # how long the action server keeps a connection that has sent nothing yet


@dataclass
class StackConfig:
    """Ports, backends and files for one running stack."""

    model: Path
    port: int = 8000
    rasa_port: int = 5005
    actions_port: int = 5055
    redis_url: str | None = None
    database_url: str | None = None
    runtime_dir: Path = PROJECT_ROOT / "data" / "runtime"
    log_dir: Path | None = None  # None: inherit the terminal
    tracker_expiry_seconds: int = 7 * 24 * 3600
    redis_key_prefix: str = "accessline"
    extra_env: dict[str, str] = field(default_factory=dict)
    # Behind a load balancer (bot/launcher/cluster.py) each tier calls the next one through it: unset = this stack's
    # own processes.
    rasa_url: str | None = None  # what the gateway calls for Rasa
    actions_url: str | None = None  # what Rasa and the gateway call for the action server
    gateway_url: str | None = None  # what the action server calls for the gateway
    # Sanic worker processes of the Rasa server (each loads the model: ~560 MiB more per worker). Rasa allows more
    # than one only with the Redis lock store, so without REDIS_URL it stays at one.
    rasa_workers: int = field(default_factory=lambda: int(os.environ.get("RASA_WORKERS") or 1))


def write_endpoints(config: StackConfig) -> Path:
    """Rasa's endpoints file: action server, and Redis tracker + lock store when REDIS_URL is set."""
    actions = config.actions_url or f"http://127.0.0.1:{config.actions_port}"
    endpoints: dict = {"action_endpoint": {"url": f"{actions}/webhook"}}
    if config.redis_url:
        url = urlsplit(config.redis_url)
        redis = {
            "url": url.hostname or "127.0.0.1",
            "port": url.port or 6379,
            "db": int((url.path or "/0").lstrip("/") or 0),
        }
        if url.password:
            redis["password"] = url.password
        if url.scheme == "rediss":
            redis["use_ssl"] = True
        endpoints["tracker_store"] = {
            "type": "redis",
            **redis,
            "key_prefix": config.redis_key_prefix,
            "record_exp": config.tracker_expiry_seconds,
        }
        endpoints["lock_store"] = {"type": "redis", **redis, "key_prefix": config.redis_key_prefix}
    config.runtime_dir.mkdir(parents=True, exist_ok=True)
    path = config.runtime_dir / f"endpoints-{config.rasa_port}.yml"
    path.unlink(missing_ok=True)  # may hold the Redis password: readable by this user only
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(yaml.safe_dump(endpoints, allow_unicode=True))
    return path


def rasa_workers(config: StackConfig) -> int:
    """How many Sanic workers the Rasa server gets: at least one, and only one without Redis."""
    return max(1, config.rasa_workers) if config.redis_url else 1


class Stack:
    """Rasa server, action server and gateway as child processes."""

    def __init__(self, config: StackConfig) -> None:
        self.config = config
        self.token = os.environ.get("RASA_TOKEN") or secrets.token_urlsafe(24)
        self.internal_token = os.environ.get("INTERNAL_API_TOKEN") or secrets.token_urlsafe(24)
        self.voice_ws_token = os.environ.get("VOICE_WS_TOKEN") or secrets.token_urlsafe(24)
        self.processes: dict[str, subprocess.Popen] = {}

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.config.port}"

    def _spawn(self, name: str, command: list[str], env: dict[str, str]) -> None:
        stdout = None
        if self.config.log_dir:
            self.config.log_dir.mkdir(parents=True, exist_ok=True)
            stdout = open(self.config.log_dir / f"{name}.log", "ab")  # noqa: SIM115 - owned by the child
        self.processes[name] = subprocess.Popen(
            command, cwd=PROJECT_ROOT, env=env, stdout=stdout, stderr=subprocess.STDOUT if stdout else None,
            start_new_session=True,
        )  # fmt: skip

    def start_actions(self) -> None:
        env = rasa_environment(dict(os.environ)) | self.config.extra_env
        env |= {
            "SANIC_HOST": "127.0.0.1",
            # Sanic closes a connection that sends no request within its keep-alive timeout (5 s), a fresh one too:
            # when Rasa's event loop is busy (NLU of other turns, a loaded machine) between connecting and writing
            # the request, the action call failed ("Cannot write to closing transport") and the turn got no reply.
            "SANIC_KEEP_ALIVE_TIMEOUT": str(ACTION_SERVER_IDLE_SECONDS),
            "INTERNAL_API_TOKEN": self.internal_token,
            "REDIS_KEY_PREFIX": self.config.redis_key_prefix,
            "ACCESSLINE_GATEWAY_URL": self.config.gateway_url or self.url,
        }
        command = [str(rasa_executable()), "run", "actions", "--actions", "actions",
                   "-p", str(self.config.actions_port)]  # fmt: skip
        self._spawn("actions", command, env)

    def start_rasa(self) -> None:
        env = rasa_environment(dict(os.environ)) | self.config.extra_env
        workers = rasa_workers(self.config)
        if self.config.rasa_workers > workers:
            print(">> RASA_WORKERS > 1 needs REDIS_URL (Rasa's Redis lock store): starting one worker", flush=True)
        if workers > 1:
            print(">> RASA_WORKERS > 1: a model put live reaches one Sanic worker only; scale Rasa by replicas"
                  " (make cluster, docs/scaling.md), each one worker", flush=True)  # fmt: skip
        env["SANIC_WORKERS"] = str(workers)
        if self.config.redis_url:  # bot/launcher/model_watch.py: load the model the registry puts live
            env["ACCESSLINE_MODEL_WATCH_REDIS"] = self.config.redis_url
            env["REDIS_KEY_PREFIX"] = self.config.redis_key_prefix
        env["ACCESSLINE_RASA_TOKEN_FILE"] = str(self.write_token_file())
        python = rasa_executable().with_name("python")  # bot.launcher.rasa_main: Rasa's CLI plus rasa_speedups
        command = [
            str(python), "-m", "bot.launcher.rasa_main", "run", "--enable-api",
            "--model", str(self.config.model), "--endpoints", str(write_endpoints(self.config)),
            "--credentials", str(CREDENTIALS),
            "--interface", "127.0.0.1", "-p", str(self.config.rasa_port),
        ]  # fmt: skip
        self._spawn("rasa", command, env)

    def write_token_file(self) -> Path:
        """Rasa's token in a file only this user can read (never on a command line); Rasa deletes it once read."""
        self.config.runtime_dir.mkdir(parents=True, exist_ok=True)
        path = self.config.runtime_dir / f"rasa-token-{self.config.rasa_port}"
        path.unlink(missing_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(self.token)
        return path

    def start_gateway(self) -> None:
        env = (
            dict(os.environ)
            | {
                "PORT": str(self.config.port),
                "RASA_URL": self.config.rasa_url or f"http://127.0.0.1:{self.config.rasa_port}",
                "RASA_TOKEN": self.token,
                "ACTION_SERVER_URL": self.config.actions_url or f"http://127.0.0.1:{self.config.actions_port}",
                "INTERNAL_API_TOKEN": self.internal_token,
                "VOICE_WS_TOKEN": self.voice_ws_token,
                "REDIS_KEY_PREFIX": self.config.redis_key_prefix,
                "PYTHONPATH": str(PROJECT_ROOT),
            }
            | self.config.extra_env
        )
        for key, value in (("REDIS_URL", self.config.redis_url), ("DATABASE_URL", self.config.database_url)):
            if value:
                env[key] = value
            else:
                env.pop(key, None)
        command = [sys.executable, "-m", "uvicorn", "bot.main:app", "--host", "127.0.0.1",
                   "--port", str(self.config.port), "--no-access-log"]  # fmt: skip
        self._spawn("gateway", command, env)

    def start(self, timeout: float = 300.0) -> None:
        """Start all three and wait until the gateway reports ready (the plan passages embedded first, once)."""
        ensure_plan_passages(self.config.extra_env)
        self.start_actions()
        self.start_rasa()
        self.start_gateway()
        self.wait_ready(timeout)

    def wait_ready(self, timeout: float = 300.0) -> None:
        deadline = time.monotonic() + timeout
        last = ""
        while time.monotonic() < deadline:
            for name, process in self.processes.items():
                if process.poll() is not None:
                    raise RuntimeError(f"{name} exited with code {process.returncode}")
            try:
                response = httpx.get(f"{self.url}/readyz", timeout=3.0)
                if response.status_code == 200:
                    return
                down = ", ".join(response.json().get("down", []))
                if down != last:
                    print(f">> waiting for: {down}", flush=True)
                    last = down
            except httpx.HTTPError:
                pass
            time.sleep(0.5)
        raise TimeoutError(f"stack not ready after {timeout:.0f}s (last down: {last or 'gateway'})")

    def stop_one(self, name: str, timeout: float = 20.0) -> None:
        """Stop one process (SIGINT, then SIGTERM, then SIGKILL) and forget it."""
        process = self.processes.pop(name, None)
        if process is None or process.poll() is not None:
            return
        for sig, wait in ((signal.SIGINT, timeout), (signal.SIGTERM, 5.0), (signal.SIGKILL, 5.0)):
            try:
                os.killpg(process.pid, sig)
            except ProcessLookupError:
                return
            try:
                process.wait(wait)
                return
            except subprocess.TimeoutExpired:
                continue

    def stop(self) -> None:
        """Stop the gateway first, then Rasa, then the action server."""
        for name in ("gateway", "rasa", "actions"):
            self.stop_one(name)
