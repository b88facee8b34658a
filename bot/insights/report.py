"""The dashboard's numbers: unanswered groups, volume by topic and day, hand-over rate, rating."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from datetime import datetime, timedelta, timezone

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from bot.insights.grouping import Question, group_questions
from bot.insights.privacy import as_example
from bot.insights.topics import UNANSWERED
from bot.storage.models import TurnOutcome, utcnow

MAX_ROWS = 50000
MIN_GROUP_SIZE = 2  # smaller groups join the one "其他" group at the end
OTHER_LABEL = "其他"
OTHER_KEY = "other"
# A label word must be Chinese (2+ characters) or a real word (3+ letters): never "__", "main" or a lone character.
_LABEL_WORD = re.compile(r"^(?:[\u4e00-\u9fff]{2,}|[A-Za-z]{3,})$")
_NOT_LABELS = frozenset({"main", "none", "null", "other", OTHER_LABEL})


def label_words(words: list[str]) -> list[str]:
    """The keywords worth showing as a group's name."""
    return [w for w in words if _LABEL_WORD.match(w) and w.lower() not in _NOT_LABELS][:3]


def shown_groups(groups: list[dict]) -> list[dict]:
    """Groups of at least MIN_GROUP_SIZE questions with a meaningful label, biggest first; everything else in one
    "其他" group at the end (there is never a second one)."""
    kept, rest = [], []
    for group in groups:
        words = label_words(group["keywords"])
        if group["count"] >= MIN_GROUP_SIZE and words:
            kept.append(group | {"keywords": words, "label": "、".join(words)})
        else:
            rest.append(group)
    if rest:
        examples = list(dict.fromkeys(e for g in rest for e in g["examples"]))
        kept.append({
            "key": OTHER_KEY, "keywords": [], "label": OTHER_LABEL, "count": sum(g["count"] for g in rest),
            "examples": examples[:8], "outcome_ids": sorted(i for g in rest for i in g["outcome_ids"]),
            "out_of_scope": sum(g["out_of_scope"] for g in rest), "last_seen": max(g["last_seen"] for g in rest),
        })  # fmt: skip
    return kept


def topic_of(row: TurnOutcome) -> str:
    """The topic a turn counts under: every unanswered turn under UNANSWERED, so that the topic table, the day
    table and the totals give the same number of unanswered turns."""
    return UNANSWERED if row.outcome != "answered" else row.topic


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def summary(session: Session, days: int = 30, now: datetime | None = None) -> dict:
    """Everything the dashboard shows for the last `days` days (no personal data in any field)."""
    now = now or utcnow()
    since = now - timedelta(days=days)
    rows = session.scalars(
        select(TurnOutcome).where(TurnOutcome.at >= since).order_by(TurnOutcome.id.desc()).limit(MAX_ROWS)
    ).all()
    by_topic = Counter(topic_of(r) for r in rows)
    by_day: dict[str, dict[str, int]] = defaultdict(lambda: {"turns": 0, "unanswered": 0})
    conversations: dict[str, bool] = {}
    for r in rows:
        day = _aware(r.at).date().isoformat()
        by_day[day]["turns"] += 1
        by_day[day]["unanswered"] += r.outcome != "answered"
        conversations[r.conversation] = conversations.get(r.conversation, False) or r.handoff
    ratings = [r.rating for r in rows if r.rating is not None]
    open_questions = [
        Question(r.id, r.question, list(r.keywords or []), _aware(r.at), r.outcome)
        for r in rows
        if r.outcome != "answered" and r.question and r.resolved_at is None
    ]
    unanswered = sum(r.outcome != "answered" for r in rows)
    handed = sum(conversations.values())
    return {
        "days": days,
        "since": since.date().isoformat(),
        "turns": len(rows),
        "conversations": len(conversations),
        "unanswered": unanswered,
        "unanswered_rate": round(unanswered / len(rows), 4) if rows else None,
        "handoff_conversations": handed,
        "handoff_rate": round(handed / len(conversations), 4) if conversations else None,
        "rating": {"average": round(sum(ratings) / len(ratings), 2), "count": len(ratings)} if ratings else None,
        "by_topic": [{"topic": t, "turns": n} for t, n in by_topic.most_common()],
        "by_day": [{"day": d, **by_day[d]} for d in sorted(by_day)],
        "unanswered_with_text": sum(r.outcome != "answered" and bool(r.question) for r in rows),
        "unanswered_open": len(open_questions),
        "groups": shown_groups([g.as_dict() for g in group_questions(open_questions)]),
    }


def resolve(session: Session, outcome_ids: list[int], actor: str) -> int:
    """Mark unanswered questions as dealt with (they leave the list); returns how many changed."""
    result = session.execute(
        update(TurnOutcome)
        .where(TurnOutcome.id.in_(outcome_ids), TurnOutcome.resolved_at.is_(None), TurnOutcome.outcome != "answered")
        .values(resolved_at=utcnow(), resolved_by=actor)
    )
    session.commit()
    return result.rowcount


def questions(session: Session, outcome_ids: list[int]) -> list[str]:
    """The stored (already scrubbed) texts of these still open unanswered questions, without repeats."""
    texts = session.scalars(
        select(TurnOutcome.question)
        .where(TurnOutcome.id.in_(outcome_ids), TurnOutcome.question.is_not(None), TurnOutcome.resolved_at.is_(None))
        .order_by(TurnOutcome.id)
    ).all()
    return list(dict.fromkeys(texts))


def examples(session: Session, outcome_ids: list[int]) -> list[str]:
    """The open questions as training examples (clauses that held personal data left out), without repeats."""
    cleaned = (as_example(text) for text in questions(session, outcome_ids))
    return list(dict.fromkeys(text for text in cleaned if text))
