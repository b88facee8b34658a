"""Did the assistant understand a message, and what should it do when unsure? Shared by the action server (answer,
clarify, decline or ask again), the fallback count and the insights recorder, so all three agree.

Two signals: the ResponseSelector's choice among the FAQ answers (and its confidence), and the e5 nearest-example
similarities (`e5` in the parse data, written by bot/nlu/e5_components.E5Neighbours: the best similarity per label
and the best similarity to any in-domain example).

- answer: the selector is sure, or the selector and the e5 nearest example agree, or the nearest e5 example is very
  near and clearly nearer than any other answer's.
- clarify: the message is in the domain but the answers are close → "您是想问…？" with the 2–3 likeliest topics.
  A wrong-topic answer is worse than a question.
- out_of_scope: nothing in the domain is near and an out-of-scope example is nearest → decline with a redirect.
- not_understood: none of these (ask to rephrase).

Without `e5` in the parse data (a model trained before the e5 components) only the selector's confidence is used,
as before: below FAQ_MIN_CONFIDENCE the bot asks again. Thresholds were calibrated on the held-out split
(tests/nlu_eval/, never the blind corpus): see docs/understanding.md.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from bot.rules.benefits import wants_to_apply

FAQ_MIN_CONFIDENCE = 0.15  # selector alone (models without e5): below this the bot asks again
SURE_CONFIDENCE = 0.60  # selector alone is trusted at or above this …
SURE_MARGIN = 0.25  # … when the runner-up is this far behind
AGREE_CONFIDENCE = 0.20  # selector and e5 nearest example name the same answer: trusted from this confidence
E5_SURE = 0.95  # the nearest e5 example alone is trusted from this similarity …
E5_MARGIN = 0.015  # … when the next FAQ answer's nearest example is this much further
IN_DOMAIN_MIN = 0.905  # e5: below this best in-domain similarity a message is taken as out of scope …
OOS_LEAD = 0.0  # … when an out-of-scope example is at least this much nearer than any in-domain one …
OOS_MIN = 0.87  # … and at least this near (junk such as "qwxz" is near nothing: it is not understood, not declined)
OOS_CLEAR_LEAD = 0.02  # an out-of-scope example this much nearer than any in-domain one declines too (上户口)
CLARIFY_MIN = 0.88  # e5: at or above this in-domain similarity an unsure message gets "您是想问…？"
MAX_CHOICES = 3

OOS_INTENTS = {"out_of_scope": "other", "oos_government": "government", "oos_medical": "medical"}
FAQ_DIR = Path(__file__).resolve().parents[2] / "nlu_data" / "faq"


@dataclass(frozen=True)
class Verdict:
    kind: str  # answer | clarify | out_of_scope | not_understood | other (a non-FAQ intent: its own rule acts)
    faq: str | None = None  # the answer to give (kind answer)
    choices: list[str] = field(default_factory=list)  # faq/<key> topics to offer (kind clarify)
    oos: str | None = None  # government | medical | other (kind out_of_scope)


def selected_answer(parse: dict[str, Any]) -> tuple[str | None, float]:
    """(the FAQ the ResponseSelector chose, its confidence) from a message's parse data."""
    selector = (parse or {}).get("response_selector") or {}
    response = (selector.get("faq") or {}).get("response") or {}
    return response.get("intent_response_key"), float(response.get("confidence") or 0.0)


def selector_ranking(parse: dict[str, Any]) -> list[tuple[str, float]]:
    """The selector's ranked (faq/<key>, confidence) list."""
    ranking = (((parse or {}).get("response_selector") or {}).get("faq") or {}).get("ranking") or []
    return [(str(r.get("intent_response_key")), float(r.get("confidence") or 0.0)) for r in ranking if r]


def e5_labels(parse: dict[str, Any]) -> list[tuple[str, float]]:
    return [(str(label), float(sim)) for label, sim in ((parse or {}).get("e5") or {}).get("labels") or []]


def _dedupe(keys: list[str]) -> list[str]:
    seen: list[str] = []
    for key in keys:
        if key and key.startswith("faq/") and key not in seen:
            seen.append(key)
    return seen


def _oos_kind(labels: list[tuple[str, float]], intent: str | None) -> str:
    if intent in OOS_INTENTS:
        return OOS_INTENTS[intent]
    for label, _sim in labels:
        if label in OOS_INTENTS:
            return OOS_INTENTS[label]
    return "other"


