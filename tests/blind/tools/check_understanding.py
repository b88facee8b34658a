#!/usr/bin/env python3
"""Check the blind understanding corpus against FORMAT.md section 1.

Loads every *.yml / *.yaml under understanding/ (any batch), checks the schema (required keys, allowed values,
unique ids, section-specific rules for `expect`) and prints counts by file, section, kind, style and region.

Usage: python3 check_understanding.py [ROOT]      (ROOT defaults to ../understanding next to this script)
Exit status: 1 if any error was found, else 0. Warnings do not change the exit status.
Optional: if the two plans are found (SEEDS env var or ../shared/seeds beside the project), warns when an item
text copies a long run of characters from a plan.
"""

import collections
import glob
import os
import re
import sys

import yaml

SECTIONS = {"policy", "escalation", "out_of_scope", "noisy"}
KINDS = {
    "escalation": {"life_safety", "self_harm", "complaint", "human_request", "repeated"},
    "out_of_scope": {"other_government", "medical", "weather", "lottery", "chit_chat", "task", "other"},
    "noisy": {
        "digits_only",
        "emoji",
        "repeated_char",
        "traditional",
        "pinyin",
        "english",
        "injection",
        "garbled",
        "mixed",
    },
}
STYLES = {
    "elderly",
    "family",
    "dialect_suifenhe",
    "dialect_lucheng",
    "asr",
    "pinyin_typo",
    "deaf_l2",
    "intellectual",
    "long_story",
    "multi_fact",
    "multi_question",
    "angry",
    "despair",
    "hypothetical",
    "traditional",
    "pinyin",
    "english",
    "plain",
}
REGIONS = {"绥芬河市", "潞城区", None}
ITEM_KEYS_REQUIRED = {"id", "section", "kind", "styles", "region", "expect"}
ITEM_KEYS_ALLOWED = ITEM_KEYS_REQUIRED | {"text", "turns", "source", "note"}
EXPECT_KEYS = {"all", "none", "handover", "priority", "queue", "first_reply_all", "no_queue_position"}
QUEUES = {"12385", "12345", "emergency"}
PRIORITIES = {"high", "normal"}
EMERGENCY_NUMBERS = {"110", "120", "119"}
ID_RE = re.compile(r"^b\d+-[a-z]+(-[a-z0-9]+)+$")  # also b1-pol-l-0001 (sub-series per author)
COPY_WINDOW = 14  # characters copied verbatim from a plan that trigger a warning


class Report:
    def __init__(self):
        self.errors, self.warnings = [], []

    def err(self, where, msg):
        self.errors.append(f"ERROR {where}: {msg}")

    def warn(self, where, msg):
        self.warnings.append(f"warn  {where}: {msg}")


def is_groups(v):
    return (
        isinstance(v, list)
        and len(v) > 0
        and all(isinstance(g, list) and len(g) > 0 and all(isinstance(w, str) and w.strip() for w in g) for g in v)
    )


def load_plans():
    d = os.environ.get("SEEDS") or os.path.join(os.path.dirname(os.path.abspath(__file__)), "../../../../shared/seeds")
    text = ""
    for p in sorted(glob.glob(os.path.join(d, "*.txt"))):
        with open(p, encoding="utf-8", errors="replace") as f:
            text += f.read()
    return re.sub(r"\s+", "", text)


