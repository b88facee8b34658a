"""Training API without Rasa: roles, the durable one-at-a-time queue, cancelling, audit entries, and a job that
cannot reach Rasa failing with a clear message (the real training runs in tests/stack/test_retrain.py)."""

from __future__ import annotations

import time

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from bot.main import create_app
from bot.storage.models import AuditEntry
from bot.training import store
from tests.api.conftest import create_users, login, make_settings


@pytest.fixture()
def queue_client(database_url, tmp_path):
    """A gateway whose runner is off: jobs stay queued, so the queue itself can be checked."""
    create_users(database_url)
    settings = make_settings(database_url, tmp_path).model_copy(update={"training_runner": False})
    with TestClient(create_app(settings)) as test_client:
        yield test_client


def test_only_staff_and_admin_reach_training(queue_client: TestClient) -> None:
    assert queue_client.post("/api/staff/training/jobs").status_code == 401
    operator = login(queue_client, "op1")
    for method, path in (("post", "/api/staff/training/jobs"), ("get", "/api/staff/training/jobs"),
                         ("get", "/api/staff/training/models"), ("post", "/api/staff/training/rollback")):  # fmt: skip
        assert getattr(queue_client, method)(path, headers=operator).status_code == 403, path


def test_jobs_queue_in_order_and_a_queued_job_can_be_cancelled(queue_client: TestClient) -> None:
    staff, admin = login(queue_client, "staff1"), login(queue_client, "admin1")
    first = queue_client.post("/api/staff/training/jobs", headers=staff)
    second = queue_client.post("/api/staff/training/jobs", headers=admin)
    assert first.status_code == second.status_code == 202
    assert (first.json()["queue_position"], second.json()["queue_position"]) == (1, 2)
    assert second.json()["status_text"] == "排队中"

    cancelled = queue_client.post(f"/api/staff/training/jobs/{first.json()['id']}/cancel", headers=staff)
    assert cancelled.status_code == 200
    again = queue_client.post(f"/api/staff/training/jobs/{first.json()['id']}/cancel", headers=staff)
    assert again.status_code == 409 and "已经结束" in again.json()["detail"]
    assert (
        queue_client.get(f"/api/staff/training/jobs/{second.json()['id']}", headers=staff).json()["queue_position"] == 1
    )
    assert queue_client.get("/api/staff/training/jobs/999999", headers=staff).status_code == 404

    sessions = queue_client.app.state.sessions
    assert store.claim_next(sessions) == second.json()["id"]
    third = store.enqueue(sessions, "staff1")
    assert store.claim_next(sessions) is None, "one job at a time"
    assert store.get_job(sessions, third.id).status == "queued"

    with sessions() as session:
        entries = session.scalars(
            select(AuditEntry).where(AuditEntry.action.like("training.%")).order_by(AuditEntry.id)
        )
        audit = [(a.actor, a.action) for a in entries]
    assert audit == [("staff1", "training.start"), ("admin1", "training.start"), ("staff1", "training.cancel")]


def test_models_and_rollback_without_rasa(queue_client: TestClient) -> None:
    staff = login(queue_client, "staff1")
    models = queue_client.get("/api/staff/training/models", headers=staff).json()
    assert models == {"live": None, "models": []}
    assert queue_client.post("/api/staff/training/rollback", headers=staff).status_code == 404
    assert queue_client.post("/api/staff/training/models/42/activate", headers=staff).status_code == 404


def test_a_job_fails_clearly_when_rasa_is_not_running(database_url, tmp_path) -> None:
    create_users(database_url)
    with TestClient(create_app(make_settings(database_url, tmp_path))) as client:
        staff = login(client, "staff1")
        job_id = client.post("/api/staff/training/jobs", headers=staff).json()["id"]
        deadline = time.monotonic() + 30
        while (job := client.get(f"/api/staff/training/jobs/{job_id}", headers=staff).json())["status"] in (
            "queued",
            "running",
        ) and time.monotonic() < deadline:
            time.sleep(0.2)
    assert job["status"] == "failed"
    assert "Rasa" in job["message"] and "没有运行" in job["message"]
    assert (tmp_path / "training" / f"job-{job_id}" / "snapshot" / "nlu_data" / "faq").is_dir(), "trained on a copy"


def test_a_restart_marks_an_orphaned_running_job_failed(database_url, tmp_path) -> None:
    create_users(database_url)
    settings = make_settings(database_url, tmp_path).model_copy(update={"training_runner": False})
    with TestClient(create_app(settings)) as client:
        sessions = client.app.state.sessions
        job = store.enqueue(sessions, "staff1")
        assert store.claim_next(sessions) == job.id
    with TestClient(create_app(make_settings(database_url, tmp_path))) as client:
        staff = login(client, "staff1")
        after = client.get(f"/api/staff/training/jobs/{job.id}", headers=staff).json()
    assert after["status"] == "failed" and "网关重启" in after["message"]


def test_old_job_models_are_pruned_but_never_the_live_or_the_launchers(database_url, tmp_path) -> None:
    create_users(database_url)
    models_dir = tmp_path / "models"
    models_dir.mkdir()
    settings = make_settings(database_url, tmp_path).model_copy(
        update={"training_runner": False, "models_dir": models_dir, "training_keep_models": 2}
    )
    with TestClient(create_app(settings)) as client:
        sessions = client.app.state.sessions
        paths = [models_dir / f"m{i}.tar.gz" for i in range(6)]
        for path in paths:
            path.write_bytes(b"model")
        launcher = store.register(sessions, paths[0], "fp0", "retired")  # trained by `make run`: no job
        job_models = [store.register(sessions, p, f"fp{i}", "retired", job_id=i) for i, p in enumerate(paths[1:], 1)]
        store.mark_active(sessions, job_models[0].id, "staff1")  # the oldest job model is live
        removed = client.app.state.training.prune()
    assert sorted(removed) == ["m2.tar.gz", "m3.tar.gz"]
    assert [p.name for p in paths if p.exists()] == ["m0.tar.gz", "m1.tar.gz", "m4.tar.gz", "m5.tar.gz"]
    assert launcher.path == str(paths[0])


def test_only_an_admin_may_put_a_refused_model_live(queue_client: TestClient, tmp_path) -> None:
    refused = tmp_path / "refused.tar.gz"
    refused.write_bytes(b"model")
    model = store.register(queue_client.app.state.sessions, refused, "fp", "rejected", job_id=1)
    staff, admin = login(queue_client, "staff1"), login(queue_client, "admin1")
    by_staff = queue_client.post(f"/api/staff/training/models/{model.id}/activate", headers=staff)
    assert by_staff.status_code == 409 and "管理员" in by_staff.json()["detail"]
    by_admin = queue_client.post(f"/api/staff/training/models/{model.id}/activate", headers=admin)
    assert by_admin.status_code == 502, "Rasa is not running here: the swap fails and nothing changes"
    assert store.get_model(queue_client.app.state.sessions, model.id).status == "rejected"
    with queue_client.app.state.sessions() as session:
        actions = session.scalars(select(AuditEntry.action).where(AuditEntry.actor == "admin1")).all()
    assert "model.activate_rejected.failed" in actions
