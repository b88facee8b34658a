"""Calibrate bot/rules/understanding.py on the held-out split (tests/nlu_eval/, never the blind corpus).

Parses every held-out FAQ and conversation example with the live model and prints, for the current thresholds, how
often the verdict is a right answer, a wrong answer, a clarification (and whether the right topic is among the
choices), a decline or "not understood"; plus the e5 in-domain similarity percentiles of FAQ versus out-of-scope
examples. `python -m bench.understanding_calibration [--url http://127.0.0.1:5005 --token T]`.
"""

from __future__ import annotations

import argparse
import collections
import statistics
from typing import Any

import httpx
import yaml

from bench.stack import cleanup, start_stack
from bot.core.config import PROJECT_ROOT
from bot.rules.understanding import judge

HELD_OUT = PROJECT_ROOT / "tests" / "nlu_eval"


def held_out() -> list[tuple[str, str]]:
    """(label, text) of every held-out example."""
    pairs: list[tuple[str, str]] = []
    for path in sorted(HELD_OUT.glob("*.yml")):
        for block in (yaml.safe_load(path.read_text()) or {}).get("nlu") or []:
            for line in str(block.get("examples") or "").splitlines():
                text = line.strip().removeprefix("- ").strip()
                if text:
                    pairs.append((str(block["intent"]), text))
    return pairs


def outcome(label: str, parse: dict[str, Any]) -> str:
    verdict = judge(parse)
    if verdict.kind == "answer":
        return "answer right" if verdict.faq == label else "answer WRONG"
    if verdict.kind == "clarify":
        return "clarify, right topic offered" if label in verdict.choices else "clarify, right topic missing"
    if verdict.kind == "other":
        intent = (parse.get("intent") or {}).get("name")
        return "intent right" if intent == label else f"intent WRONG ({intent})"
    return verdict.kind


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else float("nan")


def run(url: str, token: str) -> None:
    counts: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
    in_domain: dict[str, list[float]] = collections.defaultdict(list)
    with httpx.Client(timeout=60) as http:
        for label, text in held_out():
            parse = http.post(f"{url}/model/parse", params={"token": token}, json={"text": text}).json()
            group = "faq" if label.startswith("faq/") else label
            counts[group][outcome(label, parse)] += 1
            in_domain[group].append(float((parse.get("e5") or {}).get("in_domain") or 0.0))
    for group, counter in sorted(counts.items()):
        sims = in_domain[group]
        print(f"{group:22} n={sum(counter.values()):4}  e5 in-domain p5={pct(sims, 0.05):.3f} "
              f"median={statistics.median(sims):.3f}  {dict(counter)}")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="")
    parser.add_argument("--token", default="")
    args = parser.parse_args()
    if args.url:
        run(args.url, args.token)
        return
    stack, prefix = start_stack()
    try:
        run(f"http://127.0.0.1:{stack.config.rasa_port}", stack.token)
    finally:
        cleanup(stack, prefix)


if __name__ == "__main__":
    main()
