"""Training jobs and the model registry in the database (durable: a restart loses no queued job)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from sqlalchemy import and_, exists, select, update
from sqlalchemy.orm import Session, aliased

from bot.storage.models import AuditEntry, ModelVersion, TrainingJob, utcnow

Sessions = Callable[[], Session]
OPEN_STATUSES = ("queued", "running")
FINISHED_STATUSES = ("activated", "rejected", "failed", "cancelled", "unchanged")


def enqueue(sessions: Sessions, actor: str) -> TrainingJob:
    """Add a job to the queue (it runs when the jobs before it are done)."""
    with sessions() as session:
        job = TrainingJob(requested_by=actor, status="queued", stage="queued", message="排队等待训练。", scores={})
        session.add(job)
        session.commit()
        return job


def get_job(sessions: Sessions, job_id: int) -> TrainingJob | None:
    with sessions() as session:
        return session.get(TrainingJob, job_id)


def list_jobs(sessions: Sessions, limit: int = 20) -> list[TrainingJob]:
    with sessions() as session:
        return list(session.scalars(select(TrainingJob).order_by(TrainingJob.id.desc()).limit(limit)))


def queue_position(sessions: Sessions, job: TrainingJob) -> int | None:
    """1 = next to run; None when the job is not waiting."""
    if job.status != "queued":
        return None
    with sessions() as session:
        ahead = session.scalars(
            select(TrainingJob.id).where(TrainingJob.status.in_(OPEN_STATUSES), TrainingJob.id < job.id)
        ).all()
        return len(ahead) + 1


def claim_next(sessions: Sessions) -> int | None:
    """Mark the oldest queued job running, only if no job runs now (a conditional UPDATE: one winner)."""
    with sessions() as session:
        job_id = session.scalar(
            select(TrainingJob.id).where(TrainingJob.status == "queued").order_by(TrainingJob.id).limit(1)
        )
        if job_id is None:
            return None
        running = aliased(TrainingJob)
        result = session.execute(
            update(TrainingJob)
            .where(TrainingJob.id == job_id, TrainingJob.status == "queued")
            .where(~exists().where(running.status == "running"))
            .values(status="running", stage="snapshot", progress=1, started_at=utcnow(), message="开始训练。")
        )
        session.commit()
        return job_id if result.rowcount == 1 else None


def set_fields(sessions: Sessions, job_id: int, **fields) -> None:
    with sessions() as session:
        session.execute(update(TrainingJob).where(TrainingJob.id == job_id).values(**fields))
        session.commit()


def finish(sessions: Sessions, job_id: int, status: str, message: str, log: str, **fields) -> None:
    """Close a job (never overwrites a job already finished, e.g. cancelled meanwhile)."""
    with sessions() as session:
        session.execute(
            update(TrainingJob)
            .where(TrainingJob.id == job_id, TrainingJob.status.in_(OPEN_STATUSES))
            .values(status=status, message=message, log=log, finished_at=utcnow(), stage="done", pid=None, **fields)
        )
        session.commit()


def cancel_queued(sessions: Sessions, job_id: int, actor: str) -> bool:
    with sessions() as session:
        result = session.execute(
            update(TrainingJob)
            .where(TrainingJob.id == job_id, TrainingJob.status == "queued")
            .values(status="cancelled", stage="done", finished_at=utcnow(), message=f"已由 {actor} 取消。")
        )
        session.commit()
        return result.rowcount == 1


def running_jobs(sessions: Sessions) -> list[TrainingJob]:
    with sessions() as session:
        return list(session.scalars(select(TrainingJob).where(TrainingJob.status == "running")))


# --- model registry -------------------------------------------------------------------------------------------


def list_models(sessions: Sessions) -> list[ModelVersion]:
    with sessions() as session:
        return list(session.scalars(select(ModelVersion).order_by(ModelVersion.id.desc())))


def get_model(sessions: Sessions, model_id: int) -> ModelVersion | None:
    with sessions() as session:
        return session.get(ModelVersion, model_id)


def model_by_name(sessions: Sessions, name: str) -> ModelVersion | None:
    with sessions() as session:
        return session.scalar(select(ModelVersion).where(ModelVersion.name == name).order_by(ModelVersion.id.desc()))


def register(sessions: Sessions, path: Path, fingerprint: str, status: str, job_id: int | None = None,
             scores: dict | None = None) -> ModelVersion:  # fmt: skip
    """Add a model to the registry (or return the entry for the same file)."""
    with sessions() as session:
        existing = session.scalar(select(ModelVersion).where(ModelVersion.path == str(path)))
        if existing is not None:
            existing.scores = scores or existing.scores
            existing.job_id = job_id or existing.job_id
            if existing.status != "active":
                existing.status = status
            session.commit()
            return existing
        model = ModelVersion(
            path=str(path), name=path.name, data_fingerprint=fingerprint, status=status, job_id=job_id,
            scores=scores or {}, activated_at=utcnow() if status == "active" else None,
        )  # fmt: skip
        session.add(model)
        session.commit()
        return model


def active_model(sessions: Sessions) -> ModelVersion | None:
    """The model the registry says is live (the newest activation, should there ever be two)."""
    with sessions() as session:
        return session.scalar(
            select(ModelVersion)
            .where(ModelVersion.status == "active")
            .order_by(ModelVersion.activated_at.desc().nullslast(), ModelVersion.id.desc())
            .limit(1)
        )


def set_scores(sessions: Sessions, model_id: int, scores: dict) -> None:
    with sessions() as session:
        session.execute(update(ModelVersion).where(ModelVersion.id == model_id).values(scores=scores))
        session.commit()


def mark_active(sessions: Sessions, model_id: int, actor: str) -> None:
    """The given model is live now; the one live before is kept as `retired` (available for rollback)."""
    with sessions() as session:
        session.execute(
            update(ModelVersion)
            .where(ModelVersion.status == "active", ModelVersion.id != model_id)
            .values(status="retired")
        )
        session.execute(
            update(ModelVersion)
            .where(ModelVersion.id == model_id)
            .values(status="active", activated_at=utcnow(), activated_by=actor)
        )
        session.commit()


def set_status(sessions: Sessions, model_id: int, status: str) -> None:
    with sessions() as session:
        session.execute(update(ModelVersion).where(ModelVersion.id == model_id).values(status=status))
        session.commit()


def previous_model(sessions: Sessions) -> ModelVersion | None:
    """The model that was live before the current one (the rollback target)."""
    with sessions() as session:
        return session.scalar(
            select(ModelVersion)
            .where(and_(ModelVersion.status == "retired", ModelVersion.activated_at.is_not(None)))
            .order_by(ModelVersion.activated_at.desc(), ModelVersion.id.desc())
            .limit(1)
        )


def prunable(sessions: Sessions, keep: int) -> list[ModelVersion]:
    """Models trained by jobs beyond the newest `keep` (never the live one, never one the launcher trained)."""
    with sessions() as session:
        trained = session.scalars(
            select(ModelVersion)
            .where(ModelVersion.job_id.is_not(None), ModelVersion.status != "active")
            .order_by(ModelVersion.id.desc())
        ).all()
        return list(trained[keep:])


def audit(sessions: Sessions, actor: str, action: str, target: str, details: dict) -> None:
    """An audit entry for what the runner did on somebody's behalf (e.g. putting their job's model live)."""
    with sessions() as session:
        session.add(AuditEntry(actor=actor, action=action, target=target, details=details))
        session.commit()
