#!/usr/bin/env python3
"""Check the blind intake scripts (FORMAT.md section 2) and print coverage counts.

    python3 check_intake.py [path/to/scripts.yml ...]      (default: ../intake/*/scripts.yml)

Errors make the exit status 1; warnings are printed but do not fail.
Checks: schema; GB 11643 check digits; 残疾人证号 = ID + category (1-7) + level (1-4); region vs ID prefix;
town vs region; child birth date vs ID and age 0-6; ages for 托养 (16-59); proxy gender vs ID; `say` attempts
(last one = the fact, earlier ones wrong in the intended way); long digit strings in openings/events match a fact;
policy-question expectations found in the region's plan text; coverage minima from the brief.
"""

import collections
import datetime as dt
import glob
import os
import re
import sys

import yaml

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ids import CATEGORIES, birth_of, is_valid_id  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
REF_DATE = dt.date(2026, 11, 30)  # date the batch was written; ages are computed at this date
_SEEDS_DIR = os.environ.get("SEEDS") or os.path.join(
    os.path.dirname(os.path.abspath(__file__)), "../../../../shared/seeds"
)
SEEDS = {
    "绥芬河市": os.path.join(_SEEDS_DIR, "000_be6f3973f1e811d2.txt"),
    "潞城区": os.path.join(_SEEDS_DIR, "001_6439bcf8f5fc4d9a.txt"),
}

BENEFITS = [
    "困难残疾人生活补贴",
    "重度残疾人护理补贴",
    "家庭无障碍改造",
    "辅助器具适配",
    "残疾儿童康复救助",
    "机动轮椅车燃油补贴",
    "托养服务",
]
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
PREFIX = {"绥芬河市": "231081", "潞城区": "140406"}
TOWNS = {
    "绥芬河市": {"绥芬河镇", "阜宁镇"},
    "潞城区": {"潞华街道", "成家川街道", "店上镇", "微子镇", "辛安泉镇", "黄牛蹄乡", "合室乡", "史回镇"},
}
HOUSEHOLDS = {"低保", "低保边缘", "特困", "无"}
FEMALE_REL = {"母亲", "女儿", "妻子", "奶奶", "外婆", "孙女", "姐姐", "妹妹", "婆婆", "岳母"}
MALE_REL = {"父亲", "儿子", "丈夫", "爷爷", "外公", "孙子", "哥哥", "弟弟", "公公", "岳父"}
RELATIONS = FEMALE_REL | MALE_REL | {"其他亲属"}
FACT_KEYS = [
    "for_self",
    "applicant_name",
    "id_number",
    "card_number",
    "phone",
    "region",
    "town",
    "address",
    "household",
    "proxy_name",
    "proxy_relation",
    "proxy_phone",
    "child_birth_date",
    "device",
    "extra",
]
PROXY_KEYS = {"proxy_name", "proxy_relation", "proxy_phone"}
SCRIPT_KEYS = {"id", "title", "styles", "benefit", "opening", "facts", "say", "events", "expect"}
REQUIRED_SCRIPT_KEYS = {"id", "title", "styles", "benefit", "opening", "facts", "expect"}
EVENT_KEYS = {"when_asked", "say", "set", "expect_reply_all"}
NUMERIC = {"id_number", "card_number", "phone", "proxy_phone"}
DIALECT_WORDS = {
    "dialect_suifenhe": ["咋", "啥", "整", "贼", "嘎哈", "唠", "得劲", "俺"],
    "dialect_lucheng": ["俺", "甚", "娃", "中不中", "圪", "哩", "中"],
}

FULLWIDTH = {chr(0xFF10 + i): str(i) for i in range(10)}
FULLWIDTH.update({"Ｘ": "X", "ｘ": "X", "\u3000": " ", "－": "-"})
SPOKEN = {
    "幺": "1",
    "一": "1",
    "两": "2",
    "二": "2",
    "三": "3",
    "四": "4",
    "五": "5",
    "六": "6",
    "七": "7",
    "拐": "7",
    "八": "8",
    "九": "9",
    "勾": "9",
    "洞": "0",
    "零": "0",
    "〇": "0",
    "叉": "X",
}
PHONE_RE = re.compile(r"^1[358]\d{9}$")

errors, warnings = [], []


