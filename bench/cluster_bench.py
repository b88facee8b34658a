"""The cost of scaling out, measured on the cluster of `make cluster` -> docs/benchmarks.md ("cluster") and the
sizing table of docs/scaling.md.

1. CPU per chat turn summed over every process (nginx, gateways, Rasa servers, action servers), with 2 replicas of
   each and then with 1 (replica 2 stopped; nginx skips it), the same turns through the front door.
2. Redis commands per turn: a Redis of the benchmark's own, `total_commands_processed` before and after, minus what
   the idle cluster issues in the same time (blocking stream reads, the model watchers' polls).
3. Rasa throughput with 2 replicas, each pinned to its own core (taskset -a), vs 1 replica pinned to one core: turns/s
   straight to Rasa (through nginx's Rasa port) at a fixed concurrency for a fixed time.
Peak RSS of each process is sampled throughout. The machine is shared: the load average is reported with each run.
"""

from __future__ import annotations

import math
import os
import re
import subprocess
import tempfile
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import psutil
import redis

from bench.cluster_load import distinct_questions, run_load
from bench.report import write_section
from bot.launcher.cluster import Cluster, ClusterConfig
from bot.launcher.registry import startup_model
from tests.api.private_redis import PrivateRedis
from tests.conftest import free_port

SCALING_MD = Path(__file__).resolve().parents[1] / "docs" / "scaling.md"
PG_URL = os.environ.get("BENCH_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")
CONVERSATIONS, TURNS = 4, 12
RASA_CONCURRENCY, RASA_SECONDS = 6, 20.0


def tree(pid: int) -> list[psutil.Process]:
    try:
        root = psutil.Process(pid)
        return [root, *root.children(recursive=True)]
    except psutil.Error:
        return []


def cpu_seconds(pids: dict[str, int]) -> dict[str, float]:
    found = {}
    for name, pid in pids.items():
        total = 0.0
        for process in tree(pid):
            try:
                total += sum(process.cpu_times()[:2])
            except psutil.Error:
                pass
        found[name] = total
    return found


class RssPeaks(threading.Thread):
    """Peak RSS of each named process tree, sampled every 0.5 s."""

    def __init__(self, pids: dict[str, int]) -> None:
        super().__init__(daemon=True)
        self.pids = pids
        self.peaks: dict[str, int] = {name: 0 for name in pids}
        self.stop = threading.Event()

    def run(self) -> None:
        while not self.stop.wait(0.5):
            for name, pid in self.pids.items():
                rss = 0
                for process in tree(pid):
                    try:
                        rss += process.memory_info().rss
                    except psutil.Error:
                        pass
                self.peaks[name] = max(self.peaks[name], rss)


def commands(client: redis.Redis) -> int:
    return int(client.info("stats")["total_commands_processed"])


def chat_round(cluster: Cluster, client: redis.Redis, idle_per_second: float) -> dict[str, float]:
    """Turns through the front door: CPU per turn (all processes) and Redis commands per turn."""
    pids = {k: v for k, v in cluster.pids().items() if psutil.pid_exists(v)}
    before, redis_before, started = cpu_seconds(pids), commands(client), time.monotonic()
    made = run_load(cluster.url, CONVERSATIONS, TURNS, pause=0.0)
    seconds = time.monotonic() - started
    after, redis_after = cpu_seconds(pids), commands(client)
    turns = sum(len(c.answered) for c in made)
    by_tier: dict[str, float] = {}
    for name, value in after.items():
        tier = name.split("-")[0]
        by_tier[tier] = by_tier.get(tier, 0.0) + (value - before[name])
    raw = (redis_after - redis_before) / max(turns, 1)
    return {
        "turns": turns,
        "errors": sum(len(c.turns) for c in made) - turns,
        "seconds": seconds,
        "cpu_ms": sum(by_tier.values()) / max(turns, 1) * 1000,
        **{f"cpu_{tier}": ms / max(turns, 1) * 1000 for tier, ms in by_tier.items()},
        "redis_raw": raw,
        "redis_net": raw - idle_per_second * seconds / max(turns, 1),
        "load": os.getloadavg()[0],
    }


