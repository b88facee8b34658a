"""Run `rasa train` and `rasa test nlu` as child processes, their output appended to a log file."""

from __future__ import annotations

import asyncio
import os
import re
import signal
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path

from bot.launcher.model import rasa_environment
from bot.training.snapshot import Snapshot

# Rasa logs one line per graph component it trains; we count them for a rough progress figure.
_FINISHED_COMPONENT = re.compile(r"Finished training component '([^']+)'")
_CANNOT_FINETUNE = re.compile(r"Cannot finetune|No model for finetuning found|does not remember seeing a training run")


@dataclass
class ProcessResult:
    returncode: int
    cannot_finetune: bool = False

    @property
    def killed(self) -> bool:
        return self.returncode < 0


def train_command(rasa: Path, snapshot: Snapshot, out_dir: Path, name: str, finetune: Path | None, fraction: float):
    """The `rasa train` command line for a snapshot (run it with cwd = snapshot.root)."""
    command = [
        str(rasa), "train", "--config", str(snapshot.config), "--domain", str(snapshot.domain),
        "--data", *[str(d) for d in snapshot.training_dirs], "--out", str(out_dir), "--fixed-model-name", name,
    ]  # fmt: skip
    if finetune is not None:
        command += ["--finetune", str(finetune), "--epoch-fraction", f"{fraction:g}"]
    return command


def test_command(rasa: Path, model: Path, eval_dir: Path, out_dir: Path) -> list[str]:
    """`rasa test nlu` on the held-out split, reports (JSON) written to `out_dir`."""
    return [str(rasa), "test", "nlu", "--nlu", str(eval_dir), "--model", str(model), "--out", str(out_dir),
            "--no-plot"]  # fmt: skip


async def run_logged(
    command: list[str],
    cwd: Path,
    log_path: Path,
    on_start: Callable[[int], Awaitable[None]] | None = None,
    on_component: Callable[[str], Awaitable[None]] | None = None,
) -> ProcessResult:
    """Run a command in its own process group, append its output to `log_path`; cancellation kills the group."""
    log_path.parent.mkdir(parents=True, exist_ok=True)
    process = await asyncio.create_subprocess_exec(
        *command, cwd=cwd, env=rasa_environment(dict(os.environ)), stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT, stdin=asyncio.subprocess.DEVNULL, start_new_session=True,
    )  # fmt: skip
    cannot_finetune = False
    try:
        if on_start is not None:
            await on_start(process.pid)
        with log_path.open("ab") as log:
            log.write(("$ " + " ".join(command) + "\n").encode())
            assert process.stdout is not None
            async for raw in process.stdout:
                log.write(raw)
                log.flush()
                line = raw.decode(errors="replace")
                cannot_finetune = cannot_finetune or bool(_CANNOT_FINETUNE.search(line))
                match = _FINISHED_COMPONENT.search(line)
                if match and on_component is not None:
                    await on_component(match.group(1))
        returncode = await process.wait()
    except asyncio.CancelledError:
        kill_group(process.pid)
        await process.wait()
        raise
    return ProcessResult(returncode, cannot_finetune)


def kill_group(pid: int, sig: int = signal.SIGKILL) -> bool:
    """Kill a child's whole process group; False when it is already gone."""
    try:
        os.killpg(pid, sig)
        return True
    except (ProcessLookupError, PermissionError):
        return False


def log_tail(path: Path, limit: int = 20000) -> str:
    """The commands run and the end of a log (progress bars' carriage returns folded), for storing with the job."""
    if not path.exists():
        return ""
    with path.open("rb") as handle:
        commands = [line.decode(errors="replace").rstrip() for line in handle if line.startswith(b"$ ")]
        handle.seek(0, os.SEEK_END)
        size = handle.tell()
        handle.seek(max(0, size - limit * 2))
        text = handle.read().decode(errors="replace")
    lines = [line.rsplit("\r", 1)[-1] for line in text.splitlines()]
    tail = "\n".join(lines)[-limit:]
    missing = [c for c in commands if c not in tail]
    return "\n".join([*missing, "…", tail]) if missing else tail
