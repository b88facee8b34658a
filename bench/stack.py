"""Start a stack for a benchmark (Redis when reachable, SQLite in a temp dir) and sample process memory."""

from __future__ import annotations

import os
import socket
import tempfile
import threading
import time
import uuid
from pathlib import Path

import psutil
import redis

from bot.launcher.model import ensure_model
from bot.launcher.stack import Stack, StackConfig

BENCH_REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/0")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _redis_url() -> str | None:
    try:
        redis.Redis.from_url(BENCH_REDIS_URL).ping()
        return BENCH_REDIS_URL
    except redis.RedisError:
        return None


def start_stack(extra_env: dict[str, str] | None = None, model: Path | None = None) -> tuple[Stack, str]:
    """A running stack (of `model`, default the current training data's) and its Redis key prefix (`cleanup`)."""
    workdir = Path(tempfile.mkdtemp(prefix="accessline-bench-"))
    prefix = "albench" + uuid.uuid4().hex[:8]
    stack = Stack(
        StackConfig(
            model=model or ensure_model(),
            port=_free_port(),
            rasa_port=_free_port(),
            actions_port=_free_port(),
            redis_url=_redis_url(),
            redis_key_prefix=prefix,
            database_url=f"sqlite:///{workdir / 'bench.db'}",
            runtime_dir=workdir,
            log_dir=workdir / "logs",
            # load from one address; the caller's own settings on top
            extra_env={"CHAT_RATE_PER_ADDRESS": "0", "VOICE_RATE_PER_ADDRESS": "0", **(extra_env or {})},
        )
    )
    stack.start()
    return stack, prefix


def cleanup(stack: Stack, prefix: str) -> None:
    stack.stop()
    if stack.config.redis_url:
        client = redis.Redis.from_url(stack.config.redis_url)
        for key in client.scan_iter(f"{prefix}:*"):
            client.delete(key)


def _tree_cpu_seconds(pid: int) -> float:
    try:
        root = psutil.Process(pid)
        return sum(sum(p.cpu_times()[:2]) for p in [root, *root.children(recursive=True)])
    except psutil.Error:
        return 0.0


class CpuMeter:
    """CPU seconds (user + system) each process tree of the stack uses inside a `with` block.

    Unlike latency, CPU per turn hardly changes when other programs load the machine, so it compares runs fairly."""

    def __init__(self, stack: Stack) -> None:
        self._pids = {name: p.pid for name, p in stack.processes.items()}
        self._start: dict[str, float] = {}
        self.seconds: dict[str, float] = {}

    def __enter__(self) -> CpuMeter:
        self._start = {name: _tree_cpu_seconds(pid) for name, pid in self._pids.items()}
        return self

    def __exit__(self, *_exc: object) -> None:
        self.seconds = {name: _tree_cpu_seconds(pid) - self._start[name] for name, pid in self._pids.items()}

    def per_turn_ms(self, turns: int) -> str:
        """E.g. "rasa 21.3, gateway 9.8, actions 1.6 ms"."""
        parts = [f"{name} {seconds / max(turns, 1) * 1000:.1f}" for name, seconds in self.seconds.items()]
        return ", ".join(parts) + " ms"


def other_load() -> str:
    """What else ran on the machine: the busiest other processes by CPU over one second."""
    own = os.getpid()
    processes = [p for p in psutil.process_iter(["pid", "name", "cmdline"]) if p.pid != own]
    for process in processes:
        try:
            process.cpu_percent(None)
        except psutil.Error:
            pass
    time.sleep(1.0)
    busy = []
    for process in processes:
        try:
            busy.append((process.cpu_percent(None), " ".join(process.info["cmdline"] or [process.info["name"]])))
        except psutil.Error:
            pass
    busy.sort(reverse=True)
    kinds = []
    for percent, command in busy[:8]:
        if percent < 10:
            break
        kind = ("rasa train" if "rasa train" in command else "pytest" if "pytest" in command
                else "rasa server" if "rasa" in command else command.split("/")[-1][:30])  # fmt: skip
        kinds.append(f"{kind} {percent:.0f}%")
    return ", ".join(kinds) or "nothing busy"


def load_average() -> str:
    """The 1-minute load average (the machine is shared: say how busy it was)."""
    return f"{os.getloadavg()[0]:.1f}"


class PeakRss:
    """Samples the resident memory of each process tree of the stack in a background thread."""

    def __init__(self, stack: Stack, interval: float = 0.2) -> None:
        self.peaks: dict[str, int] = {name: 0 for name in stack.processes}
        self._pids = {name: p.pid for name, p in stack.processes.items()}
        self._interval = interval
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _rss(self, pid: int) -> int:
        try:
            root = psutil.Process(pid)
            return sum(p.memory_info().rss for p in [root, *root.children(recursive=True)])
        except psutil.Error:
            return 0

    def _run(self) -> None:
        while not self._stop.wait(self._interval):
            for name, pid in self._pids.items():
                self.peaks[name] = max(self.peaks[name], self._rss(pid))

    def __enter__(self) -> PeakRss:
        self._thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._stop.set()
        self._thread.join()
