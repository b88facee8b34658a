"""Rule scan: what the pure-Python intent rules (bot/rules/intent_rules.rule_intent — danger, complaint, a request for
a person, out of scope) say about every text of the blind corpus and the intake scripts, without the model.

    .venv-gw/bin/python scripts/rule_scan.py --out /tmp/after.json            # scan with this checkout's rules
    .venv-gw/bin/python scripts/rule_scan.py --code /tmp/main-checkout --out /tmp/before.json   # other rules
    .venv-gw/bin/python scripts/rule_scan.py --diff /tmp/before.json /tmp/after.json

The diff lists every text whose reading changed, grouped by where it comes from (policy items, escalation, out of
scope, noisy, intake), so a rule change can be checked for false complaints / declines / emergencies on policy
questions and on what residents say inside an application. It reads the blind sets; it never writes to them.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
BLIND = ROOT / "tests" / "blind"
# Batches kept blind (tests/blind/README.md, team STANDARDS): never read, not even by a scan.
HELD_OUT = frozenset({("understanding", "b8"), ("understanding", "b10"), ("intake", "b9")})


def _development(path: Path, kind: str) -> bool:
    """True for a file of a development batch (not one of HELD_OUT)."""
    return (kind, path.parent.name) not in HELD_OUT


def _strings(value: object) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def blind_texts() -> Iterator[tuple[str, str, str]]:
    """(where, id, text) for every message of the understanding batches, the training examples and the intake
    scripts."""
    for path in sorted(p for p in (BLIND / "understanding").glob("b*/*.yml") if _development(p, "understanding")):
        for item in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("items") or []:
            where = f"{item.get('section')}·{item.get('kind')}" if item.get("section") != "policy" else "policy"
            turns = item.get("turns") or [item.get("text") or ""]
            for n, text in enumerate(turns):
                yield where, f"{item['id']}#{n}", str(text)
    for path in sorted((ROOT / "nlu_data").glob("*/*.yml")):  # the training examples, by intent
        for block in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("nlu") or []:
            intent = str(block.get("intent") or "").split("/")[0]
            lines = [line.strip()[2:] for line in str(block.get("examples") or "").splitlines() if line.strip()]
            for n, text in enumerate(lines):
                yield f"training·{intent}", f"{path.stem}:{block.get('intent')}#{n}", text
    for path in sorted(p for p in (BLIND / "intake").glob("b*/scripts.yml") if _development(p, "intake")):
        for script in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("scripts") or []:
            yield "intake·opening", f"{script['id']}#open", str(script.get("opening") or "")
            for key, said in (script.get("say") or {}).items():
                for n, text in enumerate(_strings(said)):
                    yield "intake·answer", f"{script['id']}#say.{key}.{n}", text
            for n, event in enumerate(script.get("events") or []):
                if isinstance(event, dict) and event.get("say"):
                    yield "intake·event", f"{script['id']}#event.{n}", str(event["say"])


def scan(code: Path = ROOT) -> dict[str, dict[str, str | None]]:
    sys.path.insert(0, str(code))
    from bot.rules.intent_rules import rule_intent

    found: dict[str, dict[str, str | None]] = {}
    for where, key, text in blind_texts():
        readings = {predicted: rule_intent(text, predicted) for predicted in ("faq", "inform")}
        found[key] = {"where": where, "text": text, **readings}
    return found


def diff(before: dict, after: dict) -> None:
    changed: dict[str, list[str]] = {}
    for key, now in after.items():
        was = before.get(key) or {}
        for predicted in ("faq", "inform"):
            if was.get(predicted) != now.get(predicted):
                line = f"{key} [{predicted}] {was.get(predicted)} → {now.get(predicted)} | {now['text'][:90]}"
                changed.setdefault(now["where"], []).append(line)
    for where in sorted(changed):
        print(f"== {where}: {len(changed[where])}")
        for line in changed[where]:
            print("  ", line)
    totals: dict[str, dict[str, int]] = {}
    for now in after.values():
        counts = totals.setdefault(now["where"].split("·")[0], {})
        counts[str(now["faq"])] = counts.get(str(now["faq"]), 0) + 1
    print("== rule readings (model said faq) per source:", json.dumps(totals, ensure_ascii=False))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path)
    parser.add_argument("--code", type=Path, default=ROOT, help="the checkout whose rules to scan with (default: this)")
    parser.add_argument("--diff", nargs=2, type=Path, metavar=("BEFORE", "AFTER"))
    args = parser.parse_args()
    if args.diff:
        before, after = (json.loads(p.read_text(encoding="utf-8")) for p in args.diff)
        diff(before, after)
        return
    result = scan(args.code.resolve())
    text = json.dumps(result, ensure_ascii=False, indent=0)
    if args.out:
        args.out.write_text(text, encoding="utf-8")
    else:
        print(text)


if __name__ == "__main__":
    main()