def check_expect(rep, where, it):
    ex = it.get("expect")
    if not isinstance(ex, dict):
        rep.err(where, "expect must be a mapping")
        return
    for k in ex:
        if k not in EXPECT_KEYS:
            rep.err(where, f"unknown expect key {k!r}")
    for k in ("all", "first_reply_all"):
        if k in ex and ex[k] not in ([], None) and not is_groups(ex[k]):
            rep.err(where, f"expect.{k} must be a list of non-empty lists of non-empty strings")
    if "none" in ex and ex["none"] is not None:
        if not (isinstance(ex["none"], list) and all(isinstance(w, str) and w.strip() for w in ex["none"])):
            rep.err(where, "expect.none must be a list of non-empty strings")
    for k in ("handover", "no_queue_position"):
        if k in ex and not isinstance(ex[k], bool):
            rep.err(where, f"expect.{k} must be true/false")
    ho = ex.get("handover")
    if "priority" in ex:
        if ex["priority"] not in PRIORITIES:
            rep.err(where, f"expect.priority {ex['priority']!r} not in {sorted(PRIORITIES)}")
        if ho is not True:
            rep.err(where, "expect.priority only allowed with handover: true")
    if "queue" in ex:
        if str(ex["queue"]) not in QUEUES or not isinstance(ex["queue"], str):
            rep.err(where, f"expect.queue {ex['queue']!r} must be a quoted string in {sorted(QUEUES)}")
        if ho is not True:
            rep.err(where, "expect.queue only allowed with handover: true")
        if it.get("region") == "潞城区" and ex["queue"] == "12385":
            rep.err(where, "潞城区 routes everything to 12345, not 12385")
    # words that must appear and must not appear at once
    nones = set(ex.get("none") or [])
    for g in (ex.get("all") or []) + (ex.get("first_reply_all") or []):
        if isinstance(g, list) and g and all(w in nones for w in g):
            rep.err(where, f"group {g} can never match: all its words are in expect.none")
    # the other region's hotline
    if it.get("region") == "潞城区":
        for g in ex.get("all") or []:
            if isinstance(g, list) and g == ["12385"]:
                rep.err(where, "潞城区 item requires 12385")

    sec, kind = it.get("section"), it.get("kind")
    fra = ex.get("first_reply_all") or []
    flat_fra = {w for g in fra if isinstance(g, list) for w in g}
    if sec == "escalation":
        if kind in ("life_safety", "self_harm"):
            if ho is not True:
                rep.err(where, f"{kind} needs handover: true")
            if not any(isinstance(g, list) and EMERGENCY_NUMBERS & set(g) for g in fra):
                rep.err(where, f"{kind} needs a first_reply_all group with 110/120/119")
        if kind == "self_harm":
            if "12356" not in flat_fra:
                rep.err(where, "self_harm needs 12356 in first_reply_all")
            if ex.get("no_queue_position") is not True:
                rep.err(where, "self_harm needs no_queue_position: true")
        if kind in ("complaint", "human_request", "repeated") and ho is not True:
            rep.err(where, f"{kind} needs handover: true")
        if kind == "complaint" and ex.get("priority") != "high":
            rep.err(where, "complaint needs priority: high")
        if kind == "repeated":
            turns = it.get("turns")
            if not (isinstance(turns, list) and len(turns) >= 2):
                rep.err(where, "repeated needs turns: with at least 2 messages")
        if kind in ("complaint", "human_request", "repeated") and "queue" not in ex and it.get("region"):
            rep.warn(where, "region is known but no queue given")
    elif sec == "policy":
        if not is_groups(ex.get("all")):
            rep.err(where, "policy item needs expect.all groups")
        if "hypothetical" in (it.get("styles") or []) and ho is not False:
            rep.err(where, "hypothetical policy item needs handover: false")
        if fra:
            rep.warn(where, "policy item with first_reply_all")
    elif sec == "out_of_scope":
        if ho is True:
            rep.warn(where, "out_of_scope with handover: true (only if it is really a person's job)")
        if "没听懂" not in (ex.get("none") or []):
            rep.warn(where, "out_of_scope without none: [没听懂]")
        if not is_groups(ex.get("all")):
            rep.warn(where, "out_of_scope without an expected redirect in all")
    elif sec == "noisy":
        if not ex:
            rep.err(where, "noisy item with an empty expect")

    # a group that the question itself already satisfies is weak (an echo passes it)
    text = it.get("text") if isinstance(it.get("text"), str) else " ".join(it.get("turns") or [])
    for g in ex.get("all") or []:
        if (
            isinstance(g, list)
            and g
            and all(isinstance(w, str) for w in g)
            and any(w in text for w in g)
            and sec in ("policy", "noisy")
        ):
            rep.warn(where, f"group {g} is partly matched by the question text itself")


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    root = sys.argv[1] if len(sys.argv) > 1 else os.path.join(here, "..", "understanding")
    root = os.path.abspath(root)
    files = sorted(
        glob.glob(os.path.join(root, "**", "*.yml"), recursive=True)
        + glob.glob(os.path.join(root, "**", "*.yaml"), recursive=True)
    )
    rep = Report()
    plans = load_plans()
    if not files:
        print(f"no YAML files under {root}")
        return 1
    ids = {}
    by_file = collections.Counter()
    by_file_kind = collections.defaultdict(collections.Counter)
    by_section = collections.Counter()
    by_kind = collections.defaultdict(collections.Counter)
    by_style = collections.Counter()
    by_region = collections.Counter()
    by_section_region = collections.defaultdict(collections.Counter)
    for path in files:
        rel = os.path.relpath(path, root)
        try:
            with open(path, encoding="utf-8") as f:
                doc = yaml.safe_load(f)
        except Exception as e:  # noqa: BLE001
            rep.err(rel, f"YAML does not parse: {e}")
            continue
        if not isinstance(doc, dict) or set(doc) != {"items"} or not isinstance(doc["items"], list):
            rep.err(rel, "top level must be a mapping with the single key `items:` holding a list")
            continue
        stem = os.path.splitext(os.path.basename(path))[0]
        batch = os.path.basename(os.path.dirname(path))
        for i, it in enumerate(doc["items"]):
            where = f"{rel}#{i}"
            if not isinstance(it, dict):
                rep.err(where, "item is not a mapping")
                continue
            iid = it.get("id")
            where = f"{rel}:{iid}"
            missing = ITEM_KEYS_REQUIRED - set(it)
            if missing:
                rep.err(where, f"missing keys {sorted(missing)}")
            for k in it:
                if k not in ITEM_KEYS_ALLOWED:
                    rep.err(where, f"unknown key {k!r}")
            if not isinstance(iid, str) or not ID_RE.match(iid):
                rep.err(where, "id must look like b1-xxx-001 or b1-xxx-x-0001")
            else:
                if iid in ids:
                    rep.err(where, f"duplicate id (also in {ids[iid]})")
                ids[iid] = rel
                if not iid.startswith(batch + "-"):
                    rep.warn(where, f"id does not start with the batch name {batch!r}")
            sec = it.get("section")
            if sec not in SECTIONS:
                rep.err(where, f"section {sec!r} not in {sorted(SECTIONS)}")
            elif not stem.startswith(sec):
                rep.err(where, f"section {sec!r} does not match file name {stem!r}")
            kind = it.get("kind")
            if sec in KINDS:
                if kind not in KINDS[sec]:
                    rep.err(where, f"kind {kind!r} not allowed in {sec}")
            elif not (isinstance(kind, str) and kind.strip()):
                rep.err(where, "policy kind must be a non-empty string")
            styles = it.get("styles")
            if not (isinstance(styles, list) and 1 <= len(styles) <= 3):
                rep.err(where, "styles must be a list of 1-3 labels")
                styles = styles if isinstance(styles, list) else []
            for s in styles:
                if s not in STYLES:
                    rep.err(where, f"unknown style {s!r}")
            if len(set(map(str, styles))) != len(styles):
                rep.err(where, "duplicate style")
            region = it.get("region", "<missing>")
            if region not in REGIONS:
                rep.err(where, f"region {region!r} must be 绥芬河市, 潞城区 or null")
            has_text, has_turns = "text" in it, "turns" in it
            if has_text == has_turns:
                rep.err(where, "exactly one of text / turns is required")
            elif has_text and not (isinstance(it["text"], str) and it["text"].strip()):
                rep.err(where, "text must be a non-empty string")
            elif has_turns and not (
                isinstance(it["turns"], list)
                and it["turns"]
                and all(isinstance(t, str) and t.strip() for t in it["turns"])
            ):
                rep.err(where, "turns must be a non-empty list of non-empty strings")
            for k in ("source", "note"):
                if k in it and it[k] is not None and not isinstance(it[k], str):
                    rep.err(where, f"{k} must be a string")
            check_expect(rep, where, it)
            if plans:
                msgs = [it.get("text")] if has_text else (it.get("turns") or [])
                for m in msgs:
                    if not isinstance(m, str):
                        continue
                    s = re.sub(r"\s+", "", m)
                    for j in range(0, max(0, len(s) - COPY_WINDOW) + 1):
                        w = s[j : j + COPY_WINDOW]
                        if len(w) == COPY_WINDOW and w in plans:
                            rep.warn(where, f"text copies the plan: {w!r}")
                            break
            by_file[rel] += 1
            by_file_kind[rel][kind] += 1
            by_section[sec] += 1
            by_kind[sec][kind if sec != "policy" else ("hypothetical" if "hypothetical" in styles else "policy")] += 1
            for s in styles:
                by_style[s] += 1
            by_region[str(region)] += 1
            by_section_region[sec][str(region)] += 1

    print(f"== {len(files)} file(s), {sum(by_file.values())} items under {root}")
    print("\n-- by file and kind")
    for rel in sorted(by_file):
        print(
            f"{rel:45s} {by_file[rel]:4d}   "
            + ", ".join(f"{k}={v}" for k, v in sorted(by_file_kind[rel].items(), key=lambda x: -x[1]))
        )
    print("\n-- by section")
    for sec, n in sorted(by_section.items(), key=lambda x: str(x[0])):
        kinds = ", ".join(f"{k}={v}" for k, v in sorted(by_kind[sec].items(), key=lambda x: -x[1]))
        print(f"{str(sec):14s} {n:4d}   {kinds}")
    print("\n-- by region")
    for r, n in sorted(by_region.items()):
        per = ", ".join(
            f"{sec}={c[r]}" for sec, c in sorted(by_section_region.items(), key=lambda x: str(x[0])) if c[r]
        )
        print(f"{r:8s} {n:4d}   {per}")
    print("\n-- by style")
    for s, n in sorted(by_style.items(), key=lambda x: -x[1]):
        print(f"{s:18s} {n:4d}")
    if rep.warnings:
        print(f"\n-- {len(rep.warnings)} warning(s)")
        for w in rep.warnings:
            print(w)
    if rep.errors:
        print(f"\n-- {len(rep.errors)} error(s)")
        for e in rep.errors:
            print(e)
        return 1
    print("\nOK: no schema errors")
    return 0


if __name__ == "__main__":
    sys.exit(main())
