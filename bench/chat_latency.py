"""Latency and throughput of POST /api/chat versus Rasa's own REST webhook and the turn webhook the gateway calls
(one Rasa request per turn: messages plus how the message was understood), at 1, 10 and 50 conversations.

Run with `make bench`. Writes its section of docs/benchmarks.md.
"""

from __future__ import annotations

import asyncio
import itertools
import os
import re
import statistics
import time
from dataclasses import dataclass
from pathlib import Path

import httpx

from bench.report import BENCHMARKS_MD, write_section
from bench.stack import CpuMeter, PeakRss, cleanup, load_average, start_stack

try:
    from bot.dialogue.client import TURN_WEBHOOK
except ImportError:  # a checkout from before the turn channel (a "before" run of this bench)
    TURN_WEBHOOK = ""
from bot.launcher.stack import rasa_workers
from tests.knowledge import fact_cases

KEY_HEADER = "X-Conversation-Key"
CONCURRENCY = tuple(int(c) for c in os.environ.get("BENCH_LEVELS", "1,10,50").split(","))
REQUESTS = {1: 100, 10: 300, 50: 500}
TURNS_PER_CONVERSATION = 10


@dataclass
class Result:
    latencies: list[float]
    errors: int
    seconds: float

    def pct(self, q: float) -> float:
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000 if ordered else float("nan")

    @property
    def throughput(self) -> float:
        return len(self.latencies) / self.seconds if self.seconds else 0.0


def questions() -> list[str]:
    return [case["question"] for case in fact_cases()] + ["你好", "谢谢", "今天天气怎么样"]


async def run_load(url: str, body_for, concurrency: int, total: int, tag: str) -> Result:
    texts = itertools.cycle(questions())
    latencies: list[float] = []
    errors = 0
    counter = itertools.count()
    limits = httpx.Limits(max_connections=concurrency + 5)
    keys: dict[str, str] = {}  # conversation keys the gateway issued (X-Conversation-Key), sent back like the web chat

    async with httpx.AsyncClient(timeout=60, limits=limits) as client:

        async def worker(worker_id: int) -> None:
            nonlocal errors
            turn = 0
            while next(counter) < total:
                sender = f"{tag}-{worker_id}-{turn // TURNS_PER_CONVERSATION}"
                started = time.perf_counter()
                try:
                    headers = {KEY_HEADER: keys[sender]} if sender in keys else {}
                    response = await client.post(url, json=body_for(sender, next(texts)), headers=headers)
                    if KEY_HEADER in response.headers:
                        keys[sender] = response.headers[KEY_HEADER]
                    ok = response.status_code == 200 and bool(response.json())
                except httpx.HTTPError:
                    ok = False
                if ok:
                    latencies.append(time.perf_counter() - started)
                else:
                    errors += 1
                turn += 1

        started = time.perf_counter()
        await asyncio.gather(*(worker(i) for i in range(concurrency)))
        return Result(latencies, errors, time.perf_counter() - started)


def gateway_body(sender: str, text: str) -> dict:
    return {"sender_id": sender, "text": text}


def rasa_body(sender: str, text: str) -> dict:
    return {"sender": sender, "message": text}


def previous_figures() -> str:
    """The ratio and CPU rows of the run before this one (kept so that a change shows its before/after)."""
    old = BENCHMARKS_MD.read_text() if BENCHMARKS_MD.exists() else ""
    found = re.search(r"<!-- chat-latency -->(.*?)<!-- /chat-latency -->", old, re.S)
    if not found:
        return ""
    body = found.group(1)
    kept = [line for line in body.splitlines() if "gateway p50 /" in line and "previous" not in line]
    kept += [line for line in body.splitlines() if re.match(r"\| \d+ \| .*gateway [\d.]+ ms", line)]
    stamp = re.search(r"_Measured (\d{4}-\d\d-\d\d \d\d:\d\d UTC)", body)
    when = f" (measured {stamp.group(1)})" if stamp else ""
    return f"Previous run{when}, for comparison:\n\n" + "\n".join(f"- previous: `{line}`" for line in kept) + "\n"


ROUNDS = 5  # Rasa and the gateway are measured in alternating slices, so a busy machine weighs on both alike


def merged(parts: list[Result]) -> Result:
    return Result([x for p in parts for x in p.latencies], sum(p.errors for p in parts), sum(p.seconds for p in parts))


