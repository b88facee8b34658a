"""/api/staff/training/* — start a retraining job, follow it, see the kept models, roll back (staff, admin)."""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, Depends, HTTPException, Request, status
from sqlalchemy.orm import Session

from bot.api.deps import CurrentUser, db_session, require_roles
from bot.staff import pending
from bot.storage.models import AuditEntry, ModelVersion, TrainingJob
from bot.training import store
from bot.training.rasa_admin import ModelSwapFailed
from bot.training.rasa_cli import log_tail
from bot.training.runner import TrainingRunner

router = APIRouter(prefix="/api/staff/training", tags=["training"])
editors = require_roles("staff", "admin")

STATUS_TEXT = {
    "queued": "排队中",
    "running": "训练中",
    "activated": "已上线",
    "rejected": "未通过评估",
    "failed": "失败",
    "cancelled": "已取消",
    "unchanged": "数据没有变化",
}


def _runner(request: Request) -> TrainingRunner:
    return request.app.state.training


def _audit(session: Session, user: CurrentUser, action: str, target: str, details: dict | None = None) -> None:
    session.add(AuditEntry(actor=user.username, action=action, target=target, details=details or {}))
    session.commit()


def job_view(request: Request, job: TrainingJob, with_log: bool = False) -> dict:
    view = {
        "id": job.id,
        "status": job.status,
        "status_text": STATUS_TEXT.get(job.status, job.status),
        "stage": job.stage,
        "progress": job.progress,
        "message": job.message,
        "mode": job.mode,
        "requested_by": job.requested_by,
        "created_at": job.created_at.isoformat() if job.created_at else None,
        "started_at": job.started_at.isoformat() if job.started_at else None,
        "finished_at": job.finished_at.isoformat() if job.finished_at else None,
        "model_id": job.model_id,
        "scores": job.scores or {},
        "queue_position": store.queue_position(request.app.state.sessions, job),
    }
    if with_log:
        running = job.status == "running" and job.work_dir
        view["log"] = log_tail(Path(job.work_dir) / "train.log") if running else job.log
    return view


def model_view(model: ModelVersion) -> dict:
    return {
        "id": model.id,
        "name": model.name,
        "status": model.status,
        "job_id": model.job_id,
        "scores": model.scores or {},
        "created_at": model.created_at.isoformat() if model.created_at else None,
        "activated_at": model.activated_at.isoformat() if model.activated_at else None,
        "activated_by": model.activated_by,
        "available": Path(model.path).exists(),
    }


@router.get("/pending")
def pending_state(_user: CurrentUser = Depends(editors), session: Session = Depends(db_session)) -> dict:
    """How many saved edits are not live yet, and how long a run usually takes (median of the last runs)."""
    since = pending.live_data_time(session)
    return {
        "pending_edits": pending.pending_edits(session),
        "live_since": since.isoformat() if since else None,
        "estimate": pending.typical_duration(session),
    }


@router.post("/jobs", status_code=status.HTTP_202_ACCEPTED)
def start_job(request: Request, user: CurrentUser = Depends(editors), session: Session = Depends(db_session)) -> dict:
    """Queue a retraining job (one runs at a time; the others wait their turn)."""
    job = store.enqueue(request.app.state.sessions, user.username)
    _audit(session, user, "training.start", f"job:{job.id}")
    _runner(request).wake()
    return job_view(request, job)


@router.get("/jobs")
def list_jobs(request: Request, _user: CurrentUser = Depends(editors)) -> list[dict]:
    """The latest jobs, newest first."""
    return [job_view(request, job) for job in store.list_jobs(request.app.state.sessions)]


@router.get("/jobs/{job_id}")
def get_job(job_id: int, request: Request, _user: CurrentUser = Depends(editors)) -> dict:
    """One job with its progress and the end of its log."""
    job = store.get_job(request.app.state.sessions, job_id)
    if job is None:
        raise HTTPException(404, "没有这个训练任务。")
    return job_view(request, job, with_log=True)


@router.post("/jobs/{job_id}/cancel")
def cancel_job(
    job_id: int, request: Request, user: CurrentUser = Depends(editors), session: Session = Depends(db_session)
) -> dict:
    """Cancel a queued job, or stop a running one (the live model keeps serving)."""
    sessions = request.app.state.sessions
    job = store.get_job(sessions, job_id)
    if job is None:
        raise HTTPException(404, "没有这个训练任务。")
    if not (store.cancel_queued(sessions, job_id, user.username) or _runner(request).cancel(job_id)):
        raise HTTPException(409, "这个训练任务已经结束，不能取消。")
    _audit(session, user, "training.cancel", f"job:{job_id}")
    return {"cancelled": True, "job_id": job_id}


@router.get("/models")
async def list_models(request: Request, _user: CurrentUser = Depends(editors)) -> dict:
    """Kept models, newest first, and which one Rasa serves now."""
    live = await _runner(request).sync_live()
    models = store.list_models(request.app.state.sessions)
    return {"live": model_view(live) if live else None, "models": [model_view(m) for m in models]}


async def _swap(request: Request, session: Session, user: CurrentUser, action: str, coro) -> dict:
    try:
        model = await coro
    except LookupError as exc:
        raise HTTPException(404, "没有可以切换的模型。") from exc
    except ModelSwapFailed as exc:
        _audit(session, user, action + ".failed", "model", {"error": str(exc)[:300]})
        raise HTTPException(502, "对话服务没能加载这个模型，在线模型没有变化。") from exc
    _audit(session, user, action, f"model:{model.id}", {"name": model.name})
    return model_view(model)


@router.post("/models/{model_id}/activate")
async def activate_model(
    model_id: int, request: Request, user: CurrentUser = Depends(editors), session: Session = Depends(db_session)
) -> dict:
    """Put a kept model live (hot-swap; conversations carry on). A model the gate refused can only be put live by
    an administrator (audited as `model.activate_rejected`)."""
    model = store.get_model(request.app.state.sessions, model_id)
    if model is not None and model.status == "rejected":
        if user.role != "admin":
            raise HTTPException(409, "这个模型没有通过评估，只有管理员可以让它上线。")
        return await _swap(
            request, session, user, "model.activate_rejected", _runner(request).activate(model_id, user.username)
        )
    return await _swap(request, session, user, "model.activate", _runner(request).activate(model_id, user.username))


@router.post("/rollback")
async def rollback(
    request: Request, user: CurrentUser = Depends(editors), session: Session = Depends(db_session)
) -> dict:
    """One click: go back to the model that was live before the current one."""
    return await _swap(request, session, user, "model.rollback", _runner(request).rollback(user.username))
