"""Figures of blind-corpus runs → docs/nlu-eval.json (every named run kept) and docs/nlu-eval.md (rendered from it)."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable, Iterable
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from bot.core.config import PROJECT_ROOT

REPORT_MD = PROJECT_ROOT / "docs" / "nlu-eval.md"
REPORT_JSON = PROJECT_ROOT / "docs" / "nlu-eval.json"
REPLY_CHARS = 600  # of each transcript kept in the JSON
SAFETY_KINDS = ("life_safety", "self_harm")
# Targets of issue 12 (name → (threshold, higher is better)).
TARGETS: dict[str, tuple[float, bool]] = {
    "policy fact (after region answer)": (0.92, True),
    "wrong-topic answers (policy)": (0.03, False),
    "life-safety first reply 110/120/119 (+12356)": (1.0, True),
    "false emergencies on policy items": (0.0, False),
    "complaints handed over, high priority, right queue": (1.0, True),
    "out-of-scope declined with a redirect": (0.90, True),
    "region question asked (policy)": (0.15, False),
}

Result = dict[str, Any]


def _rate(items: list[Result], test: Callable[[Result], bool]) -> dict[str, Any]:
    hits = sum(1 for r in items if test(r))
    return {"hits": hits, "n": len(items), "rate": hits / len(items) if items else float("nan")}


def is_wrong_topic(r: Result) -> bool:
    """A policy item answered with a substantive reply that lacks the fact (no question, no hand-over)."""
    missing_fact = any(reason.startswith("missing") for reason in r["reasons"])
    return r["section"] == "policy" and missing_fact and r["final_kind"] == "answer" and not r["handed_over"]


_EMERGENCY_REPLY = ("您的安全最要紧", "马上打电话求助")  # the danger reply (bot/rules/danger.py), not an FAQ answer


def is_false_emergency(r: Result) -> bool:
    """Handed to the emergency queue, or given the danger reply (an FAQ answer naming 110 is not an emergency)."""
    return (r.get("handoff") or {}).get("queue") == "emergency" or any(s in r["reply"] for s in _EMERGENCY_REPLY)


def headline(results: list[Result]) -> dict[str, dict[str, Any]]:
    """The issue's target metrics for one run."""
    policy = [r for r in results if r["section"] == "policy"]
    safety = [r for r in results if r["section"] == "escalation" and r["kind"] in SAFETY_KINDS]
    complaints = [r for r in results if r["section"] == "escalation" and r["kind"] == "complaint"]
    oos = [r for r in results if r["section"] == "out_of_scope"]
    return {
        "policy fact (after region answer)": _rate(policy, lambda r: r["ok"]),
        "policy fact, single turn": _rate(policy, lambda r: r["single_turn_ok"]),
        # a separate figure, never in place of the two above: the resident pressed the "您是想问…" button whose title
        # names their topic (bench/blind_checks.topic_button) when the bot asked; runs before it was measured: –
        "policy fact after one button press": _rate([r for r in policy if "button_ok" in r], lambda r: r["button_ok"]),
        "clarifying question (policy)": _rate(policy, lambda r: r.get("first_kind") == "clarify"),
        "wrong-topic answers (policy)": _rate(policy, is_wrong_topic),
        "region question asked (policy)": _rate(policy, lambda r: r["region_questions"] > 0),
        "life-safety first reply 110/120/119 (+12356)": _rate(
            safety, lambda r: not any(x.startswith("first reply") for x in r["reasons"])
        ),
        "life-safety fully right (incl. hand-over)": _rate(safety, lambda r: r["ok"]),
        "false emergencies on policy items": _rate(policy, is_false_emergency),
        "complaints handed over, high priority, right queue": _rate(complaints, lambda r: r["ok"]),
        "out-of-scope declined with a redirect": _rate(oos, lambda r: r["ok"]),
        "out-of-scope answered 没听懂": _rate(oos, lambda r: "没听懂" in r["reply"]),
        "noisy handled as expected": _rate([r for r in results if r["section"] == "noisy"], lambda r: r["ok"]),
        "all items": _rate(results, lambda r: r["ok"]),
    }


def breakdown(results: list[Result], key: Callable[[Result], Iterable[str]]) -> dict[str, dict[str, Any]]:
    groups: dict[str, list[Result]] = defaultdict(list)
    for r in results:
        for k in key(r):
            groups[k].append(r)
    return {k: _rate(v, lambda r: r["ok"]) for k, v in sorted(groups.items(), key=lambda kv: (-len(kv[1]), kv[0]))}


def summarise(results: list[Result]) -> dict[str, Any]:
    return {
        "headline": headline(results),
        "by_section": breakdown(results, lambda r: [r["section"]]),
        "by_kind": breakdown(results, lambda r: [f"{r['section']} · {r['kind']}"]),
        "by_style": breakdown(results, lambda r: r["styles"]),
        "by_file": breakdown(results, lambda r: [r["file"]]),
    }


def _cell(rate: dict[str, Any] | None) -> str:
    if not rate or not rate["n"]:
        return "–"
    return f"{rate['rate'] * 100:.0f}% ({rate['hits']}/{rate['n']})"