def err(sid, msg):
    errors.append(f"{sid}: {msg}")


def warn(sid, msg):
    warnings.append(f"{sid}: {msg}")


def has_fullwidth(s):
    return any(0xFF10 <= ord(c) <= 0xFF19 for c in s)


def has_spoken(s):
    return any(c in "幺两洞叉" for c in s)


def to_digits(s):
    """The number a resident typed or said: full-width → ASCII, spoken digits → digits (only when the text has no
    ASCII digits), separators between digits dropped; the longest run of digits/X is the number."""
    t = "".join(FULLWIDTH.get(c, c) for c in s)
    if not re.search(r"\d", t):
        t = "".join(SPOKEN.get(c, c) for c in t)
    t = re.sub(r"(?<=[0-9Xx])[\s\-]+(?=[0-9Xx])", "", t)
    runs = re.findall(r"[0-9Xx]+", t)
    return max(runs, key=len).upper() if runs else ""


def long_numbers(s):
    """Digit strings of 11+ characters in free text (openings, event messages)."""
    t = "".join(FULLWIDTH.get(c, c) for c in s)
    t = re.sub(r"(?<=\d)[ \-]+(?=\d)", "", t)
    return [m.upper() for m in re.findall(r"\d{11,}[Xx]?", t)]


def age_at(birth, ref=REF_DATE):
    return ref.year - birth.year - ((ref.month, ref.day) < (birth.month, birth.day))


def check_card(sid, idn, card, where):
    if card is None:
        return None
    if not isinstance(card, str) or len(card) != 20:
        err(sid, f"{where}: card_number must be a 20-character string, got {card!r}")
        return None
    if card[:18] != idn:
        err(sid, f"{where}: card_number {card} does not start with id_number {idn}")
    if card[18] not in CATEGORIES or card[19] not in "1234":
        err(sid, f"{where}: card_number {card} has invalid category/level {card[18:]}")
        return None
    return int(card[18]), int(card[19])


