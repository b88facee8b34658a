"""The gateway's own cost per chat turn, with Rasa replaced by a stand-in that answers at once
(bench/stub_rasa.py): CPU per turn (user + system of the gateway process, from /proc via psutil), Redis round trips
and Rasa requests per turn (the gateway's own counters, GET /metrics), at 1 and 10 conversations; and, with
`--profile`, where the CPU goes (py-spy samples of the gateway, summed by function, inclusive).

The gateway runs as in production (uvicorn, one worker, Redis when reachable, SQLite in a temp dir), with the
per-address and per-conversation limits on (high enough not to refuse the load) so their cost is counted. The texts
are the FAQ fact-check questions (the danger rules and normalisation see real sentences); the conversations take
`TURNS_PER_CONVERSATION` turns each, presenting their conversation key like the web chat.

CPU time per turn on this shared virtual machine moves by up to ±30% between back-to-back runs (the host's other
guests are invisible from here), so `--repeat N` measures the levels N times, interleaved, on the same gateway, and
the report gives the median with the range.

Run: `python -m bench.gateway_cpu [--turns 400] [--levels 1,10] [--repeat 5] [--profile]`; `make bench` writes its
section of docs/benchmarks.md (`--write`). Nothing here is a test: no figure is asserted anywhere.
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import itertools
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

import httpx
import psutil

from bench.report import write_section
from bench.stack import BENCH_REDIS_URL, _free_port, _redis_url, load_average, other_load
from bot.launcher.stack import PROJECT_ROOT, Stack, StackConfig
from tests.knowledge import fact_cases

KEY_HEADER = "X-Conversation-Key"
TURNS_PER_CONVERSATION = 10
PROFILED = 10  # conversations at once while py-spy samples
METRICS = ("accessline_chat_turns_total", "accessline_rasa_requests_total", "accessline_redis_round_trips_total")


@dataclass
class Level:
    concurrency: int
    turns: int
    errors: int
    cpu_ms: float  # gateway CPU per turn
    redis: float  # Redis round trips per turn
    rasa: float  # Rasa requests per turn (the gateway's count)
    stub: float  # turn requests the stand-in received per turn
    seconds: float


def texts() -> list[str]:
    return [case["question"] for case in fact_cases()] + ["你好", "谢谢", "今天天气怎么样"]


def process_cpu(pid: int) -> float:
    process = psutil.Process(pid)
    return sum(sum(p.cpu_times()[:2]) for p in [process, *process.children(recursive=True)])


async def counters(client: httpx.AsyncClient, url: str, stub_url: str) -> dict[str, float]:
    text = (await client.get(f"{url}/metrics")).text
    found = {name: float(m.group(1)) for name in METRICS if (m := re.search(rf"^{name} ([\d.e+]+)$", text, re.M))}
    found["stub"] = float((await client.get(f"{stub_url}/count")).json()["turns"])
    return found


async def load(url: str, concurrency: int, total: int, tag: str, questions: list[str]) -> tuple[int, int]:
    """`total` turns from `concurrency` conversations at once; (turns answered, errors)."""
    counter = itertools.count()
    cycle = itertools.cycle(questions)
    keys: dict[str, str] = {}
    answered = errors = 0
    async with httpx.AsyncClient(timeout=30, limits=httpx.Limits(max_connections=concurrency + 2)) as client:

        async def worker(number: int) -> None:
            nonlocal answered, errors
            while (turn := next(counter)) < total:
                sender = f"{tag}-{number}-{turn // (TURNS_PER_CONVERSATION * concurrency)}"
                headers = {KEY_HEADER: keys[sender]} if sender in keys else {}
                response = await client.post(url, json={"sender_id": sender, "text": next(cycle)}, headers=headers)
                if KEY_HEADER in response.headers:
                    keys[sender] = response.headers[KEY_HEADER]
                if response.status_code == 200 and response.json().get("messages"):
                    answered += 1
                else:
                    errors += 1

        await asyncio.gather(*(worker(n) for n in range(concurrency)))
    return answered, errors


async def measure_level(url: str, stub_url: str, pid: int, concurrency: int, turns: int) -> Level:
    questions = texts()
    tag = f"c{concurrency}{uuid.uuid4().hex[:6]}"
    await load(f"{url}/api/chat", concurrency, 4 * concurrency, f"w{tag}", questions)  # warm-up
    async with httpx.AsyncClient(timeout=30) as client:
        before = await counters(client, url, stub_url)
        cpu, started = process_cpu(pid), time.perf_counter()
        answered, errors = await load(f"{url}/api/chat", concurrency, turns, tag, questions)
        cpu, seconds = process_cpu(pid) - cpu, time.perf_counter() - started
        after = await counters(client, url, stub_url)
    done = max(answered + errors, 1)
    per = {name: (after.get(name, 0.0) - before.get(name, 0.0)) / done for name in after}
    return Level(
        concurrency, answered, errors, cpu / done * 1000, per.get(METRICS[2], float("nan")),
        per.get(METRICS[1], float("nan")), per["stub"], seconds,
    )  # fmt: skip


def py_spy() -> str | None:
    return shutil.which("py-spy") or next(
        (str(p) for p in (Path(sys.executable).parent / "py-spy", Path("/tmp/pyspy/bin/py-spy")) if p.exists()), None
    )


PLUMBING = re.compile(
    r"\((threading|runpy|concurrent/futures/thread|asyncio/(base_events|events|runners)|click/|"
    r"uvicorn/(main|server|_compat|__main__))"
)  # frames under everything: not worth a line


NOISE = re.compile(r"(?<= \().*/(site-packages|lib/python3\.\d+|wt-[^/]+|main)/|:\d+(?=\)$)")  # paths, lines


def summarise(raw: Path, top: int = 400) -> list[tuple[float, str]]:
    """py-spy's raw (collapsed) stacks → share of samples per function, inclusive, each function once per stack."""
    inclusive: collections.Counter[str] = collections.Counter()
    total = 0
    for line in raw.read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        if not count.isdigit():
            continue
        total += int(count)
        frames = {NOISE.sub("", f) for f in stack.split(";")}
        for frame in frames - {f for f in frames if PLUMBING.search(f)}:
            inclusive[frame] += int(count)
    return [(count / max(total, 1), frame) for frame, count in inclusive.most_common(top)]


