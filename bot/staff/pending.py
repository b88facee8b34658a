"""What staff need before retraining: how many saved edits residents do not see yet (saved after the data of the
live model was read), and how long a training run usually takes (from past runs)."""

from __future__ import annotations

import statistics
from datetime import datetime, timezone

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.storage.models import FaqRevision, ModelVersion, TrainingJob

FINISHED = ("activated", "rejected", "unchanged")
RUNS_CONSIDERED = 10


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def live_data_time(session: Session) -> datetime | None:
    """When the live model's training data was read: its job's start, else when the model was registered."""
    model = session.scalar(select(ModelVersion).where(ModelVersion.status == "active").order_by(ModelVersion.id.desc()))
    if model is None:
        return None
    job = session.get(TrainingJob, model.job_id) if model.job_id else None
    moment = (job.started_at or job.created_at) if job is not None else model.created_at
    return _aware(moment) if moment else None


def pending_edits(session: Session) -> int:
    """Editor saves (create, edit, delete, examples, rollback) newer than the live model's data."""
    since = live_data_time(session)
    query = select(func.count()).select_from(FaqRevision)
    if since is not None:
        query = query.where(FaqRevision.at > since)
    return int(session.scalar(query) or 0)


def typical_duration(session: Session) -> dict | None:
    """The median length of the last finished runs, in seconds, with how many runs it rests on (None: no run)."""
    jobs = session.scalars(
        select(TrainingJob)
        .where(
            TrainingJob.status.in_(FINISHED), TrainingJob.started_at.is_not(None), TrainingJob.finished_at.is_not(None)
        )
        .order_by(TrainingJob.id.desc())
        .limit(RUNS_CONSIDERED)
    ).all()
    seconds = [(_aware(j.finished_at) - _aware(j.started_at)).total_seconds() for j in jobs]
    seconds = [s for s in seconds if s > 0]
    if not seconds:
        return None
    return {"seconds": round(statistics.median(seconds)), "runs": len(seconds), "longest": round(max(seconds))}