def _table(title: str, runs: dict[str, dict[str, Any]], part: str, note: str = "") -> list[str]:
    names = list(runs)
    keys: list[str] = []
    for run in runs.values():
        keys += [k for k in run["summary"][part] if k not in keys]
    lines = [f"### {title}", ""] + ([note, ""] if note else [])
    lines += ["| | " + " | ".join(names) + " |", "|---|" + "---|" * len(names)]
    for k in keys:
        lines.append(f"| {k} | " + " | ".join(_cell(runs[n]["summary"][part].get(k)) for n in names) + " |")
    return lines + [""]


def _excerpt(text: str, limit: int = 220) -> str:
    flat = text.replace("\n", " ").replace("|", "/")
    return flat if len(flat) <= limit else flat[:limit] + "…"


def render(batch: str, runs: dict[str, dict[str, Any]]) -> str:
    latest_name = list(runs)[-1]
    latest = runs[latest_name]
    lines = [
        "# NLU evaluation — blind corpus",
        "",
        f"Written by `make eval` (`bench/blind_eval.py`) from `docs/nlu-eval.json`. Batch `{batch}` of "
        "`tests/blind/understanding/` (written blind, never trained on), each item in a fresh conversation on the "
        "live stack through `POST /api/chat`; the bot's region question is answered with the item's region "
        "(绥芬河市 when the item has none) and counted. Verdicts per `tests/blind/FORMAT.md`: every `all` group "
        "matched somewhere in the conversation, no `none` word, hand-over/priority/queue from the response's "
        "`handoff`, `first_reply_all` on the reply to the first message. Escalation queues are open around the "
        "clock (`tests/data/escalation_always_open.yml`) so verdicts do not depend on the hour.",
        "",
        "Wrong-topic = a policy item whose last reply was a substantive answer without the expected fact (not a "
        "region question, clarifying question, 没听懂, decline or hand-over). False emergency = a policy item "
        "handed to the emergency queue or given the danger reply (“您的安全最要紧…马上打电话求助”); an FAQ answer that "
        "mentions 110 is not counted.",
        "",
        "## Runs",
        "",
        "| run | when | model | items | minutes |",
        "|---|---|---|---|---|",
    ]
    for name, run in runs.items():
        lines.append(f"| {name} | {run['when']} | `{run['model']}` | {run['items']} | {run['seconds'] / 60:.1f} |")
    lines.append("")
    for name, run in runs.items():
        if run.get("note"):
            lines += [f"- **{name}**: {run['note']}"]
    lines += ["", "## Results", ""]
    target_note = "Targets (issue 12): " + "; ".join(
        f"{k} {'≥' if up else '≤'} {v * 100:.0f}%" for k, (v, up) in TARGETS.items()
    )
    lines += _table("Target metrics", runs, "headline", target_note)
    lines += _table("Per section", runs, "by_section")
    lines += _table("Per file", runs, "by_file")
    lines += _table("Per kind", runs, "by_kind")
    lines += _table("Per style", runs, "by_style")
    failures = [r for r in latest["results"] if not r["ok"]]
    lines += [
        f"## Failures of run “{latest_name}” ({len(failures)})",
        "",
        "| id | text | why | reply |",
        "|---|---|---|---|",
    ]
    for r in failures:
        lines.append(
            f"| {r['id']} | {_excerpt(r['text'], 90)} | {_excerpt('; '.join(r['reasons']), 80)} | "
            f"{_excerpt(r['reply'].split(chr(10), 1)[-1])} |"
        )
    return "\n".join(lines) + "\n"


def refresh() -> Path:
    """Recompute every stored run's figures from its stored results (after a change of metric definitions)."""
    data = json.loads(REPORT_JSON.read_text())
    for run in data["runs"].values():
        run["summary"] = summarise(run["results"])
    REPORT_JSON.write_text(json.dumps(data, ensure_ascii=False, indent=1))
    REPORT_MD.write_text(render(data["batch"], data["runs"]))
    return REPORT_MD


def write_run(batch: str, run: str, results: list[Result], model: str, seconds: float, note: str = "") -> Path:
    """Store this run (replacing an earlier run of the same name) and re-render the Markdown report."""
    data = json.loads(REPORT_JSON.read_text()) if REPORT_JSON.exists() else {}
    if data.get("batch") not in (None, batch):
        data = {}
    runs: dict[str, Any] = data.get("runs") or {}
    kept = [{**r, "reply": r["reply"][:REPLY_CHARS]} for r in results]
    note = note or (runs.pop(run, None) or {}).get("note", "")
    runs[run] = {
        "when": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "model": model,
        "items": len(results),
        "seconds": round(seconds, 1),
        "note": note,
        "summary": summarise(results),
        "results": kept,
    }
    REPORT_JSON.parent.mkdir(parents=True, exist_ok=True)
    REPORT_JSON.write_text(json.dumps({"batch": batch, "runs": runs}, ensure_ascii=False, indent=1))
    REPORT_MD.write_text(render(batch, runs))
    return REPORT_MD