def check_record(sid, benefit, f, where):
    """Check one record (the facts as first said, or the final record after corrections)."""
    region = f.get("region")
    if region not in PREFIX:
        err(sid, f"{where}: region {region!r} not 绥芬河市/潞城区")
        return
    idn = f.get("id_number")
    if not isinstance(idn, str) or not is_valid_id(idn):
        err(sid, f"{where}: id_number {idn!r} fails GB 11643 check digit")
        return
    if idn != idn.upper():
        err(sid, f"{where}: id_number should use upper-case X")
    if not idn.startswith(PREFIX[region]):
        err(sid, f"{where}: id_number prefix {idn[:6]} does not match region {region}")
    try:
        birth = dt.date.fromisoformat(birth_of(idn))
    except ValueError:
        err(sid, f"{where}: id_number has impossible birth date {birth_of(idn)}")
        return
    age = age_at(birth)
    catlvl = check_card(sid, idn, f.get("card_number"), where)
    if f.get("town") not in TOWNS[region]:
        err(sid, f"{where}: town {f.get('town')!r} not in {region}")
    addr = f.get("address")
    if not isinstance(addr, str) or not addr:
        err(sid, f"{where}: address missing")
    elif not addr.startswith(f.get("town") or "?"):
        warn(sid, f"{where}: address {addr!r} does not start with town {f.get('town')}")
    if f.get("household") not in HOUSEHOLDS:
        err(sid, f"{where}: household {f.get('household')!r}")
    for k in ("phone",) + (("proxy_phone",) if not f.get("for_self") else ()):
        if not isinstance(f.get(k), str) or not PHONE_RE.match(f[k]):
            err(sid, f"{where}: {k} {f.get(k)!r} is not an 11-digit 13x/15x/18x string")
    if not isinstance(f.get("applicant_name"), str) or not re.fullmatch(r"[\u4e00-\u9fff]{2,3}", f["applicant_name"]):
        err(sid, f"{where}: applicant_name {f.get('applicant_name')!r} is not a 2-3 character Chinese name")
    if not f.get("for_self"):
        if not re.fullmatch(r"[\u4e00-\u9fff]{2,3}", str(f.get("proxy_name"))):
            err(sid, f"{where}: proxy_name {f.get('proxy_name')!r}")
        rel = f.get("proxy_relation")
        if rel not in RELATIONS:
            err(sid, f"{where}: proxy_relation {rel!r}")
        male = int(idn[16]) % 2 == 1
        if rel in FEMALE_REL and male or rel in MALE_REL and not male:
            err(sid, f"{where}: proxy_relation {rel} disagrees with the sex digit of {idn}")
    # child birth date
    cbd = f.get("child_birth_date")
    if benefit == "残疾儿童康复救助":
        if cbd != birth_of(idn):
            err(sid, f"{where}: child_birth_date {cbd!r} != ID birth date {birth_of(idn)}")
        if not 0 <= age <= 6:
            err(sid, f"{where}: child is {age} years old on {REF_DATE} (must be 0-6)")
        if f.get("for_self"):
            err(sid, f"{where}: child rehabilitation must be applied for by a parent (for_self false)")
        elif f.get("proxy_relation") not in {"儿子", "女儿"}:
            err(sid, f"{where}: child rehabilitation: proxy_relation should be 儿子/女儿 (a parent applies)")
    else:
        if cbd is not None:
            err(sid, f"{where}: child_birth_date must be null outside child rehabilitation")
        if age < 16:
            err(sid, f"{where}: applicant is {age} — too young for {benefit}")
        if age > 100:
            err(sid, f"{where}: applicant is {age}")
    # benefit-specific plausibility
    extra = f.get("extra")
    device = f.get("device")
    if benefit == "辅助器具适配":
        if not device:
            err(sid, f"{where}: 辅助器具适配 needs device")
    elif device is not None:
        warn(sid, f"{where}: device {device!r} set for {benefit}")
    if benefit == "机动轮椅车燃油补贴":
        if not {"车辆", "驾驶证"} <= set(extra or {}):
            err(sid, f"{where}: 燃油补贴 extra should hold 车辆 and 驾驶证")
        if catlvl and catlvl[0] != 4:
            warn(sid, f"{where}: 燃油补贴 for a non-肢体 card")
    if benefit == "托养服务":
        if "托养方式" not in (extra or {}):
            err(sid, f"{where}: 托养 extra should hold 托养方式")
        if not 16 <= age <= 59:
            err(sid, f"{where}: 托养 applicant is {age} (plans: 就业年龄段 16-59)")
        if catlvl and not (catlvl[0] in (5, 6) or catlvl[0] in (4, 7) and catlvl[1] <= 2):
            warn(sid, f"{where}: 托养 for category/level {catlvl} (plans: 智力、精神、重度肢体)")
    if benefit == "重度残疾人护理补贴" and catlvl and catlvl[1] > 2 and catlvl[0] not in (5, 6):
        warn(sid, f"{where}: 护理补贴 for level {catlvl[1]}")
    if benefit in ("困难残疾人生活补贴", "家庭无障碍改造") and f.get("household") == "无":
        warn(sid, f"{where}: {benefit} for a household that is neither 低保 nor 特困/低保边缘")
    if benefit != "残疾儿童康复救助" and f.get("card_number") is None:
        warn(sid, f"{where}: no 残疾人证 for {benefit}")
    if extra is not None and not (
        isinstance(extra, dict) and all(isinstance(k, str) and isinstance(v, str) for k, v in extra.items())
    ):
        err(sid, f"{where}: extra must map plain Chinese keys to string values")


def check_say(sid, name, value, fact, feats):
    attempts = value if isinstance(value, list) else [value]
    if not attempts or not all(isinstance(a, str) and a for a in attempts):
        err(sid, f"say.{name}: must be a non-empty string or list of strings")
        return
    for a in attempts:
        if has_fullwidth(a):
            feats["fullwidth"] += 1
        if name in NUMERIC and has_spoken(a):
            feats["spoken"] += 1
        if name in NUMERIC and re.search(r"[0-9０-９幺两洞叉][\s\-－][0-9０-９幺两洞叉]", a):
            feats["spaces_dashes"] += 1
    if name not in NUMERIC:
        if isinstance(value, list):
            warn(sid, f"say.{name}: attempts list on a non-numeric field")
        return
    if fact is None:
        return
    final = to_digits(attempts[-1])
    if final != fact:
        err(sid, f"say.{name}: last attempt reads as {final!r}, fact is {fact!r}")
    for a in attempts[:-1]:
        d = to_digits(a)
        if d == fact:
            err(sid, f"say.{name}: earlier attempt {a!r} is already the right value")
        elif name == "id_number":
            if is_valid_id(d):
                warn(sid, f"say.id_number: wrong attempt {d} has a valid check digit")
            else:
                feats["wrong_id_check"] += 1
        elif name == "card_number":
            if d[:18] == fact[:18]:
                warn(sid, f"say.card_number: wrong attempt {d} matches the ID")
            else:
                feats["card_mismatch"] += 1
        elif name in ("phone", "proxy_phone"):
            if len(d) == 11:
                warn(sid, f"say.{name}: wrong attempt {d} has 11 digits")
            else:
                feats["phone_length"] += 1


