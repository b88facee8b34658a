"""Topic choice offline (issue 12, round 9): which FAQ answer would hold each development policy item's fact, and how
often a decision rule picks it — replayed over the model's real parses, without a live stack.

    # 1. parse the policy items of development batches with the current model (Rasa environment)
    .venv-rasa/bin/python -m bench.topic_choice parse --batch b6 --batch b7
    # 2. for every item, every candidate topic: would its answer (+ the plan sentence the bot adds) hold the fact?
    .venv-rasa/bin/python -m bench.topic_choice oracle --batch b6 --batch b7
    # 3. how often each signal's first choice holds the fact where the bot clarifies or answers
    .venv-rasa/bin/python -m bench.topic_choice rules --batch b6 --batch b7

Only development batches (b1–b7) are allowed; files go to results/topic-choice/ (not committed). The blind items are
only read, never copied anywhere else.
"""

from __future__ import annotations

import argparse
import asyncio
import json
from collections import Counter
from pathlib import Path
from typing import Any

import yaml

from bench.blind_checks import DEFAULT_REGION, forbidden_found, groups_ok, item_turns, load_items

PROJECT_ROOT = Path(__file__).resolve().parents[1]

BLIND_DIR = PROJECT_ROOT / "tests" / "blind" / "understanding"
OUT_DIR = PROJECT_ROOT / "results" / "topic-choice"
ALLOWED = {f"b{n}" for n in range(1, 8)}  # development batches only (never b8, b10)
DOMAIN_DIRS = [PROJECT_ROOT / "nlu_data" / "faq", PROJECT_ROOT / "nlu_data" / "domain"]


def policy_items(batch: str) -> list[dict[str, Any]]:
    if batch not in ALLOWED:
        raise SystemExit(f"{batch} is not a development batch")
    return [i for i in load_items(BLIND_DIR / batch) if i.get("section") == "policy"]


def parse_batches(batches: list[str], model: Path | None) -> None:
    from rasa.core.agent import Agent

    if model is None:
        from bot.launcher.model import ensure_model  # the gateway environment's settings: pass --model in Rasa's

        model = ensure_model()
    agent = Agent.load(str(model))
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    for batch in batches:
        rows = []
        for item in policy_items(batch):
            text = item_turns(item)[-1]
            parse = asyncio.run(agent.parse_message(text))
            rows.append({"id": item["id"], "parse": parse})
        (OUT_DIR / f"parses-{batch}.json").write_text(json.dumps(rows, ensure_ascii=False, default=str))
        print(f"{batch}: {len(rows)} parsed")


def faq_responses() -> dict[str, list[dict[str, Any]]]:
    """utter_faq/<name> → variations, from the FAQ files (as the domain the action server receives)."""
    responses: dict[str, list[dict[str, Any]]] = {}
    for folder in DOMAIN_DIRS:
        for path in sorted(folder.glob("*.yml")):
            for name, variations in ((yaml.safe_load(path.read_text()) or {}).get("responses") or {}).items():
                if str(name).startswith("utter_faq/"):
                    responses[str(name)] = variations
    return responses


def answer_text(key: str, item: dict[str, Any], responses: dict[str, Any], index: Any) -> str:
    """What the bot says for topic `key` to this item after the region is known: the variation of the item's region
    (the runner answers 绥芬河市 for an item without one), and the plan sentence behind it."""
    from actions.answers import choose_variation
    from bot.knowledge.answer_quotes import plan_quotes
    from bot.rules.plans import load_plans
    from bot.rules.routing import load_routing

    region = item.get("region") or DEFAULT_REGION
    variations = responses.get(f"utter_{key}") or []
    chosen = choose_variation(variations, region)
    text = load_routing().fill_hotlines(str((chosen or {}).get("text") or ""), region)
    quotes = plan_quotes(index, responses, key, item_turns(item)[-1], [region], load_plans(), text)
    return "\n".join([text, *quotes])


def holds_fact(item: dict[str, Any], text: str) -> bool:
    expect = item.get("expect") or {}
    return not groups_ok(text, expect.get("all")) and not forbidden_found(text, expect.get("none"))


