"""How well the plan-passage search (bot/knowledge) finds the passage that answers a policy question, on development
items only (blind batches the lead has made development sets; never the batch kept for the final measurement).

Offline, without Rasa. For each policy item, the passages of its region's plan (both plans when it has none) are
ranked by `PassageIndex.search`; a passage *answers* the item when its text and section hold every fact group the item
expects. Items no single passage answers (the fact is spread over sentences, or is a national rule) are counted apart.
Printed: recall@1/3/5/10 among the answerable items, and what the confident-finding rule would answer (right / wrong).

    .venv-rasa/bin/python -m bench.passage_recall [--batches b4/policy.yml b5/policy.yml] [--misses 20]

Only reads the blind items; nothing of them is copied anywhere."""

from __future__ import annotations

import argparse
from collections import Counter

from bench.blind_checks import groups_ok, item_turns
from bench.passage_thresholds import development_items
from bot.knowledge import index as knowledge
from bot.knowledge.reply import clause_for
from bot.rules.routing import load_routing

DEVELOPMENT = ("b1/policy.yml", "b2/policy.yml", "b3/policy.yml", "b4/policy.yml", "b5/policy.yml")
DEPTHS = (1, 3, 5, 10)


def answers(passage: knowledge.Passage, question: str, expect: list[list[str]] | None) -> bool:
    """The clause(s) shown for `passage` plus its section hold every expected group."""
    return not groups_ok(clause_for(passage.text, question) + passage.section, expect)


def rank_of_answer(hits: list[knowledge.Hit], question: str, expect: list[list[str]] | None) -> int | None:
    return next((i + 1 for i, hit in enumerate(hits) if answers(hit.passage, question, expect)), None)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--batches", nargs="*", default=list(DEVELOPMENT))
    parser.add_argument("--misses", type=int, default=0, help="print this many answerable items missed at rank 1")
    args = parser.parse_args()
    index = knowledge.PassageIndex.build()
    served = list(load_routing().served)
    ranks: Counter[int | None] = Counter()
    unanswerable = confident_right = confident_wrong = 0
    misses: list[str] = []
    items = [i for i in development_items(args.batches) if i.get("section") == "policy"]
    for item in items:
        question = item_turns(item)[-1]
        expect = (item.get("expect") or {}).get("all")
        regions = [item["region"]] if item.get("region") else served
        for region in regions:
            every = index.search(question, region, limit=len(index.passages))
            if not any(answers(h.passage, question, expect) for h in every):
                unanswerable += 1
                continue
            rank = rank_of_answer(every, question, expect)
            ranks[rank] += 1
            found = knowledge.finding(every[: knowledge.HITS_FOR_LEAD], region)
            if found and found.confident:
                right = any(answers(h.passage, question, expect) for h in found.hits)
                confident_right += right
                confident_wrong += not right
            if rank != 1 and len(misses) < args.misses:
                misses.append(f"{item['id']} rank {rank}: {question}\n   got: {every[0].passage.text[:80]}")
    answerable = sum(ranks.values())
    print(f"{len(items)} policy items; {answerable} (item, region) pairs answerable by one passage, "
          f"{unanswerable} not")  # fmt: skip
    for depth in DEPTHS:
        found = sum(n for rank, n in ranks.items() if rank is not None and rank <= depth)
        print(f"recall@{depth}: {found / answerable:.1%} ({found}/{answerable})")
    print(f"confident findings on answerable pairs: right {confident_right}, wrong {confident_wrong}")
    print("\n".join(misses))


if __name__ == "__main__":
    main()
