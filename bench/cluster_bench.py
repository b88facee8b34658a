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
from bench.stack import other_load
from bot.launcher.cluster import Cluster, ClusterConfig
from bot.launcher.registry import startup_model
from tests.api.private_redis import PrivateRedis
from tests.conftest import free_port, free_port_block

SCALING_MD = Path(__file__).resolve().parents[1] / "docs" / "scaling.md"
PG_URL = os.environ.get("BENCH_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")
CONVERSATIONS, TURNS = 4, 12
RASA_CONCURRENCY, RASA_SECONDS, RASA_ROUNDS = 6, 15.0, 2


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


def by_tier(before: dict[str, float], after: dict[str, float]) -> dict[str, float]:
    """CPU seconds per tier (gateway, rasa, actions, nginx) between two readings."""
    tiers: dict[str, float] = {}
    for name, value in after.items():
        tier = name.split("-")[0]
        tiers[tier] = tiers.get(tier, 0.0) + value - before.get(name, value)
    return tiers


def chat_round(cluster: Cluster, client: redis.Redis, idle: dict[str, float]) -> dict[str, float]:
    """Turns through the front door: CPU per turn (all processes; also less what the same processes use idle in as
    long) and Redis commands per turn (also less the idle rate)."""
    pids = {k: v for k, v in cluster.pids().items() if psutil.pid_exists(v)}
    before, redis_before, started = cpu_seconds(pids), commands(client), time.monotonic()
    made = run_load(cluster.url, CONVERSATIONS, TURNS, pause=0.0)
    seconds = time.monotonic() - started
    tiers, redis_after = by_tier(before, cpu_seconds(pids)), commands(client)
    turns = max(sum(len(c.answered) for c in made), 1)
    idle_cpu = sum(idle.get(name, 0.0) for name in pids) * seconds  # the idle CPU of the processes running now
    raw = (redis_after - redis_before) / turns
    return {
        "turns": turns,
        "errors": sum(len(c.turns) for c in made) - turns,
        "seconds": seconds,
        "cpu_ms": sum(tiers.values()) / turns * 1000,
        "cpu_net_ms": (sum(tiers.values()) - idle_cpu) / turns * 1000,
        **{f"cpu_{tier}": ms / turns * 1000 for tier, ms in tiers.items()},
        "redis_raw": raw,
        "redis_net": raw - idle["redis"] * seconds / turns,
        "load": os.getloadavg()[0],
    }


def idle_rates(cluster: Cluster, client: redis.Redis, seconds: float = 10.0) -> dict[str, float]:
    """What the idle cluster uses per second: CPU seconds of each process, and Redis commands ("redis")."""
    pids = cluster.pids()
    before, start = cpu_seconds(pids), commands(client)
    time.sleep(seconds)
    after = cpu_seconds(pids)
    rates = {name: (after[name] - before[name]) / seconds for name in pids}
    rates["redis"] = (commands(client) - start) / seconds
    return rates


def pin(pid: int, core: int) -> None:
    for process in tree(pid):
        subprocess.run(["taskset", "-a", "-p", "-c", str(core), str(process.pid)], check=True, capture_output=True)


def rasa_throughput(urls: list[str]) -> tuple[float, int]:
    """Turns/s straight to the given Rasa servers (the workers spread evenly over them) at RASA_CONCURRENCY for
    RASA_SECONDS; and the errors."""
    texts = distinct_questions()
    stop = time.monotonic() + RASA_SECONDS
    tag = uuid.uuid4().hex[:6]

    def worker(index: int) -> tuple[int, int]:
        done = errors = 0
        url = urls[index % len(urls)]
        with httpx.Client(timeout=60) as http:
            while time.monotonic() < stop:
                body = {"sender": f"tp{tag}{index}-{done // 10}", "message": texts[(index * 7 + done) % len(texts)]}
                try:
                    ok = http.post(f"{url}/webhooks/rest/webhook", json=body).status_code == 200
                except httpx.HTTPError:
                    ok = False
                done, errors = done + ok, errors + (not ok)
        return done, errors

    started = time.monotonic()
    with ThreadPoolExecutor(RASA_CONCURRENCY) as pool:
        results = list(pool.map(worker, range(RASA_CONCURRENCY)))
    elapsed = time.monotonic() - started
    return sum(r[0] for r in results) / elapsed, sum(r[1] for r in results)


