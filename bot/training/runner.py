"""The background runner: one training job at a time, from snapshot to hot-swap; rollback to an earlier model."""

from __future__ import annotations

import asyncio
import logging
import os
import re
import shutil
import time
from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from pathlib import Path

from bot.core.config import PROJECT_ROOT, Settings
from bot.training import store
from bot.training.broadcast import ModelBroadcast
from bot.training.evaluation import read_scores
from bot.training.gate import decide
from bot.training.rasa_admin import ModelSwapFailed, RasaAdmin
from bot.training.rasa_cli import kill_group, log_tail, run_logged, test_command, train_command
from bot.training.snapshot import Snapshot, take_snapshot

log = logging.getLogger(__name__)
CANONICAL = re.compile(r"^accessline-([0-9a-f]{12})\.tar\.gz$")
POLL_SECONDS = 2.0


class JobFailed(Exception):
    """A step failed; the message is shown to staff, the live model is untouched."""


class TrainingRunner:
    """Runs queued jobs (durable in the database) one by one inside the gateway process."""

    def __init__(
        self,
        settings: Settings,
        sessions: store.Sessions,
        admin: RasaAdmin,
        data_lock: Callable[[], AbstractContextManager] = nullcontext,
        broadcast: ModelBroadcast | None = None,
    ) -> None:
        self.settings = settings
        self.sessions = sessions
        self.admin = admin
        self._data_lock = data_lock  # the FAQ editor's nlu_data write lock: snapshots never see half an edit
        self._wake = asyncio.Event()
        self._stopping = False
        self._loop_task: asyncio.Task | None = None
        self._current: tuple[int, asyncio.Task] | None = None
        self._swap_lock = asyncio.Lock()
        self.broadcast = broadcast  # several Rasa replicas: the registry decides, Redis tells them (broadcast.py)

    # --- life cycle ---------------------------------------------------------------------------------------------

    def recover_orphans(self) -> list[int]:
        """Jobs left `running` by a gateway that died: stop their training process, mark them failed."""
        orphans = []
        for job in store.running_jobs(self.sessions):
            if job.pid and _is_rasa_process(job.pid):
                kill_group(job.pid)
            tail = log_tail(Path(job.work_dir) / "train.log") if job.work_dir else ""
            message = "网关重启，训练中断；在线模型没有变化。请重新开始训练。"
            store.finish(self.sessions, job.id, "failed", message, tail)
            orphans.append(job.id)
        if orphans:
            log.warning("training jobs %s were interrupted by a gateway restart and marked failed", orphans)
        return orphans

    def start(self) -> None:
        self.recover_orphans()
        self._loop_task = asyncio.create_task(self._loop())

    async def stop(self) -> None:
        self._stopping = True
        self._wake.set()
        if self._current is not None:
            self._current[1].cancel()
        if self._loop_task is not None:
            await asyncio.gather(self._loop_task, return_exceptions=True)

    def wake(self) -> None:
        """A job was queued: look at the queue now instead of at the next poll."""
        self._wake.set()

    def cancel(self, job_id: int) -> bool:
        """Stop the running job if it is this one (its process group is killed)."""
        if self._current is not None and self._current[0] == job_id:
            self._current[1].cancel()
            return True
        return False

    def prune(self) -> list[str]:
        """Delete the files of old job-trained models beyond `training_keep_models` (the registry rows stay)."""
        removed = []
        for model in store.prunable(self.sessions, self.settings.training_keep_models):
            path = Path(model.path)
            if path.is_file() and path.parent.resolve() == self.settings.models_dir.resolve():
                path.unlink()
                removed.append(path.name)
        return removed

    async def _loop(self) -> None:
        while not self._stopping:
            try:
                job_id = store.claim_next(self.sessions)
            except Exception:  # noqa: BLE001 - database briefly away: try again later
                log.exception("training queue not readable")
                job_id = None
            if job_id is None:
                self._wake.clear()
                try:
                    await asyncio.wait_for(self._wake.wait(), POLL_SECONDS)
                except asyncio.TimeoutError:
                    pass
                continue
            task = asyncio.create_task(self.run_job(job_id))
            self._current = (job_id, task)
            try:
                await task
            except asyncio.CancelledError:
                if not task.cancelled():
                    raise
            finally:
                self._current = None
            try:
                await asyncio.to_thread(self.prune)
            except OSError:
                log.exception("old models not pruned")

    # --- one job ------------------------------------------------------------------------------------------------

    def _work_dir(self, job_id: int) -> Path:
        return self.settings.data_dir / "training" / f"job-{job_id}"

    async def run_job(self, job_id: int) -> None:
        """Snapshot → train → evaluate → gate → hot-swap. Any failure leaves the live model serving."""
        work = self._work_dir(job_id)
        train_log = work / "train.log"
        try:
            await self._run(job_id, work, train_log)
        except asyncio.CancelledError:
            reason = "网关停止，训练中断" if self._stopping else "训练已取消"
            store.finish(self.sessions, job_id, "cancelled" if not self._stopping else "failed",
                         f"{reason}；在线模型没有变化。", log_tail(train_log))  # fmt: skip
            raise
        except JobFailed as exc:
            store.finish(self.sessions, job_id, "failed", str(exc), log_tail(train_log))
        except Exception as exc:  # noqa: BLE001 - any other fault fails the job, never the gateway
            log.exception("training job %s failed", job_id)
            store.finish(self.sessions, job_id, "failed", f"训练出错（{type(exc).__name__}）；在线模型没有变化。",
                         log_tail(train_log))  # fmt: skip

    async def _run(self, job_id: int, work: Path, train_log: Path) -> None:
        settings = self.settings
        clock = _Stopwatch()
        snapshot = await asyncio.to_thread(self._snapshot, work / "snapshot")
        clock.lap("snapshot")
        store.set_fields(self.sessions, job_id, data_fingerprint=snapshot.fingerprint, work_dir=str(work),
                         stage="training", progress=5, message="已复制训练数据，正在训练。")  # fmt: skip
        live = await self._live_entry()
        if live is None:
            raise JobFailed("对话服务（Rasa）没有运行或没有加载模型，无法训练后上线。")
        if live.data_fingerprint == snapshot.fingerprint and not settings.training_epochs:
            store.finish(self.sessions, job_id, "unchanged", "训练数据没有变化，在线模型已经是最新的。", "")
            return

        model = await self._train(job_id, snapshot, live, train_log)
        clock.lap("train")
        store.set_fields(self.sessions, job_id, stage="evaluating", progress=75, message="正在用测试题评估新模型。")
        live_scores = live.scores or {}
        if not live_scores and Path(live.path).exists():  # first job after a start: score the live model too
            candidate_scores, live_scores = await asyncio.gather(
                self._evaluate(model, work / "eval-candidate", work / "eval-candidate.log"),
                self._evaluate(Path(live.path), work / "eval-live", work / "eval-live.log"),
            )
            store.set_scores(self.sessions, live.id, live_scores)
        else:
            candidate_scores = await self._evaluate(model, work / "eval-candidate", work / "eval-candidate.log")
        clock.lap("evaluate")
        decision = decide(candidate_scores, live_scores, settings.training_gate_margin)
        scores = {"candidate": candidate_scores, "live": live_scores, "gate": decision.as_dict(),
                  "margin": settings.training_gate_margin, "seconds": clock.laps}  # fmt: skip
        entry = store.register(self.sessions, model, snapshot.fingerprint,
                               "candidate" if decision.passed else "rejected", job_id, candidate_scores)  # fmt: skip
        if not decision.passed:
            message = "新模型比在线模型差，没有上线：" + " ".join(decision.failures)
            store.finish(self.sessions, job_id, "rejected", message, log_tail(train_log),
                         model_id=entry.id, scores=scores, progress=100)  # fmt: skip
            return
        store.set_fields(self.sessions, job_id, stage="activating", progress=95, message="正在切换到新模型。")
        job = store.get_job(self.sessions, job_id)
        actor = job.requested_by if job else "system"
        try:
            await self.activate(entry.id, actor)
        except ModelSwapFailed as exc:
            store.set_status(self.sessions, entry.id, "candidate")
            raise JobFailed(f"新模型没能加载，在线模型没有变化（{exc}）。") from exc
        store.audit(self.sessions, actor, "model.activate", f"model:{entry.id}", {"job": job_id, "name": entry.name})
        await asyncio.to_thread(self._publish_for_launcher, model, snapshot.fingerprint)
        clock.lap("activate")
        store.finish(self.sessions, job_id, "activated", "新模型已通过评估并上线。", log_tail(train_log),
                     model_id=entry.id, scores=scores, progress=100)  # fmt: skip

    def _snapshot(self, dest: Path) -> Snapshot:
        settings = self.settings
        with self._data_lock():
            return take_snapshot(settings.nlu_data_dir, settings.training_config, dest, settings.training_epochs)

    async def _train(self, job_id: int, snapshot: Snapshot, live: store.ModelVersion, train_log: Path) -> Path:
        settings = self.settings
        out_dir = settings.models_dir
        out_dir.mkdir(parents=True, exist_ok=True)
        name = self._model_name(job_id, snapshot)
        finetune = Path(live.path) if settings.training_finetune_fraction > 0 and Path(live.path).exists() else None
        finished = 0

        async def on_start(pid: int) -> None:
            store.set_fields(self.sessions, job_id, pid=pid)

        async def on_component(_name: str) -> None:
            nonlocal finished
            finished += 1
            store.set_fields(self.sessions, job_id, progress=min(70, 5 + 5 * finished))

        for mode in ["finetune", "full"] if finetune else ["full"]:
            store.set_fields(self.sessions, job_id, mode=mode)
            base = finetune if mode == "finetune" else None
            fraction = settings.training_finetune_fraction
            command = train_command(settings.rasa_binary, snapshot, out_dir, name, base, fraction)
            result = await run_logged(command, snapshot.root, train_log, on_start, on_component)
            if result.killed:
                raise JobFailed(f"训练进程被终止（信号 {-result.returncode}）；在线模型没有变化。")
            if mode == "finetune" and result.returncode != 0 and result.cannot_finetune:
                log.info("job %s: finetuning not possible (labels or recipe changed), training from scratch", job_id)
                continue
            break
        path = out_dir / f"{name}.tar.gz"
        if result.returncode != 0 or not path.exists():
            raise JobFailed(f"训练失败（退出码 {result.returncode}），详见日志；在线模型没有变化。")
        return path

    def _model_name(self, job_id: int, snapshot: Snapshot) -> str:
        return f"accessline-{snapshot.fingerprint}-job{job_id}"

    def _publish_for_launcher(self, model: Path, fingerprint: str) -> None:
        """After activation, also give the model the launcher's name for this data (`make run` then starts with it
        instead of training an ungated model). Only for the project's own data and recipe at full epochs."""
        settings = self.settings
        project_data = settings.nlu_data_dir.resolve() == (PROJECT_ROOT / "nlu_data").resolve()
        project_recipe = settings.training_config.resolve() == (PROJECT_ROOT / "dialogue" / "config.yml").resolve()
        canonical = settings.models_dir / f"accessline-{fingerprint}.tar.gz"
        if not (project_data and project_recipe) or settings.training_epochs or canonical.exists():
            return
        try:
            os.link(model, canonical)
        except OSError:
            shutil.copy2(model, canonical)

    async def _evaluate(self, model: Path, out_dir: Path, eval_log: Path) -> dict[str, float]:
        command = test_command(self.settings.rasa_binary, model, self.settings.training_eval_dir, out_dir)
        result = await run_logged(command, PROJECT_ROOT, eval_log)
        if result.returncode != 0:
            with (eval_log.parent / "train.log").open("a", encoding="utf-8") as job_log:  # keep it with the job
                job_log.write(f"\n--- {eval_log.name} ---\n{log_tail(eval_log, 5000)}\n")
            raise JobFailed(f"评估失败（退出码 {result.returncode}），详见日志；在线模型没有变化。")
        return read_scores(out_dir, self.settings.training_eval_dir)

    # --- registry and swaps -------------------------------------------------------------------------------------

    async def _live_entry(self) -> store.ModelVersion | None:
        """The registry entry of the model Rasa serves now (registered on first sight).

        With replicas (a broadcast) the registry's live model is the answer once there is one: one replica seen
        mid-swap must not turn the registry back to the model it still serves."""
        name = await self.admin.live_model()
        if name is None:
            return None
        if self.broadcast is not None:
            active = store.active_model(self.sessions)
            if active is not None:
                return active
        entry = store.model_by_name(self.sessions, name)
        if entry is None:
            match = CANONICAL.match(name)
            entry = store.register(self.sessions, self.settings.models_dir / name, match.group(1) if match else "",
                                   "active")  # fmt: skip
        elif entry.status != "active":
            store.mark_active(self.sessions, entry.id, "system")
        return store.get_model(self.sessions, entry.id)

    async def sync_live(self) -> store.ModelVersion | None:
        """Make the registry agree with what Rasa serves (for listing)."""
        return await self._live_entry()

    async def activate(self, model_id: int, actor: str) -> store.ModelVersion:
        """Hot-swap Rasa to a registered model (used for new models and for rollback)."""
        entry = store.get_model(self.sessions, model_id)
        if entry is None:
            raise LookupError(model_id)
        path = Path(entry.path)
        if not path.exists():
            raise ModelSwapFailed("模型文件已不存在。")
        async with self._swap_lock:
            # One replica loads it first (a model that does not load stops here, nothing changed); through a load
            # balancer /status may answer from another replica, so with replicas only Rasa's own answer counts.
            await self.admin.replace_model(path, verify=self.broadcast is None)
            store.mark_active(self.sessions, entry.id, actor)
            if self.broadcast is not None:
                await self.broadcast.announce(str(path))  # every other replica follows (bot/launcher/model_watch.py)
        return store.get_model(self.sessions, entry.id)

    async def rollback(self, actor: str) -> store.ModelVersion:
        """Go back to the model that was live before the current one."""
        await self._live_entry()
        previous = store.previous_model(self.sessions)
        if previous is None:
            raise LookupError("no previous model")
        return await self.activate(previous.id, actor)


def _is_rasa_process(pid: int) -> bool:
    """The pid still belongs to a `rasa train` (and not to a process that reused the number)."""
    try:
        command = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return False
    return "rasa" in command and " train" in command


class _Stopwatch:
    """Seconds spent in each step of a job (reported with its scores, and by bench/retrain_latency.py)."""

    def __init__(self) -> None:
        self._last = time.monotonic()
        self.laps: dict[str, float] = {}

    def lap(self, name: str) -> None:
        now = time.monotonic()
        self.laps[name] = round(now - self._last, 1)
        self._last = now