def oracle(batches: list[str]) -> None:
    """For every item: which topics' answers hold its fact (all FAQ topics), and the plan passage signals."""
    from bot.knowledge.index import PassageIndex
    from bot.knowledge.topics import faq_passages

    index = PassageIndex.build()
    responses = faq_responses()
    keys = [name.removeprefix("utter_") for name in responses]
    quoted = faq_passages(index, responses)
    for batch in batches:
        rows = []
        for item in policy_items(batch):
            region = item.get("region") or DEFAULT_REGION
            question = item_turns(item)[-1]
            good = [k for k in keys if holds_fact(item, answer_text(k, item, responses, index))]
            ranked = index.search(question, region, limit=10)
            positions = [index.passages.index(h.passage) for h in ranked]
            rows.append(
                {
                    "id": item["id"],
                    "region": item.get("region"),
                    "kind": item.get("kind"),
                    "good": good,
                    "passages": [
                        [p, round(h.score, 4), round(h.dense, 4), round(h.lexical, 4)]
                        for p, h in zip(positions, ranked, strict=True)
                    ],  # fmt: skip
                    "quoted_by": {str(p): sorted(k for k, held in quoted.items() if p in held) for p in positions},
                }
            )
        (OUT_DIR / f"oracle-{batch}.json").write_text(json.dumps(rows, ensure_ascii=False))
        print(f"{batch}: {len(rows)} items, {sum(1 for r in rows if r['good'])} with a topic holding the fact")


def _load(kind: str, batch: str) -> dict[str, Any]:
    return {r["id"]: r for r in json.loads((OUT_DIR / f"{kind}-{batch}.json").read_text())}


def plan_keys(row: dict[str, Any]) -> list[str]:
    """The FAQ answers in the order of the plan passages nearest to the question (each passage stands for the
    answers quoting it)."""
    keys: list[str] = []
    for position, *_scores in row["passages"]:
        keys += [k for k in row["quoted_by"].get(str(position), []) if k not in keys]
    return keys


def rules(batches: list[str]) -> None:
    """Over the judge's verdicts: how often each signal's first choice holds the fact, where the bot clarifies and
    where it answers, and how often the plan's nearest sentence (the finding's 1–2 passages) holds it."""
    from bot.knowledge.index import PassageIndex, finding
    from bot.knowledge.near_quotes import NEAR_DENSE, NEAR_LEXICAL
    from bot.rules.understanding import e5_labels, judge, selector_ranking

    index = PassageIndex.build()
    for batch in batches:
        parses, oracles = _load("parses", batch), _load("oracle", batch)
        items = {i["id"]: i for i in policy_items(batch)}
        counts: Counter[str] = Counter()

        def count(name: str, hit: bool = True, counts: Counter[str] = counts) -> None:
            counts[name] += int(hit)

        for item_id, row in oracles.items():
            parse, good, item = parses[item_id]["parse"], set(row["good"]), items[item_id]
            verdict = judge(parse)
            region = item.get("region") or DEFAULT_REGION
            question = item_turns(item)[-1]
            found = finding(index.search(question, region, limit=40), region)
            near = bool(found) and found.hits[0].dense >= NEAR_DENSE and found.hits[0].lexical >= NEAR_LEXICAL
            sentence = bool(found) and holds_fact(item, "\n".join(h.passage.text for h in found.hits))
            if verdict.kind == "clarify" and not (found and found.confident):
                e5 = [k for k, _s in e5_labels(parse) if k.startswith("faq/")]
                selector = [k for k, _c in selector_ranking(parse)]
                count("clarify (no confident plan answer)")
                count("  selector's first holds the fact", bool(selector) and selector[0] in good)
                count("  e5 nearest example's first holds it", bool(e5) and e5[0] in good)
                count("  plan passages' first answer holds it", plan_keys(row)[:1] and plan_keys(row)[0] in good)
                count("  one of the offered topics holds it", bool(set(verdict.choices) & good))
                count("  no FAQ answer holds it", not good)
                count("  nearest plan sentence near (shown)", near)
                count("  … and holds the fact", near and sentence)
            elif verdict.kind == "answer":
                count("answer")
                count("  holds the fact", verdict.faq in good)
        width = max(len(k) for k in counts)
        print(f"{batch} (policy items {len(oracles)})")
        for name, n in counts.items():
            print(f"  {name:<{width}} {n}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("step", choices=["parse", "oracle", "rules"])
    parser.add_argument("--batch", action="append", default=[])
    parser.add_argument("--model", default="")
    args = parser.parse_args()
    batches = args.batch or ["b6", "b7"]
    if args.step == "parse":
        parse_batches(batches, Path(args.model) if args.model else None)
    elif args.step == "oracle":
        oracle(batches)
    else:
        rules(batches)


if __name__ == "__main__":
    main()