def write_scaling(per_core: float, peaks: dict[str, int], cpu_two: dict[str, float]) -> None:
    """The sizing table of docs/scaling.md, from these measurements."""

    def replicas(peak: float) -> int:
        return max(2, math.ceil(peak / (per_core * 0.7)))  # 30% headroom per core, never fewer than 2

    def cores(peak: float, ms_per_turn: float) -> int:
        return max(2, math.ceil(peak * ms_per_turn / 1000 / 0.7))  # measured CPU per turn, 30% headroom

    gateway_ms, actions_ms = cpu_two.get("cpu_gateway", 12.0), cpu_two.get("cpu_actions", 3.0)
    rows = "\n".join(f"| {peak} | {replicas(peak)} | {cores(peak, gateway_ms)} | {cores(peak, actions_ms)} |"
                     for peak in (10, 50, 100, 300, 1000))  # fmt: skip
    mib = {
        tier: max(v for k, v in peaks.items() if k.startswith(tier)) / 2**20 for tier in ("gateway", "rasa", "actions")
    }
    body = (
        f"Measured: one Rasa replica pinned to one core answers **{per_core:.1f} turns/s** (on a core it shared with "
        f"other sessions: load average {os.getloadavg()[0]:.0f} on 2 cores; an idle core answers more, so this "
        "table errs on the safe side); peak RSS gateway "
        f"{mib['gateway']:.0f} MiB, Rasa {mib['rasa']:.0f} MiB, action server {mib['actions']:.0f} MiB "
        f'(docs/benchmarks.md, "cluster"). Rasa replicas = ⌈peak ÷ ({per_core:.1f} × 0.7)⌉ (one core each, 30% '
        f"headroom); gateway and action-server pods (one core each) from their measured CPU per turn with 2 replicas "
        f"({gateway_ms:.1f} and {actions_ms:.1f} ms, all replicas together), with the same headroom; never fewer than "
        "2 of anything.\n\n"
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
    model = Path(os.environ["BENCH_MODEL"]) if os.environ.get("BENCH_MODEL") else startup_model(database_url)
    config = ClusterConfig(model=model, redis_url=private.url, database_url=database_url,
                           front_port=free_port_block(3), runtime_dir=workdir, ports=ports, extra_env=env)  # fmt: skip
    cluster = Cluster(config)
    client = redis.Redis.from_url(private.url)
    try:
        cluster.start(timeout=900)
        peaks = RssPeaks(cluster.pids())
        peaks.start()
        run_load(cluster.url, 4, 6, pause=0.0)  # warm every process (first turns load jieba, caches)
        for stack in cluster.replicas:
            run_load(stack.url, 2, 3, pause=0.0)
        idle = idle_rates(cluster, client)
        others = other_load()
        chat_round(cluster, client, idle)  # every replica meets these texts once (per-answer caches)
        two = chat_round(cluster, client, idle)
        rasa_urls = [f"http://127.0.0.1:{stack.config.rasa_port}" for stack in cluster.replicas]
        for core, stack in enumerate(cluster.replicas[:2]):
            pin(stack.processes["rasa"].pid, core)
        throughput: dict[int, list[tuple[float, int, float]]] = {1: [], 2: []}
        for _round in range(RASA_ROUNDS):  # interleaved, so the machine's other load hits both alike
            for count in (1, 2):
                rate, errors = rasa_throughput(rasa_urls[:count])
                throughput[count].append((rate, errors, os.getloadavg()[0]))
        for tier in ("gateway", "rasa", "actions"):  # one replica of each from here on
            cluster.replicas[1].stop_one(tier)
        time.sleep(2)
        one = chat_round(cluster, client, idle)
        peaks.stop.set()
    finally:
        cluster.stop()
        private.destroy()
        with admin.begin() as connection:
            connection.execute(text(f"DROP SCHEMA {schema} CASCADE"))
        admin.dispose()

    def row(name: str, r: dict[str, float]) -> str:
        tiers = " / ".join(f"{r.get('cpu_' + tier, 0):.1f}" for tier in ("gateway", "rasa", "actions", "nginx"))
        return (f"| {name} | {r['turns']:.0f} ({r['errors']:.0f} failed) | {r['cpu_ms']:.1f} | {r['cpu_net_ms']:.1f} "
                f"| {tiers} | {r['redis_raw']:.1f} | {r['redis_net']:.1f} | {r['load']:.1f} |")  # fmt: skip

    def rates(count: int) -> str:
        return ", ".join(f"{rate:.1f} (load {load:.1f}, {errors} errors)" for rate, errors, load in throughput[count])

    tp_one = sum(r for r, _e, _l in throughput[1]) / len(throughput[1])
    tp_two = sum(r for r, _e, _l in throughput[2]) / len(throughput[2])
    ratio, net_ratio = two["cpu_ms"] / one["cpu_ms"], two["cpu_net_ms"] / one["cpu_net_ms"]
    mib = ", ".join(f"{name} {value / 2**20:.0f}" for name, value in sorted(peaks.peaks.items()))
    idle_ms = sum(v for k, v in idle.items() if k != "redis") * 1000
    body = f"""## Cluster: the cost of scaling out (`python -m bench.cluster_bench`)

nginx in front of 2 gateways, 2 Rasa servers and 2 action servers (bot/launcher/cluster.py), one private Redis,
PostgreSQL; then the same with replica 2 of each stopped. {CONVERSATIONS} residents × {TURNS} distinct FAQ turns through
nginx per round (the same texts as a first, unreported round, so every replica has met them).
CPU = user + system of every process, nginx included; "net" subtracts
what the same processes use idle in as long (measured over 10 s: {idle_ms:.0f} ms of CPU per second for the whole
2-replica cluster — each gateway's blocking stream reads and housekeeping, each Rasa's model watcher). Redis = every
command the cluster sent during the round ÷ answered turns; "net" subtracts the idle rate ({idle["redis"]:.1f}/s).

| replicas | turns | CPU ms/turn | net | gateway / Rasa / actions / nginx ms | Redis cmds/turn | net | load |
|---|---|---|---|---|---|---|---|
{row("2 of each", two)}
{row("1 of each", one)}

CPU per turn, 2 replicas ÷ 1: **{ratio:.2f}** (net of idle: **{net_ratio:.2f}**).

Rasa throughput straight to the Rasa servers (each pinned with `taskset -a` to its own core: replica 1 to core 0,
replica 2 to core 1; {RASA_CONCURRENCY} concurrent conversations spread over the servers, {RASA_SECONDS:.0f} s per
round, rounds interleaved; action servers, gateways idle): 1 replica: {rates(1)} turns/s; 2 replicas: {rates(2)}
turns/s. Mean **{tp_one:.1f} → {tp_two:.1f} turns/s, ratio {tp_two / tp_one:.2f}**.

Peak RSS (MiB): {mib}.

What else the machine was doing when the runs started (2 cores shared with other sessions): {others}.
"""
    print(body)
    write_section("cluster", body)
    write_scaling(tp_one, peaks.peaks, two)


if __name__ == "__main__":
    main()
