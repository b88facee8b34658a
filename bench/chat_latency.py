"""Latency and throughput of POST /api/chat versus Rasa's own REST webhook and the turn webhook the gateway calls
(one Rasa request per turn: messages plus how the message was understood), at 1, 10 and 50 conversations, and the
gateway's own CPU per turn (user + system of its process, from /proc via psutil).

Only questions that stay with the bot count: the questions are those the bot answers itself on a first turn, and a
gateway turn that is handed over to a person anyway (a ticket, or a conversation already with an operator) is left
out of the latencies and counted; its conversation ends there and the resident starts a new one.

Run with `make bench`. Writes its section of docs/benchmarks.md.
"""

from __future__ import annotations

import asyncio
import itertools
import os
import re
import statistics
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import psutil

from bench.report import BENCHMARKS_MD, write_section
from bench.stack import CpuMeter, PeakRss, cleanup, load_average, other_load, start_stack

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
    handed_over: int = 0  # gateway turns answered with a hand-over: not in the latencies
    # One conversation at a time only: the gateway's CPU seconds of each bot turn / each handed-over turn
    bot_cpu: list[float] = field(default_factory=list)
    handed_cpu: list[float] = field(default_factory=list)

    def pct(self, q: float) -> float:
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000 if ordered else float("nan")

    @property
    def throughput(self) -> float:
        return len(self.latencies) / self.seconds if self.seconds else 0.0


def questions() -> list[str]:
    return [case["question"] for case in fact_cases()] + ["你好", "谢谢", "今天天气怎么样"]


def handed_over(reply: dict) -> bool:
    """A gateway reply that went to (or came from) a person rather than the bot alone."""
    return bool(reply.get("handoff")) or any(m.get("from_person") for m in reply.get("messages") or [])


def process_cpu(pid: int | None) -> float:
    """User + system CPU seconds of one process so far (0 without a pid)."""
    if pid is None:
        return 0.0
    times = psutil.Process(pid).cpu_times()
    return times.user + times.system


async def run_load(
    url: str, body_for, concurrency: int, total: int, tag: str, texts_list: list[str], cpu_pid: int | None = None
) -> Result:
    """`cpu_pid` (with one conversation at a time): meter that process's CPU around each turn."""
    texts = itertools.cycle(texts_list)
    latencies: list[float] = []
    errors = 0
    handed = 0
    bot_cpu: list[float] = []
    handed_cpu: list[float] = []
    cpu_pid = cpu_pid if concurrency == 1 else None
    counter = itertools.count()
    limits = httpx.Limits(max_connections=concurrency + 5)
    keys: dict[str, str] = {}  # conversation keys the gateway issued (X-Conversation-Key), sent back like the web chat

    async with httpx.AsyncClient(timeout=60, limits=limits) as client:

        async def worker(worker_id: int) -> None:
            nonlocal errors, handed
            turn, conversation = 0, 0
            while next(counter) < total:
                if turn == TURNS_PER_CONVERSATION:
                    turn, conversation = 0, conversation + 1
                sender = f"{tag}-{worker_id}-{conversation}"
                started, cpu_before = time.perf_counter(), process_cpu(cpu_pid)
                try:
                    headers = {KEY_HEADER: keys[sender]} if sender in keys else {}
                    response = await client.post(url, json=body_for(sender, next(texts)), headers=headers)
                    if KEY_HEADER in response.headers:
                        keys[sender] = response.headers[KEY_HEADER]
                    reply = response.json() if response.status_code == 200 else None
                    ok = bool(reply)
                except (httpx.HTTPError, ValueError):
                    ok, reply = False, None
                elapsed, cpu_used = time.perf_counter() - started, process_cpu(cpu_pid) - cpu_before
                turn += 1
                if not ok:
                    errors += 1
                elif isinstance(reply, dict) and handed_over(reply):
                    handed += 1
                    handed_cpu.extend([cpu_used] if cpu_pid is not None else [])
                    turn = TURNS_PER_CONVERSATION  # a person has the conversation now: start a new one
                else:
                    latencies.append(elapsed)
                    bot_cpu.extend([cpu_used] if cpu_pid is not None else [])

        started = time.perf_counter()
        await asyncio.gather(*(worker(i) for i in range(concurrency)))
        return Result(latencies, errors, time.perf_counter() - started, handed, bot_cpu, handed_cpu)


async def bot_questions(url: str) -> tuple[list[str], int]:
    """The questions the bot answers itself on a fresh conversation's first turn (no hand-over), through the
    gateway; also the warm-up (models, caches, the insights recorder's word lists)."""
    kept, asked = [], questions()
    async with httpx.AsyncClient(timeout=60) as client:
        for number, text in enumerate(asked):
            response = await client.post(url, json=gateway_body(f"pick-{number}", text))
            reply = response.json() if response.status_code == 200 else {}
            if reply.get("messages") and not handed_over(reply):
                kept.append(text)
    return kept, len(asked)


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
    kept += [line for line in body.splitlines()
             if re.match(r"\| \d+ \| (.*gateway [\d.]+ ms|\d+ / \d+ \|)", line)]  # fmt: skip
    stamp = re.search(r"_Measured (\d{4}-\d\d-\d\d \d\d:\d\d UTC)", body)
    when = f" (measured {stamp.group(1)})" if stamp else ""
    return f"Previous run{when}, for comparison:\n\n" + "\n".join(f"- previous: `{line}`" for line in kept) + "\n"