def judge(parse: dict[str, Any]) -> Verdict:
    """What to do with a message whose intent is a policy question, out of scope or not understood."""
    parse = parse or {}
    intent = (parse.get("intent") or {}).get("name")
    if intent not in ("faq", "nlu_fallback", *OOS_INTENTS):
        return Verdict("other")
    key, confidence = selected_answer(parse)
    ranking = selector_ranking(parse)
    e5 = parse.get("e5")
    if not e5:  # a model without the e5 components: the selector's confidence alone
        if intent in OOS_INTENTS:
            return Verdict("out_of_scope", oos=OOS_INTENTS[intent])
        if intent == "faq" and key and confidence >= FAQ_MIN_CONFIDENCE:
            return Verdict("answer", faq=key)
        return Verdict("not_understood")
    labels = e5_labels(parse)
    in_domain = float(e5.get("in_domain") or 0.0)
    best_oos = max((sim for label, sim in labels if label in OOS_INTENTS), default=0.0)
    nearest_faq = [label for label, _sim in labels if label.startswith("faq/")]
    far = in_domain < IN_DOMAIN_MIN and best_oos >= max(in_domain + OOS_LEAD, OOS_MIN)
    if intent in OOS_INTENTS or far or best_oos >= max(in_domain + OOS_CLEAR_LEAD, OOS_MIN):
        return Verdict("out_of_scope", oos=_oos_kind(labels, intent))
    runner_up = ranking[1][1] if len(ranking) > 1 else 0.0
    if intent == "faq" and key:
        if confidence >= SURE_CONFIDENCE and confidence - runner_up >= SURE_MARGIN:
            return Verdict("answer", faq=key)
        if nearest_faq and nearest_faq[0] == key and confidence >= AGREE_CONFIDENCE:
            return Verdict("answer", faq=key)
    faq_sims = [(label, sim) for label, sim in labels if label.startswith("faq/")]
    if intent == "faq" and faq_sims and faq_sims[0][1] >= E5_SURE:
        runner = faq_sims[1][1] if len(faq_sims) > 1 else 0.0
        if faq_sims[0][1] - runner >= E5_MARGIN:
            return Verdict("answer", faq=faq_sims[0][0])
    if in_domain >= CLARIFY_MIN:
        choices = _dedupe([k for k, _c in ranking[:2]] + nearest_faq[:2])[:MAX_CHOICES]
        if choices:
            return Verdict("clarify", choices=choices)
    return Verdict("not_understood")


def understood_faq(parse: dict[str, Any]) -> bool:
    """False when the message was taken for a policy question but no single answer fits it (the bot asked again
    or offered choices): a miss for the fallback count and the insights."""
    if ((parse or {}).get("intent") or {}).get("name") != "faq":
        return True
    return judge(parse).kind == "answer"


@lru_cache(maxsize=1)
def faq_titles(faq_dir: Path = FAQ_DIR) -> dict[str, str]:
    """faq/<key> → a short button title: the entry's `metadata: title` (the plain topic staff also see, one owner),
    else the first example question written for that answer."""
    titles: dict[str, str] = {}
    for path in sorted(faq_dir.glob("*.yml")):
        for block in (yaml.safe_load(path.read_text()) or {}).get("nlu") or []:
            intent = str(block.get("intent") or "")
            lines = [line.strip()[2:].strip() for line in str(block.get("examples") or "").splitlines()]
            metadata = block.get("metadata") if isinstance(block.get("metadata"), dict) else {}
            title = str(metadata.get("title") or "").strip() or next((line for line in lines if line), "")
            if intent.startswith("faq/") and title:
                titles.setdefault(intent, title)
    return titles


_WISH_TO_APPLY = re.compile(
    r"想申请|要申请|想办|要办|想领|想要|想整|想弄|想报|想给|要给|想帮|我要|俺要|申请一下|办一下|报个名|报名"
)
_FOR_SOMEONE = re.compile(  # "给俺爹整个轮椅", "想问问能不能给她整个托养": a request, even when put as a question
    r"(?:给|帮|替)(?:我|俺|他|她|咱)[\u4e00-\u9fff]{0,4}?(?:整|弄|办|申请|报|配)"
)
_YES_NO = re.compile(
    r"([\u4e00-\u9fff])[不没]\1|能否|可否|吗|么|嘛|[？?]|多大|多少|几岁|几级|什么|啥|哪|谁|咋|怎么|"  # 能不能, 可以吗
    r"(?:不|没|没有|不了|呢)[\s。！!]*$"  # 能领不, 医保能报不, 还发没有
)
MAX_QUESTION_CHARS = 300  # longer messages are not scanned (outside input is bounded)


def asks_eligibility(text: str | None) -> bool:
    """True when a message that names a benefit asks *whether or how* it applies ("三级智力的能领护理的钱不",
    "孩子做康复训练 医保能报不", "托养是给多大岁数的人啊"), rather than asking to apply now: put as a yes/no
    question, with no wish to apply ("想申请", "帮我办") and not "给她整个…". Such a question gets the policy answer
    (which names the "我要申请…" button), not the application form."""
    text = re.sub(r"\s+", " ", (text or "")[:MAX_QUESTION_CHARS]).strip()
    if not text or _WISH_TO_APPLY.search(text) or _FOR_SOMEONE.search(text):
        return False
    return bool(_YES_NO.search(text))


def wants_to_apply_now(text: str | None) -> bool:
    """A request to apply ("我想申请护理补贴", "帮俺娘办个护理补贴"), not a question about a benefit ("三级的能领不"):
    bot/rules/benefits.wants_to_apply without asks_eligibility — the form for the one, the answer for the other."""
    return wants_to_apply(text) and not asks_eligibility(text)