def plan_text(region):
    with open(SEEDS[region], encoding="utf-8") as fh:
        return re.sub(r"\s+", "", fh.read())


def check_script(s, seen, feats_all, plans):
    sid = s.get("id", "?")
    feats = collections.Counter()
    unknown = set(s) - SCRIPT_KEYS
    if unknown:
        err(sid, f"unknown keys {sorted(unknown)}")
    missing = REQUIRED_SCRIPT_KEYS - set(s)
    if missing:
        err(sid, f"missing keys {sorted(missing)}")
        return None
    if not re.fullmatch(r"b\d+-app-\d{3}", sid):
        err(sid, "id must look like b1-app-001")
    if sid in seen:
        err(sid, "duplicate id")
    seen.add(sid)
    styles = s["styles"]
    if not isinstance(styles, list) or not styles or not set(styles) <= STYLES:
        err(sid, f"styles {styles!r} not from the style list")
        styles = [x for x in styles or [] if x in STYLES]
    if len(styles) > 3:
        warn(sid, "more than 3 styles")
    benefit = s["benefit"]
    if benefit not in BENEFITS:
        err(sid, f"benefit {benefit!r}")
    if not isinstance(s["opening"], str) or not s["opening"].strip():
        err(sid, "opening must be a non-empty string")
    f = s["facts"]
    if not isinstance(f, dict):
        err(sid, "facts must be a mapping")
        return None
    unknown = set(f) - set(FACT_KEYS)
    if unknown:
        err(sid, f"unknown fact keys {sorted(unknown)}")
    need = set(FACT_KEYS) - (PROXY_KEYS if f.get("for_self") else set())
    if set(need) - set(f):
        err(sid, f"missing fact keys {sorted(set(need) - set(f))}")
    if not isinstance(f.get("for_self"), bool):
        err(sid, "for_self must be true/false")
    if f.get("for_self") and any(f.get(k) is not None for k in PROXY_KEYS):
        err(sid, "proxy_* given although for_self is true")
    if "family" in styles and f.get("for_self"):
        warn(sid, "style family but for_self true")
    if not f.get("for_self") and "family" not in styles:
        warn(sid, "applying for someone else but style family missing")
    for k in NUMERIC:
        if f.get(k) is not None and not isinstance(f[k], str):
            err(sid, f"{k} must be a quoted string")
    check_record(sid, benefit, f, "facts")

    # say
    say = s.get("say") or {}
    if not isinstance(say, dict):
        err(sid, "say must be a mapping")
        say = {}
    for k, v in say.items():
        if k not in FACT_KEYS:
            err(sid, f"say key {k!r} is not a fact name")
            continue
        if k == "extra":
            err(sid, "say.extra: extra is a mapping; phrase its values in the opening instead")
            continue
        check_say(sid, k, v, f.get(k), feats)

    # events
    final = dict(f)
    events = s.get("events") or []
    if not isinstance(events, list):
        err(sid, "events must be a list")
        events = []
    known_numbers = {str(v) for v in f.values() if isinstance(v, str)}
    for v in say.values():
        for a in v if isinstance(v, list) else [v]:
            known_numbers.add(to_digits(str(a)))
    for i, e in enumerate(events):
        where = f"events[{i}]"
        if not isinstance(e, dict) or set(e) - EVENT_KEYS or "when_asked" not in e or "say" not in e:
            err(sid, f"{where}: needs when_asked + say (+ set, expect_reply_all), got {e!r}")
            continue
        if e["when_asked"] not in FACT_KEYS + ["consent", "readback"]:
            err(sid, f"{where}: when_asked {e['when_asked']!r}")
        if e["when_asked"] in ("town", "household", "extra", "device", "child_birth_date"):
            warn(sid, f"{where}: the bot may never ask {e['when_asked']} on its own — event might not fire")
        if has_fullwidth(e["say"]):
            feats["fullwidth"] += 1
        st = e.get("set")
        if st is not None:
            if not isinstance(st, dict) or set(st) - set(FACT_KEYS):
                err(sid, f"{where}: set must map fact names to values")
            else:
                final.update(st)
                known_numbers.update(str(v) for v in st.values())
                feats["correction_readback" if e["when_asked"] == "readback" else "correction_midform"] += 1
        era = e.get("expect_reply_all")
        if era is not None:
            if not (
                isinstance(era, list)
                and era
                and all(isinstance(g, list) and g and all(isinstance(w, str) and w for w in g) for g in era)
            ):
                err(sid, f"{where}: expect_reply_all must be a list of non-empty lists of strings")
            else:
                feats["policy_question"] += 1
                if e["when_asked"] == "consent":
                    feats["policy_question_at_consent"] += 1
                plan = plans[f.get("region")]
                for g in era:
                    if not any(w in plan for w in g):
                        warn(sid, f"{where}: none of {g} appears in the {f.get('region')} plan")
    if final != f:
        check_record(sid, benefit, final, "final record")

    # long digit strings in free text must be facts
    texts = [("opening", s["opening"])] + [
        (f"events[{i}].say", e["say"]) for i, e in enumerate(events) if isinstance(e, dict) and "say" in e
    ]
    for where, t in texts:
        if has_fullwidth(t):
            feats["fullwidth"] += 1 if where == "opening" else 0
        if re.search(r"\d[\-－]\d", t):
            feats["spaces_dashes"] += 1
        for n in long_numbers(t):
            if n not in known_numbers:
                err(sid, f"{where}: number {n} matches no fact")

    # dialect flavour
    for st_, words in DIALECT_WORDS.items():
        if st_ in styles:
            blob = s["opening"] + " ".join(e.get("say", "") for e in events if isinstance(e, dict))
            blob += " ".join(str(v) for v in say.values())
            if not any(w in blob for w in words):
                warn(sid, f"style {st_} but none of {words} in the resident's words")
    if st_ := ({"dialect_suifenhe", "dialect_lucheng"} & set(styles)):
        want = {"dialect_suifenhe": "绥芬河市", "dialect_lucheng": "潞城区"}[st_.pop()]
        if f.get("region") != want:
            err(sid, f"dialect style does not match region {f.get('region')}")

    # expect
    ex = s["expect"]
    if not isinstance(ex, dict) or not isinstance(ex.get("stored"), bool) or set(ex) - {"stored", "handover"}:
        err(sid, f"expect must be {{stored: bool, handover?: bool}}, got {ex!r}")
        ex = {"stored": True}
    if ex.get("handover") is not None and not isinstance(ex["handover"], bool):
        err(sid, "expect.handover must be a bool")
    if ex.get("handover") and ex.get("stored"):
        err(sid, "handover scripts must not store")
    if not ex["stored"]:
        if not events:
            err(sid, "stored: false without an event that stops the application")
        elif ex.get("handover"):
            feats["handover"] += 1
        else:
            feats["cancel"] += 1
            feats[f"cancel_at_{events[-1].get('when_asked')}"] += 1
    if "【换办】" in s["title"]:
        feats["benefit_switch"] += 1
        if not events:
            err(sid, "benefit switch without an event")
    if benefit == "残疾儿童康复救助":
        feats["child_rehab"] += 1
    if not f.get("for_self"):
        feats["agent"] += 1
    for k in feats:
        feats_all[k] += 1 if feats[k] else 0
    return {"id": sid, "benefit": benefit, "region": f.get("region"), "styles": styles, "feats": feats}


