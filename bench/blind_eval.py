"""`make eval`: run the blind understanding corpus (tests/blind/understanding/<batch>/) against a live stack.

Each item gets a fresh conversation on POST /api/chat. When the bot asks where the resident lives, the runner answers
with the item's region (绥芬河市 when the item has none) — by pressing the region button when there is one — and
counts the question. Verdicts follow tests/blind/FORMAT.md (bench/blind_checks.py); figures and failures go to
docs/nlu-eval.md and docs/nlu-eval.json (bench/blind_report.py), one section per named run (RUN=baseline|after|…).

    make eval                      # batch b1, run name "latest"
    make eval BATCH=b1 RUN=after   # named run; the report keeps every named run for comparison

The blind items are never training data: this module only reads them.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import json
import os
import time
import uuid
from pathlib import Path
from typing import Any

import httpx

from bench.blind_checks import (
    DEFAULT_REGION,
    REGIONS,
    Turn,
    evaluate,
    is_region_question,
    item_turns,
    load_items,
    reply_kind,
    topic_button,
)
from bench.blind_report import refresh, write_run
from bench.stack import cleanup, start_stack
from bot.core.config import PROJECT_ROOT

BLIND_DIR = PROJECT_ROOT / "tests" / "blind" / "understanding"
LOG_DIR = PROJECT_ROOT / "results" / "blind-eval"  # per-run JSON lines, for --resume (not committed)
ALWAYS_OPEN = PROJECT_ROOT / "tests" / "data" / "escalation_always_open.yml"  # verdicts must not depend on the hour
MAX_REGION_ANSWERS = 2  # answer the region question at most this often per item (a loop is a failure, not a hang)
KEY_HEADER = "X-Conversation-Key"


class Resident:
    """One item's conversation with /api/chat (keeps the conversation key like the web chat)."""

    def __init__(self, http: httpx.Client) -> None:
        self.http = http
        self.sender = "ev" + uuid.uuid4().hex[:16]
        self.key: str | None = None

    def say(self, text: str, region_answer: bool = False) -> Turn:
        headers = {KEY_HEADER: self.key} if self.key else {}
        response = self.http.post("/api/chat", json={"sender_id": self.sender, "text": text}, headers=headers)
        self.key = response.headers.get(KEY_HEADER) or self.key
        if response.status_code != 200:
            return Turn(text, f"[HTTP {response.status_code}] {response.text[:200]}", region_answer=region_answer)
        body = response.json()
        messages = body.get("messages") or []
        return Turn(
            said=text,
            text="\n".join(m.get("text") or "" for m in messages),
            buttons=[b for m in messages for b in (m.get("buttons") or [])],
            handoff=body.get("handoff"),
            region_answer=region_answer,
        )


def region_question_to_answer(turn: Turn) -> bool:
    """The bot asked the region: before a hand-over, or in the hand-over's own reply with region buttons."""
    taps = not turn.handoff or any(b.get("title") in REGIONS for b in turn.buttons)
    return taps and is_region_question(turn.text, turn.buttons)


def region_reply(region: str, turn: Turn) -> str:
    """What the resident sends to the region question: the button for their region, else the name."""
    for button in turn.buttons:
        if button.get("title") == region:
            return button.get("payload") or region
    return region


def run_item(base_url: str, item: dict[str, Any]) -> dict[str, Any]:
    """Play one item and return its record (transcript + verdict)."""
    region = item.get("region") or DEFAULT_REGION
    turns: list[Turn] = []
    pressed: str | None = None
    with httpx.Client(base_url=base_url, timeout=120) as http:
        resident = Resident(http)
        answers = 0

        def say(text: str) -> None:
            nonlocal answers
            turn = resident.say(text)
            turns.append(turn)
            # A hand-over from an unknown region is made at once and asks where in the same reply (its region
            # buttons): the resident taps theirs too, and the ticket moves to that region's line.
            while answers < MAX_REGION_ANSWERS and region_question_to_answer(turn):
                answers += 1
                turn = resident.say(region_reply(region, turn), region_answer=True)
                turns.append(turn)

        for text in item_turns(item):
            say(text)
        outcome = evaluate(item, turns)
        button = topic_button(str(item.get("kind") or ""), turns[-1].buttons) if turns else None
        if item.get("section") == "policy" and button and reply_kind(turns[-1]) == "clarify":
            pressed = str(button.get("title"))
            say(str(button.get("payload")))  # a separate figure: the single-turn and after-region verdicts stay
    after_button = evaluate(item, turns) if pressed else outcome
    return {
        "id": item["id"],
        "file": item["file"],
        "section": item.get("section"),
        "kind": str(item.get("kind")),
        "styles": list(item.get("styles") or []),
        "region": item.get("region"),
        "text": " ⏎ ".join(item_turns(item)),
        "ok": outcome.ok,
        "reasons": outcome.reasons,
        "single_turn_ok": outcome.single_turn_ok,
        "button_ok": after_button.ok,  # policy: the fact after the resident pressed their topic's "您是想问…" button
        "button_pressed": pressed,
        "region_questions": outcome.region_questions,
        "first_kind": outcome.first_kind,
        "final_kind": outcome.final_kind,
        "handed_over": outcome.handed_over,
        "handoff": {k: outcome.handoff.get(k) for k in ("queue", "priority")} if outcome.handoff else None,
        "reply": "\n".join(f"{'→' if t.region_answer else '>'} {t.said}\n{t.text}" for t in turns),
    }