def idle_rate(client: redis.Redis, seconds: float = 10.0) -> float:
    start = commands(client)
    time.sleep(seconds)
    return (commands(client) - start) / seconds


def pin(pid: int, core: int) -> None:
    for process in tree(pid):
        subprocess.run(["taskset", "-a", "-p", "-c", str(core), str(process.pid)], check=True, capture_output=True)


def rasa_throughput(cluster: Cluster) -> tuple[float, int]:
    """Turns/s straight to Rasa (nginx's Rasa port) at RASA_CONCURRENCY for RASA_SECONDS; and the errors."""
    texts = distinct_questions()
    stop = time.monotonic() + RASA_SECONDS
    tag = uuid.uuid4().hex[:6]

    def worker(index: int) -> tuple[int, int]:
        done = errors = 0
        with httpx.Client(timeout=60) as http:
            while time.monotonic() < stop:
                body = {"sender": f"tp{tag}{index}-{done // 10}", "message": texts[(index * 7 + done) % len(texts)]}
                try:
                    ok = http.post(f"{cluster.rasa_lb}/webhooks/rest/webhook", json=body).status_code == 200
                except httpx.HTTPError:
                    ok = False
                done, errors = done + ok, errors + (not ok)
        return done, errors

    started = time.monotonic()
    with ThreadPoolExecutor(RASA_CONCURRENCY) as pool:
        results = list(pool.map(worker, range(RASA_CONCURRENCY)))
    elapsed = time.monotonic() - started
    return sum(r[0] for r in results) / elapsed, sum(r[1] for r in results)


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


def write_scaling(per_core: float, peaks: dict[str, int], cpu_two: dict[str, float]) -> None:
    """The sizing table of docs/scaling.md, from these measurements."""

    def replicas(peak: float) -> int:
        return max(2, math.ceil(peak / (per_core * 0.7)))  # 30% headroom per core, never fewer than 2

    rows = "\n".join(f"| {peak} | {replicas(peak)} | {max(2, math.ceil(replicas(peak) / 3))} | "
                     f"{max(2, math.ceil(peak * cpu_two.get('cpu_actions', 3) / 1000 / 0.7))} |"
                     for peak in (10, 50, 100, 300, 1000))  # fmt: skip
    mib = {
        tier: max(v for k, v in peaks.items() if k.startswith(tier)) / 2**20 for tier in ("gateway", "rasa", "actions")
    }
    body = (
        f"Measured: one Rasa replica pinned to one core answers **{per_core:.1f} turns/s**; peak RSS gateway "
        f"{mib['gateway']:.0f} MiB, Rasa {mib['rasa']:.0f} MiB, action server {mib['actions']:.0f} MiB "
        f'(docs/benchmarks.md, "cluster"). Rasa replicas = ⌈peak ÷ ({per_core:.1f} × 0.7)⌉ (one core each, 30% '
        "headroom); gateways from their CPU per turn (about a third of Rasa's); never fewer than 2 of anything.\n\n"
        "| peak turns/s | Rasa pods (1 core) | gateway pods | action pods |\n|---|---|---|---|\n" + rows
    )
    text = SCALING_MD.read_text()
    pattern = re.compile(r"<!-- sizing -->.*?<!-- /sizing -->", re.S)
    SCALING_MD.write_text(pattern.sub(lambda _m: f"<!-- sizing -->\n{body}\n<!-- /sizing -->", text))


