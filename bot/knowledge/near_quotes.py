"""The plan's nearest sentence where the FAQ's topic choice may have missed it.

Beside a clarifying question. When the FAQ model cannot choose a topic ("您是想问…？")
and no plan passage is confident enough to answer on its own, the sentence of the resident's plan nearest to the
question is still shown above the topic buttons, verbatim with its place, as a sentence "for reference" — never as
the answer. On the development batches (b6, b7) no signal picked the right topic among the clarifying verdicts often
enough to answer (top-1 right in about 4 of 10, docs/understanding.md "Round 9"), while the nearest sentence held the
item's fact in about 4 of 10 of them: the resident reads it without the bot claiming a topic.

After an FAQ answer, when the plan's sentence nearest to the question is not one the answer rests on (another
section than its quotes'): that sentence too, "also", under the answer and its own plan sentence. The answer's topic
and the plan disagree; rather than choose, the resident gets both. On b6 and b7 (live) this added the item's fact to 12
answers that lacked it and took it from none (docs/understanding.md "Round 9").

Pure (no Rasa): the index, the question and the plans come in, the messages go out."""

from __future__ import annotations

from collections.abc import Sequence

from bot.knowledge.answer_quotes import answer_passages, quote_message
from bot.knowledge.index import Finding, PassageIndex
from bot.knowledge.topics import Responses
from bot.rules.plans import Plans

# Chosen on the development batches b6 and b7 (bench/topic_choice.py): a sentence is shown only when it is near the
# question (e5 cosine) and shares at least one of its words (BM25 share); below that it is noise beside the question.
NEAR_DENSE = 0.86
NEAR_LEXICAL = 0.10
INTRO = "规划里和您的问题最接近的是这一句，供您参考："  # "for reference": no 没有/不能, not read as a no
ALSO_INTRO = "规划里和您的问题接近的还有这一句："


def _near(found: Finding) -> bool:
    best = found.hits[0]
    return best.dense >= NEAR_DENSE and best.lexical >= NEAR_LEXICAL


def near_quotes(index: PassageIndex, question: str, regions: Sequence[str], plans: Plans) -> list[str]:
    """The intro and one message per region in `regions` (the resident's, or each served one while it is unknown):
    that plan's best passage(s) for `question`, when near enough; empty when no plan has one."""
    if not question.strip():
        return []
    messages: list[str] = []
    for found in index.findings(question, list(regions)):
        if _near(found) and (message := quote_message(found.hits, question, plans)):
            messages.append(message)
    return [INTRO, *messages] if messages else []


def beyond_answer(
    index: PassageIndex,
    responses: Responses,
    faq_key: str,
    question: str,
    regions: Sequence[str],
    plans: Plans,
    said: str = "",
) -> list[str]:
    """After the FAQ answer `faq_key`: ALSO_INTRO and, per region, that plan's nearest passage(s) for `question` when
    near and not among the passages the answer rests on (bot/knowledge/answer_quotes.answer_passages) nor already
    said word for word; empty when the plan's nearest sentence is the answer's own (they agree) or none is near."""
    if not question.strip():
        return []
    messages: list[str] = []
    for found in index.findings(question, list(regions)):
        own = set(answer_passages(index, responses, faq_key, found.region))
        if not _near(found) or index.position(found.hits[0].passage) in own:
            continue
        if message := quote_message(found.hits, question, plans, said):
            messages.append(message)
    return [ALSO_INTRO, *messages] if messages else []
