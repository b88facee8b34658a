"""Choose the plan-passage thresholds (bot/knowledge/index.py) on development data: blind batches b1–b3 and b4's
policy file, which the lead made development sets (never the batch kept for the final measurement).

Offline, without Rasa: for each item the passage finding of its region's plan (both plans when it has none) is looked
up. A policy item counts as rightly answered when the shown clause(s) and section contain every fact group it
expects; any other item (escalation, out of scope, noise) must not be answered from the plan at all. The figures are
given for all items and for those the bot did not answer in the latest stored eval run (clarify / 没听懂: the ones
this path serves). Printed for the chosen thresholds and a grid around them.

    .venv-rasa/bin/python -m bench.passage_thresholds

Only reads the blind items; nothing of them is copied anywhere."""

from __future__ import annotations

import argparse
import json
from dataclasses import dataclass
from pathlib import Path

from bench.blind_checks import groups_ok, item_turns, load_items
from bot.knowledge import index as knowledge
from bot.knowledge.reply import clause_for
from bot.rules.routing import load_routing

ROOT = Path(__file__).resolve().parents[1]
BLIND = ROOT / "tests" / "blind" / "understanding"
DEVELOPMENT = ("b1", "b2", "b3", "b4/policy.yml")
STORED_RUNS = {
    "b1": "after",
    "b2": "blind-b2",
    "b3": "after danger + out-of-scope rules (4087329)",
    "b4": "after (355601a)",
}
UNSURE = ("clarify", "not_understood")


@dataclass
class Row:
    policy: bool
    unsure: bool
    right: bool
    dense: float
    lexical: float
    lead: float


def development_items(batches: list[str]) -> list[dict]:
    items: list[dict] = []
    for batch in batches:
        path = BLIND / batch
        if path.is_dir():
            items += load_items(path)
        else:
            items += [i for i in load_items(path.parent) if i["file"] == path.name]
    return items


def stored_kinds() -> dict[str, str]:
    """Item id → kind of the bot's reply in the latest stored run of its batch (docs/nlu-eval*.json)."""
    kinds: dict[str, str] = {}
    for batch, run in STORED_RUNS.items():
        path = ROOT / "docs" / ("nlu-eval.json" if batch == "b1" else f"nlu-eval-{batch}.json")
        runs = json.loads(path.read_text()).get("runs") or {} if path.exists() else {}
        for record in (runs.get(run) or {}).get("results") or []:
            kinds[record["id"]] = record.get("first_kind") or ""
    return kinds


def rows(items: list[dict]) -> list[Row]:
    index = knowledge.PassageIndex.build()
    kinds = stored_kinds()
    out: list[Row] = []
    for item in items:
        question = item_turns(item)[-1]
        regions = [item["region"]] if item.get("region") else list(load_routing().served)
        for found in index.findings(question, regions):
            shown = "".join(clause_for(h.passage.text, question) for h in found.hits) + found.hits[0].passage.section
            expect = (item.get("expect") or {}).get("all")
            policy = item.get("section") == "policy"
            best = found.hits[0]
            right = policy and not groups_ok(shown, expect)
            unsure = kinds.get(item["id"]) in UNSURE
            out.append(Row(policy, unsure, right, best.dense, best.lexical, found.lead))
    return out


def tally(data: list[Row], dense: float, lexical: float, lead: float) -> str:
    chosen = [r for r in data if r.dense >= dense and r.lexical >= lexical and r.lead >= lead]
    policy = [r for r in chosen if r.policy]
    right = sum(r.right for r in policy)
    share = f"{right / len(policy):.0%}" if policy else "–"
    wrong, others = len(policy) - right, len(chosen) - len(policy)
    return f"answered {len(policy)}, right {right} ({share}), wrong {wrong}; others {others}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--batches", nargs="*", default=list(DEVELOPMENT))
    args = parser.parse_args()
    data = rows(development_items(args.batches))
    unsure = [r for r in data if r.unsure]
    print(f"{sum(r.policy for r in data)} policy findings, {sum(not r.policy for r in data)} others")
    chosen = (knowledge.DENSE_MIN, knowledge.LEXICAL_MIN, knowledge.SECTION_LEAD)
    print(f"chosen {chosen}: all items {tally(data, *chosen)} | not answered before {tally(unsure, *chosen)}")
    for dense in (0.87, 0.88, 0.89, 0.90):
        for lead in (0.02, 0.03, 0.04, 0.05, 0.06):
            figures = tally(unsure, dense, knowledge.LEXICAL_MIN, lead)
            print(f"dense >= {dense}, lead >= {lead}: not answered before {figures}")


if __name__ == "__main__":
    main()
