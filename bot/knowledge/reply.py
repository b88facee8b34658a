"""From passages to what the resident reads: the clause(s) of a sentence that answer the question (verbatim), and the
reply around them — which plan says it, the section it is in, whether it is only a direction, and the hotline."""

from __future__ import annotations

import re
from collections.abc import Sequence

from bot.knowledge.lexical import without_places, words
from bot.rules.plans import MODALITY_WORDS, Plans

MAX_SHOWN = 90  # characters of one passage shown at most; a longer sentence is cut to its best clauses
_CLAUSE = re.compile(r"[^，,；;：:]*[，,；;：:]|[^，,；;：:]+$")
LEAD_IN = "{title}里是这样写的："
WHERE = "这句话在规划的{section}。"
DIRECTION = "规划写的是“{word}”，这是要推动的方向，不是每个地方现在都能办。"
HOTLINE = "想了解详细情况、问本地怎么办理，请打{hotline}。"


def clause_for(text: str, question: str, limit: int = MAX_SHOWN) -> str:
    """`text` itself when short; else the run of whole clauses (cut at commas, semicolons, colons) of at most `limit`
    characters that shares the most question words, "……" marking what was left out. Verbatim: only cut, never
    reworded."""
    if len(text) <= limit:
        return text
    clauses = [m.group() for m in _CLAUSE.finditer(text) if m.group()]
    wanted = set(words(without_places(question)))
    best, best_key = (0, 1), (-1.0, 0)
    for start in range(len(clauses)):
        length = 0
        for end in range(start, len(clauses)):
            length += len(clauses[end])
            if length > limit and end > start:
                break
            shown = "".join(clauses[start : end + 1])
            key = (sum(len(w) for w in wanted if w in shown), -start)
            if key > best_key:
                best, best_key = (start, end + 1), key
    start, end = best
    shown = "".join(clauses[start:end]).rstrip("，,；;：:")
    return ("……" if start > 0 else "") + shown + ("" if end == len(clauses) and shown.endswith("。") else "……")


def direction_word(text: str) -> str | None:
    """The first word that makes the passage a direction of the plan rather than something available now."""
    return next((word for word in MODALITY_WORDS if word in text), None)


def plan_block(plans: Plans, file: str, section: str, shown: Sequence[str], name_region: bool) -> list[str]:
    """The messages for one plan: lead-in with the plan's title and the quoted sentence(s), then the section, the
    plan's own note (a draft) and, when the words say so, that it is a direction."""
    plan = plans.plans[file]
    quote = "".join(shown)
    lead = (f"{plan.region}：" if name_region else "") + LEAD_IN.format(title=plan.title) + f"“{quote}”"
    after = [WHERE.format(section=section)]
    if plan.note:
        after.append(plan.note)
    if word := direction_word(quote):
        after.append(DIRECTION.format(word=word))
    return [lead, "".join(after)]


def hotline_line(hotline: str) -> str:
    return HOTLINE.format(hotline=hotline)
