"""Turn script results into the issue's metrics and write them to docs/intake-eval.md (+ .json), per script set.

Targets (issue 14): ≥ 95% of applications stored with every field exactly right; 0 invalid or non-name values
stored; median turns ≤ facts + 3; cancelled and handed-over scripts store nothing. Only field names appear here,
never values (the transcripts, with their synthetic personal data, go to data/intake-eval/)."""

from __future__ import annotations

import json
import re
import statistics
from collections import defaultdict
from dataclasses import asdict, dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from tests.intake.runner import ScriptResult

ROOT = Path(__file__).resolve().parents[2]
EVAL_MD = ROOT / "docs" / "intake-eval.md"
TRANSCRIPTS = ROOT / "data" / "intake-eval"
HEADER = (
    "# Application intake: simulated residents\n\n"
    "Written by `python -m tests.intake` (and the blind-set test). Each script's resident sends its opening, answers "
    "whatever the bot asks from the script's facts, and the stored record is read back through "
    "`GET /api/applications/{ref}` and compared field by field.\n"
)
TARGET_EXACT = 95.0
TARGET_EXTRA_TURNS = 3


@dataclass
class Summary:
    scripts: int
    store_scripts: int
    exact_stored: int
    exact_percent: float
    invalid_records: int
    median_turns: float
    median_facts_plus_3: float
    median_turns_over_facts: float
    no_store_scripts: int
    no_store_ok: int
    event_checks: int
    event_checks_ok: int
    personal_slots_left: int

    def meets_targets(self) -> bool:
        return (
            self.exact_percent >= TARGET_EXACT
            and self.invalid_records == 0
            and self.median_turns_over_facts <= TARGET_EXTRA_TURNS
            and self.no_store_ok == self.no_store_scripts
        )


def _median(values: list[float]) -> float:
    return float(statistics.median(values)) if values else 0.0


def summarise(results: list[ScriptResult]) -> Summary:
    store = [r for r in results if r.expect_stored]
    stored = [r for r in store if r.outcome == "stored"]
    no_store = [r for r in results if not r.expect_stored]
    checks = [ok for r in results for _, ok in r.event_checks]
    exact = sum(r.exact for r in store)
    return Summary(
        scripts=len(results),
        store_scripts=len(store),
        exact_stored=exact,
        exact_percent=round(100.0 * exact / len(store), 1) if store else 0.0,
        invalid_records=sum(1 for r in results if r.invalid),
        median_turns=_median([r.turns for r in stored]),
        median_facts_plus_3=_median([r.facts + 3 for r in stored]),
        median_turns_over_facts=_median([r.turns - r.facts for r in stored]) if stored else 99.0,
        no_store_scripts=len(no_store),
        no_store_ok=sum(r.exact for r in no_store),
        event_checks=len(checks),
        event_checks_ok=sum(checks),
        personal_slots_left=sum(1 for r in results if r.personal_slots_left),
    )


def _groups(results: list[ScriptResult]) -> dict[str, dict[str, list[ScriptResult]]]:
    groups: dict[str, dict[str, list[ScriptResult]]] = {"style": defaultdict(list), "benefit": defaultdict(list)}
    for result in results:
        groups["benefit"][result.benefit].append(result)
        for style in result.styles:
            groups["style"][style].append(result)
    return groups


def _field_of(problem: str) -> str:
    return re.split(r"[:(]", problem, maxsplit=1)[0].strip()


def render(name: str, results: list[ScriptResult], summary: Summary, note: str = "") -> str:
    lines = [f"## {name}\n"]
    if note:
        lines.append(note.strip() + "\n")
    s = summary
    lines += [
        "| measure | value | target |",
        "|---|---|---|",
        f"| stored with every field exactly right | {s.exact_stored}/{s.store_scripts} ({s.exact_percent}%) | ≥ 95% |",
        f"| records holding an invalid or non-name value | {s.invalid_records} | 0 |",
        f"| median turns (stored scripts) / median facts + 3 | {s.median_turns:g} / {s.median_facts_plus_3:g} | ≤ |",
        f"| median (turns − facts) per stored script | {s.median_turns_over_facts:g} | ≤ 3 |",
        f"| cancelled / handed-over scripts that stored nothing | {s.no_store_ok}/{s.no_store_scripts} | all |",
        f"| replies to mid-form events with the expected words | {s.event_checks_ok}/{s.event_checks} | |",
        f"| conversations with personal slots left in the tracker afterwards | {s.personal_slots_left} | 0 |",
        "",
    ]
    for kind, groups in _groups(results).items():
        lines += [f"By {kind}:\n", f"| {kind} | scripts | right |", "|---|---|---|"]
        for key, members in sorted(groups.items()):
            lines.append(f"| {key} | {len(members)} | {sum(r.exact for r in members)} |")
        lines.append("")
    failed = [r for r in results if not r.exact or r.invalid]
    if failed:
        lines += ["Scripts not right (fields only, no values):\n", "| script | outcome | turns | fields wrong |",
                  "|---|---|---|---|"]  # fmt: skip
        for r in failed:
            wrong = sorted({_field_of(p) for p in r.mismatches} | {f"invalid {_field_of(p)}" for p in r.invalid})
            if not r.expect_stored and r.new_records:
                wrong.append("stored although it should not")
            lines.append(f"| {r.id} | {r.outcome} | {r.turns} | {', '.join(wrong) or '—'} |")
        lines.append("")
    return "\n".join(lines)


def write_report(name: str, results: list[ScriptResult], note: str = "") -> Summary:
    """Replace the section `name` of docs/intake-eval.md and docs/intake-eval.json; keep the transcripts locally."""
    summary = summarise(results)
    stamp = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    body = render(name, results, summary, note) + f"\n_Measured {stamp}._\n"
    section = f"<!-- {name} -->\n{body.rstrip()}\n<!-- /{name} -->"
    text = EVAL_MD.read_text() if EVAL_MD.exists() else HEADER
    pattern = re.compile(rf"<!-- {re.escape(name)} -->.*?<!-- /{re.escape(name)} -->", re.S)
    text = pattern.sub(lambda _m: section, text) if pattern.search(text) else text.rstrip() + "\n\n" + section + "\n"
    EVAL_MD.write_text(text)
    json_path = EVAL_MD.with_suffix(".json")
    data: dict[str, Any] = json.loads(json_path.read_text()) if json_path.exists() else {}
    data[name] = {
        "measured": stamp,
        "summary": asdict(summary),
        "meets_targets": summary.meets_targets(),
        "scripts": [
            {"id": r.id, "benefit": r.benefit, "styles": r.styles, "outcome": r.outcome, "exact": r.exact,
             "turns": r.turns, "facts": r.facts, "fields_wrong": sorted({_field_of(p) for p in r.mismatches}),
             "invalid": sorted({_field_of(p) for p in r.invalid}), "new_records": r.new_records}
            for r in results
        ],
    }  # fmt: skip
    json_path.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n")
    TRANSCRIPTS.mkdir(parents=True, exist_ok=True)
    safe = re.sub(r"[^A-Za-z0-9_.-]", "_", name)
    (TRANSCRIPTS / f"{safe}.json").write_text(
        json.dumps([asdict(r) for r in results], ensure_ascii=False, indent=1) + "\n"
    )
    return summary