ROUNDS = 5  # Rasa and the gateway are measured in alternating slices, so a busy machine weighs on both alike


def merged(parts: list[Result]) -> Result:
    return Result([x for p in parts for x in p.latencies], sum(p.errors for p in parts),
                  sum(p.seconds for p in parts), sum(p.handed_over for p in parts),
                  [x for p in parts for x in p.bot_cpu], [x for p in parts for x in p.handed_cpu])  # fmt: skip


COUNTS: dict[int, dict[str, float]] = {}  # concurrency → Redis round trips / Rasa requests over its gateway slices
COUNTERS = {"redis": "accessline_redis_round_trips_total", "rasa": "accessline_rasa_requests_total"}


async def gateway_counters(url: str) -> dict[str, float]:
    """The gateway's own counts (GET /metrics from loopback): Redis round trips and Rasa requests so far."""
    async with httpx.AsyncClient(timeout=30) as client:
        text = (await client.get(f"{url}/metrics")).text
    found = {name: re.search(rf"^{metric} ([\d.e+]+)$", text, re.M) for name, metric in COUNTERS.items()}
    return {name: float(match.group(1)) for name, match in found.items() if match}


async def interleaved(
    stack, urls: tuple[str, str, str], concurrency: int, texts: list[str]
) -> tuple[Result, Result, Result, dict[str, float]]:
    """ROUNDS alternating slices of Rasa REST, Rasa turn webhook and gateway load; CPU is metered only while the
    gateway is loaded (seconds per process tree of the stack, summed over the gateway slices)."""
    gateway_url, rasa_url, turn_url = urls
    share = REQUESTS[concurrency] // ROUNDS
    rasa, turn, gateway, seconds = [], [], [], {}
    counts = COUNTS.setdefault(concurrency, {})
    for slice_no in range(ROUNDS):
        tag = f"{concurrency}s{slice_no}"
        rasa.append(await run_load(rasa_url, rasa_body, concurrency, share, f"r{tag}", texts))
        if TURN_WEBHOOK:
            turn.append(await run_load(turn_url, rasa_body, concurrency, share, f"t{tag}", texts))
        before = await gateway_counters(stack.url)
        with CpuMeter(stack) as cpu:
            gateway.append(
                await run_load(
                    gateway_url, gateway_body, concurrency, share, f"g{tag}", texts, stack.processes["gateway"].pid
                )
            )
        after = await gateway_counters(stack.url)
        for name, used in cpu.seconds.items():
            seconds[name] = seconds.get(name, 0.0) + used
        for name in after:
            counts[name] = counts.get(name, 0.0) + after[name] - before.get(name, 0.0)
    return merged(rasa), merged(turn or rasa), merged(gateway), seconds


def latency_row(concurrency: int, name: str, result: Result) -> str:
    return (
        f"| {concurrency} | {name} | {len(result.latencies)} | {result.errors} | {result.pct(0.50):.0f} | "
        f"{result.pct(0.95):.0f} | {result.pct(0.99):.0f} | {result.throughput:.1f} |"
    )


def cpu_row(concurrency: int, gateway: Result, seconds: dict[str, float]) -> str:
    """Gateway CPU per gateway request over the slices (every request: handed-over ones cost CPU too), the other
    processes' for the same requests, and with one conversation at a time the gateway's CPU of each kind of turn."""
    requests = max(len(gateway.latencies) + gateway.handed_over, 1)
    ms = {name: used / requests * 1000 for name, used in seconds.items()}
    others = ", ".join(f"{name} {value:.1f}" for name, value in ms.items() if name != "gateway")
    per_kind = "(not separable with several at once)"
    if gateway.bot_cpu:
        bot = statistics.mean(gateway.bot_cpu) * 1000
        verdict = "met" if bot <= GATEWAY_CPU_TARGET_MS else "not met"
        per_kind = f"**{bot:.1f} ms** ({verdict}; median {statistics.median(gateway.bot_cpu) * 1000:.1f})"
        if gateway.handed_cpu:
            per_kind += f"; handed-over turn {statistics.mean(gateway.handed_cpu) * 1000:.1f} ms"
    counted = COUNTS.get(concurrency, {})
    trips = " | ".join(f"{counted[name] / requests:.2f}" if name in counted else "n/a" for name in ("redis", "rasa"))
    return (f"| {concurrency} | {len(gateway.latencies)} / {gateway.handed_over} | {ms.get('gateway', 0.0):.1f} ms | "
            f"{per_kind} | {trips} | {others} ms |")  # fmt: skip


GATEWAY_CPU_TARGET_MS = 5.0  # issue 16: gateway CPU per chat turn
RATIO_TARGET = 1.15  # issue 16: gateway p50 / Rasa p50