MINIMA = [  # (label, counter key or style, minimum)
    ("scripts", "scripts", 46),
    ("dialect scripts", "style:dialect", 8),
    ("agent/family scripts", "agent", 12),
    ("multi-fact scripts", "style:multi_fact", 10),
    ("corrections (mid-form + read-back)", "corrections", 6),
    ("  of which mid-form", "correction_midform", 1),
    ("  of which read-back", "correction_readback", 1),
    ("benefit switches", "benefit_switch", 3),
    ("cancellations", "cancel", 4),
    ("hand-over requests", "handover", 1),
    ("mid-form policy questions", "policy_question", 5),
    ("  of which at consent", "policy_question_at_consent", 1),
    ("wrong ID check digit then right", "wrong_id_check", 3),
    ("card not matching ID then right", "card_mismatch", 2),
    ("short/long phone then right", "phone_length", 3),
    ("full-width digits", "fullwidth", 4),
    ("spoken digits", "spoken", 5),
    ("spaces/dashes", "spaces_dashes", 2),
    ("child rehabilitation", "child_rehab", 3),
]


def main(paths):
    plans = {r: plan_text(r) for r in SEEDS}
    rows, seen, feats_all = [], set(), collections.Counter()
    for p in paths:
        with open(p, encoding="utf-8") as fh:
            doc = yaml.safe_load(fh)
        if not isinstance(doc, dict) or set(doc) != {"scripts"} or not isinstance(doc["scripts"], list):
            err(p, "top level must be exactly {scripts: [...]}")
            continue
        for s in doc["scripts"]:
            r = check_script(s, seen, feats_all, plans)
            if r:
                rows.append(r)
    ids = [r["id"] for r in rows]
    if ids != sorted(ids):
        warn("file", "ids are not in order")

    by_benefit = collections.Counter(r["benefit"] for r in rows)
    by_region = collections.Counter(r["region"] for r in rows)
    by_style = collections.Counter(st for r in rows for st in r["styles"])
    grid = collections.Counter((r["benefit"], r["region"]) for r in rows)
    print(f"scripts: {len(rows)}  ({', '.join(paths)})\n")
    print(f"{'benefit':<14}{'绥芬河市':>8}{'潞城区':>8}{'total':>7}")
    for b in BENEFITS:
        print(f"{b:<14}{grid[(b, '绥芬河市')]:>8}{grid[(b, '潞城区')]:>8}{by_benefit[b]:>7}")
    print(f"\nby region: {dict(by_region)}")
    print("by style:  " + ", ".join(f"{k} {v}" for k, v in by_style.most_common()))
    feats_all["scripts"] = len(rows)
    feats_all["style:dialect"] = sum(1 for r in rows if {"dialect_suifenhe", "dialect_lucheng"} & set(r["styles"]))
    feats_all["style:multi_fact"] = by_style["multi_fact"]
    feats_all["corrections"] = sum(r["feats"]["correction_midform"] + r["feats"]["correction_readback"] for r in rows)
    feats_all["correction_midform"] = sum(r["feats"]["correction_midform"] for r in rows)
    feats_all["correction_readback"] = sum(r["feats"]["correction_readback"] for r in rows)
    print("\ncoverage (scripts having the feature):")
    ok = True
    for label, key, minimum in MINIMA:
        n = feats_all[key]
        flag = "ok" if n >= minimum else "MISSING"
        ok &= n >= minimum
        print(f"  {label:<40}{n:>4}  (min {minimum})  {flag}")
    cancel_steps = sorted(k[len("cancel_at_") :] for k in feats_all if k.startswith("cancel_at_"))
    print(f"  cancellation steps: {', '.join(cancel_steps)}")
    if len(cancel_steps) < 2:
        ok = False
        errors.append("cancellations all at the same step")
    for b in BENEFITS:
        for reg in PREFIX:
            if not grid[(b, reg)]:
                warnings.append(f"coverage: no script for {b} in {reg}")
    print()
    for w in warnings:
        print("WARN ", w)
    for e in errors:
        print("ERROR", e)
    print(f"\n{len(errors)} errors, {len(warnings)} warnings; coverage {'complete' if ok else 'INCOMPLETE'}")
    return 0 if not errors and ok else 1


if __name__ == "__main__":
    args = sys.argv[1:] or sorted(glob.glob(os.path.join(HERE, "..", "intake", "*", "scripts.yml")))
    sys.exit(main([os.path.normpath(a) for a in args]))
