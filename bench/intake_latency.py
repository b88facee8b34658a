"""Latency of application-form turns (they call the action server and the database) at 10 conversations.

Run with `make bench`. Writes its section of docs/benchmarks.md.
"""

from __future__ import annotations

import asyncio
import time

import httpx

from bench.report import write_section
from bench.stack import CpuMeter, PeakRss, cleanup, load_average, start_stack
from bot.launcher.stack import rasa_workers
from bot.rules.id_card import id_check_digit

CONCURRENT = 10
ROUNDS = 3
ID_17 = "14042619750315002"
APPLICANT_ID = ID_17 + id_check_digit(ID_17)
SCRIPT = [
    "我想申请护理补贴", "同意", "给自己", "王秀英", APPLICANT_ID, APPLICANT_ID + "41", "13800138000",
    "潞城区潞华街道东街12号", "低保", "电话错了，是13900139000", "确认",
]  # fmt: skip


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000


async def conversation(client: httpx.AsyncClient, url: str, sender: str, latencies: list[float]) -> int:
    errors = 0
    headers: dict[str, str] = {}
    for text in SCRIPT:
        started = time.perf_counter()
        response = await client.post(url, json={"sender_id": sender, "text": text}, headers=headers)
        if "X-Conversation-Key" in response.headers:  # issued with the first reply, sent back like the web chat
            headers = {"X-Conversation-Key": response.headers["X-Conversation-Key"]}
        if response.status_code == 200 and response.json()["messages"]:
            latencies.append(time.perf_counter() - started)
        else:
            errors += 1
    return errors


async def measure() -> str:
    stack, prefix = start_stack()
    url = f"{stack.url}/api/chat"
    latencies: list[float] = []
    errors = 0
    loads = [load_average()]
    try:
        with PeakRss(stack) as memory:
            async with httpx.AsyncClient(timeout=60) as client:
                await conversation(client, url, "warmup", [])
                started = time.perf_counter()
                with CpuMeter(stack) as cpu:
                    for round_ in range(ROUNDS):
                        results = await asyncio.gather(
                            *(conversation(client, url, f"intake-{round_}-{i}", latencies) for i in range(CONCURRENT))
                        )
                        errors += sum(results)
                        loads.append(load_average())
                seconds = time.perf_counter() - started
    finally:
        cleanup(stack, prefix)
    memory_text = ", ".join(f"{name} {peak / 2**20:.0f} MiB" for name, peak in memory.peaks.items())
    return (
        "## Application form turns (`bench/intake_latency.py`)\n\n"
        f"{CONCURRENT} concurrent conversations, each the whole {len(SCRIPT)}-turn care-subsidy application "
        f"(consent, validated ID and card numbers, the address with town and region, a correction at read-back, "
        f"submission to the database), "
        f"{ROUNDS} rounds. Each turn goes gateway → Rasa → action server (→ gateway internal API → database on "
        "the last turn).\n\n"
        "| turns ok | errors | p50 ms | p95 ms | p99 ms | turns/s |\n|---|---|---|---|---|---|\n"
        f"| {len(latencies)} | {errors} | {percentile(latencies, 0.5):.0f} | {percentile(latencies, 0.95):.0f} | "
        f"{percentile(latencies, 0.99):.0f} | {len(latencies) / seconds:.1f} |\n\n"
        f"CPU per turn: {cpu.per_turn_ms(len(latencies) + errors)}. Peak RSS: {memory_text}. "
        f"Rasa Sanic workers: {rasa_workers(stack.config)}. Load average (1 min) before and after each round: "
        f"{' → '.join(loads)}. Target: p95 ≤ 400 ms.\n"
    )


def main() -> None:
    print(f"written to {write_section('intake-latency', asyncio.run(measure()))}")


if __name__ == "__main__":
    main()