async def measure() -> str:
    previous = previous_figures()
    chosen = os.environ.get("BENCH_MODEL")  # e.g. the model of a "before" run, for a like-for-like comparison
    busy = other_load()
    stack, prefix = start_stack(model=Path(chosen)) if chosen else start_stack()
    gateway_url = f"{stack.url}/api/chat"
    rasa_url = f"http://127.0.0.1:{stack.config.rasa_port}/webhooks/rest/webhook"
    turn_url = f"http://127.0.0.1:{stack.config.rasa_port}{TURN_WEBHOOK}"  # what the gateway calls: one per turn
    rows: list[str] = []
    cpu_rows: list[str] = []
    loads = [load_average()]
    try:
        with PeakRss(stack) as memory:
            texts, asked = await bot_questions(gateway_url)  # also loads models and fills caches
            loads.append(load_average())
            for concurrency in CONCURRENCY:
                rasa, turn, gateway, seconds = await interleaved(
                    stack, (gateway_url, rasa_url, turn_url), concurrency, texts
                )
                cpu_rows.append(cpu_row(concurrency, gateway, seconds))
                loads.append(load_average())
                named = [("Rasa REST webhook", rasa), ("Rasa turn webhook", turn), ("gateway /api/chat", gateway)]
                rows += [latency_row(concurrency, name, result) for name, result in named if TURN_WEBHOOK or
                         name != "Rasa turn webhook"]  # fmt: skip
                ratio = statistics.median(gateway.latencies) / statistics.median(rasa.latencies)
                rows.append(f"| {concurrency} | **gateway p50 / Rasa REST p50** | | | {ratio:.2f}× | | | |")
                if TURN_WEBHOOK:
                    own = statistics.median(gateway.latencies) / statistics.median(turn.latencies)
                    rows.append(f"| {concurrency} | **gateway p50 / Rasa turn p50** | | | {own:.2f}× | | | |")
                print(*rows[-5:], cpu_rows[-1], sep="\n", flush=True)
    finally:
        cleanup(stack, prefix)
    backend = "Redis tracker + lock store" if stack.config.redis_url else "in-memory tracker store"
    workers = rasa_workers(stack.config)
    memory_rows = "\n".join(f"| {name} | {peak / 2**20:.0f} MiB |" for name, peak in memory.peaks.items())
    return (
        "## Chat latency (`bench/chat_latency.py`)\n\n"
        f"Questions that stay with the bot: of the {asked} questions (every FAQ fact-check question, plus small "
        f"talk) the {len(texts)} the bot answers itself on a fresh conversation's first turn, sent to the gateway "
        f"and straight to Rasa's REST webhook (and to the turn webhook the gateway calls), in {ROUNDS} alternating "
        f"slices each; {TURNS_PER_CONVERSATION} turns per conversation; a gateway turn answered with a hand-over is "
        f"left out of the latencies and counted (its conversation ends there); {backend}; "
        f"model `{stack.config.model.name}`; "
        f"one uvicorn worker, {workers} Rasa Sanic worker(s) (RASA_WORKERS), Rasa started with "
        "`bot.launcher.rasa_speedups`; TF threads = 1. Latencies in ms.\n\n"
        f"**Machine load** (2 cores shared with other sessions, so latencies are inflated and noisy): 1-min load "
        f"average at the start, after the warm-up and after each level: {' → '.join(loads)}; busiest other "
        f"processes before the stack started: {busy}.\n\n"
        "| concurrent | target | requests ok | errors | p50 | p95 | p99 | req/s |\n"
        "|---|---|---|---|---|---|---|---|\n" + "\n".join(rows) + "\n\n"
        f"Targets (issue 16): gateway p50 ≤ {RATIO_TARGET}× Rasa p50; gateway CPU ≤ {GATEWAY_CPU_TARGET_MS:.0f} ms "
        "per chat turn.\n\n"
        "CPU time per gateway request during the gateway slices (user + system of each process and its children, "
        "from /proc via psutil; CPU time is hardly affected by other load, unlike latency). Turns = bot turns / "
        "turns handed over (those count in the CPU per request, not in the latencies). The conversations hand "
        "over by themselves now and then (the dialogue's fallback rule after repeated misunderstandings), and a "
        "hand-over stores a ticket; so with one conversation at a time the gateway process's CPU is also read "
        "before and after each turn, and the bot turns' mean is the figure for the target:\n\n"
        "| concurrent | turns | gateway CPU per request | gateway CPU per bot turn | Redis round trips per request "
        "| Rasa requests per request | others per gateway request |\n"
        "|---|---|---|---|---|---|---|\n" + "\n".join(cpu_rows) + "\n\n"
        "Redis round trips and Rasa requests are the gateway's own counters (GET /metrics: every request it sent, "
        "background loops included); a handed-over turn costs more of both (the ticket, the transcript from Rasa).\n\n"
        "Peak resident memory (process and its children) during the run:\n\n"
        "| process | peak RSS |\n|---|---|\n" + memory_rows + "\n\n" + previous
    )


def main() -> None:
    section = asyncio.run(measure())
    print(f"written to {write_section('chat-latency', section)}")


if __name__ == "__main__":
    main()
