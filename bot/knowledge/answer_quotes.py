"""The plan's own words after an FAQ answer: of the sentences the answer rests on (its quotes, and the other
sentences of the sections they are in), the one of the resident's plan nearest to the question, shown verbatim with
where it stands in the plan. Residents and staff read what the plan itself says; a paraphrase that left a detail out
is completed by the plan's sentence.

Pure (no Rasa): the index, the domain's responses and the question come in; the messages go out."""

from __future__ import annotations

import re
from collections.abc import Sequence

from bot.knowledge.index import Hit, PassageIndex
from bot.knowledge.reply import clause_for
from bot.knowledge.topics import Responses, faq_passages
from bot.rules.plans import Plans, squash

MAX_MESSAGE_CHARS = 150  # one chat message (actions/answers.MAX_MESSAGE_CHARS)
MIN_SECOND = 30  # characters: a second sentence is added only when at least this much of it fits
SHORT_REGION = {"绥芬河市": "绥芬河", "潞城区": "潞城"}
LEAD = "{region}的规划{draft}{where}写着：“{quote}”"
DRAFT = "（征求意见稿）"
_TITLE = re.compile(r"“[^”]*”")


def answer_passages(index: PassageIndex, responses: Responses, faq_key: str, region: str) -> list[int]:
    """Positions of `region`'s passages the FAQ answer `faq_key` rests on: those its quotes hold, then the other
    passages of the sections those are in."""
    quoted = [i for i in sorted(faq_passages(index, responses).get(faq_key, ())) if index.passages[i].region == region]
    sections = {(index.passages[i].file, index.passages[i].section) for i in quoted}
    same_section = [
        i
        for i, p in enumerate(index.passages)
        if (p.file, p.section) in sections and i not in set(quoted) and p.region == region
    ]
    return quoted + same_section


def place_in_plan(section: str) -> str:
    """A section's place without its quoted title: 第三部分（一）第5条“完善…” → 第三部分（一）第5条."""
    return _TITLE.sub("", section).strip() or section


def quote_message(hits: Sequence[Hit], question: str, plans: Plans, said: str = "") -> str | None:
    """One message: the plan, the place of the best sentence, and the sentence(s) verbatim (cut to whole clauses
    near the question); a second sentence of the same section when it fits. None when the best sentence was already
    said word for word in `said` (the answer quoted it)."""
    if not hits:
        return None
    first = hits[0].passage
    plan = plans.plans.get(first.file)
    if plan is None:
        return None
    frame = LEAD.format(
        region=SHORT_REGION.get(plan.region, plan.region),
        draft=DRAFT if plan.note else "",
        where=place_in_plan(first.section),
        quote="",
    )
    room = MAX_MESSAGE_CHARS - len(frame)
    shown = clause_for(first.text, question, room)
    if squash(shown.strip("…")) in squash(said):
        return None
    for hit in hits[1:2]:
        left = room - len(shown)
        if hit.passage.section == first.section and left >= MIN_SECOND:
            more = clause_for(hit.passage.text, question, left)
            if len(shown) + len(more) <= room and squash(more.strip("…")) not in squash(said):
                shown += more
    return frame[: -len("”")] + shown + "”"


def plan_quotes(
    index: PassageIndex,
    responses: Responses,
    faq_key: str,
    question: str,
    regions: Sequence[str],
    plans: Plans,
    said: str = "",
) -> list[str]:
    """One message per region in `regions` (the resident's, or each served one while it is unknown): the sentence of
    that region's plan the FAQ answer rests on that is nearest to `question`. Empty for an answer without quotes."""
    messages: list[str] = []
    for region in regions:
        hits = index.rank(question, answer_passages(index, responses, faq_key, region), limit=2)
        if message := quote_message(hits, question, plans, said):
            messages.append(message)
    return messages