def main() -> None:
    from sqlalchemy import text

    from bot.storage.db import make_engine

    private = PrivateRedis(free_port())
    private.start()
    schema = "b_" + uuid.uuid4().hex[:10]
    admin = make_engine(PG_URL)
    with admin.begin() as connection:
        connection.execute(text(f"CREATE SCHEMA {schema}"))
    database_url = f"{PG_URL}?options=-csearch_path%3D{schema}"
    workdir = Path(tempfile.mkdtemp(prefix="accessline-cluster-bench-"))
    ports = {tier: [free_port(), free_port()] for tier in ("gateway", "rasa", "actions")}
    env = {"CHAT_RATE_PER_ADDRESS": "0", "CHAT_RATE_PER_SENDER": "0", "LOG_LEVEL": "WARNING"}
    config = ClusterConfig(model=startup_model(database_url), redis_url=private.url, database_url=database_url,
                           front_port=free_port(), runtime_dir=workdir, ports=ports, extra_env=env)  # fmt: skip
    cluster = Cluster(config)
    client = redis.Redis.from_url(private.url)
    try:
        cluster.start(timeout=900)
        peaks = RssPeaks(cluster.pids())
        peaks.start()
        run_load(cluster.url, 2, 3, pause=0.0)  # warm every process once
        idle = idle_rate(client)
        others = other_load()
        two = chat_round(cluster, client, idle)
        pin(cluster.replicas[0].processes["rasa"].pid, 0)
        pin(cluster.replicas[1].processes["rasa"].pid, 1)
        load_two = os.getloadavg()[0]
        tp_two, err_two = rasa_throughput(cluster)
        for tier in ("gateway", "rasa", "actions"):  # one replica of each from here on
            cluster.replicas[1].stop_one(tier)
        time.sleep(2)
        one = chat_round(cluster, client, idle)
        load_one = os.getloadavg()[0]
        tp_one, err_one = rasa_throughput(cluster)
        peaks.stop.set()
    finally:
        cluster.stop()
        private.destroy()
        with admin.begin() as connection:
            connection.execute(text(f"DROP SCHEMA {schema} CASCADE"))
        admin.dispose()

    def row(name: str, r: dict[str, float]) -> str:
        tiers = " / ".join(f"{r.get('cpu_' + tier, 0):.1f}" for tier in ("gateway", "rasa", "actions", "nginx"))
        return (f"| {name} | {r['turns']:.0f} ({r['errors']:.0f} failed) | {r['cpu_ms']:.1f} | {tiers} | "
                f"{r['redis_raw']:.1f} | {r['redis_net']:.1f} | {r['load']:.1f} |")  # fmt: skip

    ratio = two["cpu_ms"] / one["cpu_ms"] if one["cpu_ms"] else float("nan")
    tp_ratio = tp_two / tp_one if tp_one else float("nan")
    mib = ", ".join(f"{name} {value / 2**20:.0f}" for name, value in sorted(peaks.peaks.items()))
    body = f"""## Cluster: the cost of scaling out (`python -m bench.cluster_bench`)

nginx in front of gateways, Rasa servers and action servers (bot/launcher/cluster.py), one private Redis, PostgreSQL.
{CONVERSATIONS} residents × {TURNS} distinct FAQ turns through nginx per round; CPU (user+system) of every process,
nginx included. Redis commands: all commands the cluster sent during the round ÷ answered turns ("raw"), and the same
less what the idle cluster sends in as long ({idle:.1f} commands/s: each gateway's blocking stream reads and each Rasa
watcher's poll) ("net").

| replicas | turns | CPU ms/turn, all | gateway / Rasa / actions / nginx ms | Redis cmds/turn raw | net | load |
|---|---|---|---|---|---|---|
{row("2", two)}
{row("1", one)}

CPU per turn with 2 replicas ÷ with 1: **{ratio:.2f}**.

Rasa throughput, straight to Rasa through nginx ({RASA_CONCURRENCY} concurrent conversations, {RASA_SECONDS:.0f} s,
each Rasa server pinned with `taskset -a` to its own core; gateways, action servers and nginx unpinned):
2 replicas (cores 0 and 1) **{tp_two:.1f} turns/s** ({err_two} errors, load {load_two:.1f}); 1 replica (core 0)
**{tp_one:.1f} turns/s** ({err_one} errors, load {load_one:.1f}); ratio **{tp_ratio:.2f}**.

Peak RSS (MiB): {mib}.

What else the machine was doing when the runs started (2 cores shared with other sessions): {others}.
"""
    print(body)
    write_section("cluster", body)
    write_scaling(tp_one, peaks.peaks, two)


if __name__ == "__main__":
    main()