def run_batch(
    base_url: str, items: list[dict[str, Any]], workers: int, log: Path | None = None
) -> list[dict[str, Any]]:
    """Play the items (in parallel conversations); each record is also appended to `log` (JSON lines) as it ends, so
    an interrupted run can be resumed (`--resume`)."""
    with concurrent.futures.ThreadPoolExecutor(max_workers=workers) as pool:
        futures = {pool.submit(run_item, base_url, item): item["id"] for item in items}
        results: dict[str, dict[str, Any]] = {}
        for done, future in enumerate(concurrent.futures.as_completed(futures), 1):
            record = future.result()
            results[record["id"]] = record
            if log:
                with log.open("a") as handle:
                    handle.write(json.dumps(record, ensure_ascii=False) + "\n")
            if done % 50 == 0:
                print(f"  {done}/{len(items)} items", flush=True)
    return [results[item["id"]] for item in items]


def logged(log: Path) -> dict[str, dict[str, Any]]:
    """Records of an earlier, interrupted run of the same name."""
    if not log.exists():
        return {}
    records = [json.loads(line) for line in log.read_text().splitlines() if line.strip()]
    return {r["id"]: r for r in records}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--batch", default=os.environ.get("BATCH") or "b1")
    parser.add_argument("--run", default=os.environ.get("RUN") or "latest", help="name of this run in the report")
    parser.add_argument("--workers", type=int, default=int(os.environ.get("EVAL_WORKERS") or 3))
    parser.add_argument("--note", default=os.environ.get("NOTE") or "", help="what this run measures")
    parser.add_argument("--only", default="", help="run only items whose id starts with this (debugging)")
    parser.add_argument("--every", type=int, default=1, help="a sample: every n-th of the chosen items (1 = all)")
    parser.add_argument("--url", default="", help="an already running gateway instead of a fresh stack")
    parser.add_argument("--model", default=os.environ.get("EVAL_MODEL") or "", help="model file (default: current)")
    parser.add_argument("--resume", action="store_true", help="keep the items an interrupted run of this name ended")
    parser.add_argument("--refresh", action="store_true", help="only recompute the report from the stored runs")
    args = parser.parse_args()
    if args.refresh:
        print(f"written to {refresh()}")
        return
    items = [i for i in load_items(BLIND_DIR / args.batch) if str(i["id"]).startswith(args.only)]
    items = items[:: max(1, args.every)]
    LOG_DIR.mkdir(parents=True, exist_ok=True)
    log = LOG_DIR / f"{args.batch}-{args.run}.jsonl"
    earlier = logged(log) if args.resume else {}
    if not args.resume:
        log.unlink(missing_ok=True)
    todo = [i for i in items if i["id"] not in earlier]
    print(f">> {len(items)} blind items of batch {args.batch}, {len(todo)} to play", flush=True)
    started = time.monotonic()
    if args.url:
        played = run_batch(args.url, todo, args.workers, log)
        model = "running stack"
    else:
        model_file = Path(args.model) if args.model else None
        stack, prefix = start_stack({"ESCALATION_CONFIG": str(ALWAYS_OPEN)}, model=model_file)
        try:
            played = run_batch(stack.url, todo, args.workers, log)
        finally:
            cleanup(stack, prefix)
        model = Path(stack.config.model).name
    by_id = {**earlier, **{r["id"]: r for r in played}}
    results = [by_id[i["id"]] for i in items]
    report = write_run(args.batch, args.run, results, model=model, seconds=time.monotonic() - started, note=args.note)
    print(f"written to {report}")


if __name__ == "__main__":
    main()