async def interleaved(
    stack, gateway_url: str, rasa_url: str, turn_url: str, concurrency: int
) -> tuple[Result, Result, Result, str]:
    """ROUNDS alternating slices of Rasa REST, Rasa turn webhook and gateway load; the gateway's CPU is metered
    only while the gateway is loaded (per gateway turn, every process of the stack)."""
    share = REQUESTS[concurrency] // ROUNDS
    rasa, turn, gateway, seconds = [], [], [], {}
    for slice_no in range(ROUNDS):
        tag = f"{concurrency}s{slice_no}"
        rasa.append(await run_load(rasa_url, rasa_body, concurrency, share, f"r{tag}"))
        if TURN_WEBHOOK:
            turn.append(await run_load(turn_url, rasa_body, concurrency, share, f"t{tag}"))
        with CpuMeter(stack) as cpu:
            gateway.append(await run_load(gateway_url, gateway_body, concurrency, share, f"g{tag}"))
        for name, used in cpu.seconds.items():
            seconds[name] = seconds.get(name, 0.0) + used
    done = merged(gateway)
    per_turn = ", ".join(f"{n} {s / max(len(done.latencies), 1) * 1000:.1f}" for n, s in seconds.items()) + " ms"
    return merged(rasa), merged(turn or rasa), done, per_turn


async def measure() -> str:
    previous = previous_figures()
    chosen = os.environ.get("BENCH_MODEL")  # e.g. the model of a "before" run, for a like-for-like comparison
    stack, prefix = start_stack(model=Path(chosen)) if chosen else start_stack()
    gateway_url = f"{stack.url}/api/chat"
    rasa_url = f"http://127.0.0.1:{stack.config.rasa_port}/webhooks/rest/webhook"
    turn_url = f"http://127.0.0.1:{stack.config.rasa_port}{TURN_WEBHOOK}"  # what the gateway calls: one per turn
    rows: list[str] = []
    cpu_rows: list[str] = []
    loads = [load_average()]
    try:
        with PeakRss(stack) as memory:
            await run_load(gateway_url, gateway_body, 5, 40, "warm")  # load models, fill caches
            for concurrency in CONCURRENCY:
                rasa, turn, gateway, cpu = await interleaved(stack, gateway_url, rasa_url, turn_url, concurrency)
                cpu_rows.append(f"| {concurrency} | {cpu} |")
                loads.append(load_average())
                named = [("Rasa REST webhook", rasa), ("Rasa turn webhook", turn), ("gateway /api/chat", gateway)]
                named = named if TURN_WEBHOOK else [named[0], named[2]]
                for name, result in named:
                    rows.append(
                        f"| {concurrency} | {name} | {len(result.latencies)} | {result.errors} | "
                        f"{result.pct(0.50):.0f} | {result.pct(0.95):.0f} | {result.pct(0.99):.0f} | "
                        f"{result.throughput:.1f} |"
                    )
                ratio = statistics.median(gateway.latencies) / statistics.median(rasa.latencies)
                rows.append(f"| {concurrency} | **gateway p50 / Rasa REST p50** | | | {ratio:.2f}× | | | |")
                if TURN_WEBHOOK:
                    own = statistics.median(gateway.latencies) / statistics.median(turn.latencies)
                    rows.append(f"| {concurrency} | **gateway p50 / Rasa turn p50** | | | {own:.2f}× | | | |")
                print(*rows[-5:], sep="\n", flush=True)
    finally:
        cleanup(stack, prefix)
    backend = "Redis tracker + lock store" if stack.config.redis_url else "in-memory tracker store"
    workers = rasa_workers(stack.config)
    memory_rows = "\n".join(f"| {name} | {peak / 2**20:.0f} MiB |" for name, peak in memory.peaks.items())
    return (
        "## Chat latency (`bench/chat_latency.py`)\n\n"
        f"Same questions (every FAQ fact-check question, plus small talk) sent to the gateway and straight to "
        f"Rasa's REST webhook (and to the turn webhook the gateway calls), in {ROUNDS} alternating slices each; "
        f"{TURNS_PER_CONVERSATION} turns per conversation; {backend}; "
        f"model `{stack.config.model.name}`; "
        f"one uvicorn worker, {workers} Rasa Sanic worker(s) (RASA_WORKERS), Rasa started with "
        "`bot.launcher.rasa_speedups`; TF threads = 1. Latencies in ms. "
        f"Load average (1 min; 2 cores shared with other work) before and after each step: {' → '.join(loads)}.\n\n"
        "| concurrent | target | requests ok | errors | p50 | p95 | p99 | req/s |\n"
        "|---|---|---|---|---|---|---|---|\n" + "\n".join(rows) + "\n\n"
        "CPU time per gateway turn (user + system, process and its children; hardly affected by other load):\n\n"
        "| concurrent | CPU per turn |\n|---|---|\n" + "\n".join(cpu_rows) + "\n\n"
        "Peak resident memory (process and its children) during the run:\n\n"
        "| process | peak RSS |\n|---|---|\n" + memory_rows + "\n\n" + previous
    )


def main() -> None:
    section = asyncio.run(measure())
    print(f"written to {write_section('chat-latency', section)}")


if __name__ == "__main__":
    main()