def start(workdir: Path) -> tuple[Stack, subprocess.Popen, str, str]:
    stub_port = _free_port()
    stub = subprocess.Popen(
        [sys.executable, "-m", "bench.stub_rasa", str(stub_port)], cwd=PROJECT_ROOT,
        env=dict(os.environ, PYTHONPATH=str(PROJECT_ROOT)),
    )  # fmt: skip
    stub_url = f"http://127.0.0.1:{stub_port}"
    prefix = "albench" + uuid.uuid4().hex[:8]
    stack = Stack(
        StackConfig(
            model=Path("stub"), port=_free_port(), rasa_port=stub_port, actions_port=stub_port,
            redis_url=_redis_url(), redis_key_prefix=prefix, database_url=f"sqlite:///{workdir / 'bench.db'}",
            runtime_dir=workdir, log_dir=workdir / "logs", rasa_url=stub_url, actions_url=stub_url,
            extra_env={"CHAT_RATE_PER_ADDRESS": "1000000", "CHAT_RATE_PER_SENDER": "1000000"},
        )
    )  # fmt: skip
    stack.start_gateway()
    stack.wait_ready(120)
    return stack, stub, stub_url, prefix


def stop(stack: Stack, stub: subprocess.Popen, prefix: str) -> None:
    stack.stop()
    stub.terminate()
    stub.wait(10)
    if stack.config.redis_url:
        import redis

        client = redis.Redis.from_url(stack.config.redis_url)
        for key in client.scan_iter(f"{prefix}:*"):
            client.delete(key)


async def run(
    levels: list[int], turns: int, profile: bool, repeat: int = 1
) -> tuple[list[Level], list[tuple[float, str]], str]:
    workdir = Path(tempfile.mkdtemp(prefix="accessline-gwcpu-"))
    stack, stub, stub_url, prefix = start(workdir)
    pid = stack.processes["gateway"].pid
    results: list[Level] = []
    shares: list[tuple[float, str]] = []
    try:
        for _ in range(repeat):  # rounds interleaved, so a slow spell of the host touches every level alike
            for concurrency in levels:
                results.append(await measure_level(stack.url, stub_url, pid, concurrency, turns))
                print(results[-1], flush=True)
        if profile and (spy := py_spy()):
            raw = workdir / "gateway.raw"
            sampler = subprocess.Popen([spy, "record", "--pid", str(pid), "--rate", "500", "--gil", "--format", "raw",
                                        "--output", str(raw), "--nonblocking"], stdout=subprocess.DEVNULL,
                                       stderr=subprocess.DEVNULL)  # fmt: skip
            await asyncio.sleep(1.0)
            await measure_level(stack.url, stub_url, pid, PROFILED, turns)
            sampler.send_signal(2)
            sampler.wait(30)
            shares = summarise(raw) if raw.exists() else []
        elif profile:
            print("py-spy not found (pip install py-spy): no profile", flush=True)
    finally:
        stop(stack, stub, prefix)
    return results, shares, "Redis" if stack.config.redis_url else "no Redis"


SHOWN = re.compile(
    r"\((bot/(services|dialogue|rules|storage|insights|escalation|text|core)/|"
    r"httpx/_transports/default|redis/asyncio/client\.py|asyncio/threads|sqlalchemy/engine/base|"
    r"uvicorn/protocols/http/\w+\.py|starlette/responses)"
)  # below the route: where the work is


def profile_lines(shares: list[tuple[float, str]]) -> str:
    """Where the gateway's CPU went (py-spy, threads holding the GIL), the project's functions and the libraries'
    entry points only, inclusive (a function's share contains its callees')."""
    kept = [(share, frame) for share, frame in shares if SHOWN.search(frame) and "run_asgi" not in frame][:20]
    if not kept:
        return "Not profiled this run (`--profile` with py-spy installed: `pip install py-spy`).\n"
    rows = "\n".join(f"| {share * 100:.0f}% | `{frame}` |" for share, frame in kept)
    return (f"Where the CPU goes at {PROFILED} conversations (py-spy samples of the gateway's threads holding the GIL; "
            "inclusive, so nested functions overlap):\n\n| share | function |\n|---|---|\n" + rows + "\n")  # fmt: skip


def level_row(rounds: list[Level]) -> str:
    """One level's row: the median round (by CPU per turn), and the range over the rounds when there are several."""
    ordered = sorted(rounds, key=lambda r: r.cpu_ms)
    mid = ordered[len(ordered) // 2]
    turns, errors = sum(r.turns for r in rounds), sum(r.errors for r in rounds)
    spread = f" ({ordered[0].cpu_ms:.2f}–{ordered[-1].cpu_ms:.2f}, {len(rounds)} runs)" if len(rounds) > 1 else ""
    return (f"| {mid.concurrency} | {turns} ({errors} errors) | **{mid.cpu_ms:.2f} ms**{spread} | {mid.redis:.2f} "
            f"| {mid.rasa:.2f} | {mid.stub:.2f} | {mid.turns / mid.seconds:.0f} |")  # fmt: skip


def report(results: list[Level], backend: str, loads: list[str], busy: str, shares: list) -> str:
    by_level: dict[int, list[Level]] = collections.defaultdict(list)
    for result in results:
        by_level[result.concurrency].append(result)
    rows = "\n".join(level_row(rounds) for rounds in by_level.values())
    return (
        "## Gateway cost per chat turn (`bench/gateway_cpu.py`)\n\n"
        "The gateway alone, Rasa and the action server replaced by a stand-in that answers every turn at once with "
        "a two-message FAQ reply (`bench/stub_rasa.py`), so nothing but the gateway's own work is metered: uvicorn, "
        f"one worker; {backend} (`{BENCH_REDIS_URL.split('@')[-1]}`), SQLite; rate limits on; the FAQ fact-check "
        f"questions as texts, {TURNS_PER_CONVERSATION} turns per conversation with their conversation key. CPU = "
        "user + system of the gateway process over the measured turns (its background tasks included); round "
        "trips and Rasa requests from the gateway's counters (GET /metrics), checked against the stand-in's count.\n\n"
        f"**Machine load**: 1-min load average before and after each level: {' → '.join(loads)}; busiest other "
        f"processes at the start: {busy}. CPU time is little affected by other load (latency is: not reported).\n\n"
        "| conversations | turns | gateway CPU per turn (median, range) | Redis round trips per turn "
        "| Rasa requests per turn (gateway's count) | turns Rasa received per turn | turns/s |\n"
        "|---|---|---|---|---|---|---|\n"
        f"{rows}\n\nTarget (issue 16): gateway CPU ≤ 5 ms per chat turn; one Rasa request per turn.\n\n"
        + profile_lines(shares)
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--turns", type=int, default=400)
    parser.add_argument("--levels", default="1,10")
    parser.add_argument("--repeat", type=int, default=1, help="measure the levels this many times (median, range)")
    parser.add_argument("--profile", action="store_true", help="sample the gateway with py-spy and print the top")
    parser.add_argument("--write", action="store_true", help="write the section of docs/benchmarks.md")
    args = parser.parse_args()
    busy, loads = other_load(), [load_average()]
    results, shares, backend = asyncio.run(
        run([int(c) for c in args.levels.split(",")], args.turns, args.profile, max(1, args.repeat))
    )
    loads.append(load_average())
    for share, frame in shares[:40]:
        print(f"{share * 100:5.1f}%  {frame}")
    section = report(results, backend, loads, busy, shares)
    print(section)
    if args.write:
        print(f"written to {write_section('gateway-cpu', section)}")


if __name__ == "__main__":
    main()
