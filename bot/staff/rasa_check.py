"""`rasa data validate` on a staged copy of nlu_data with an edit applied, before the edit is saved.

Rasa fails (exit code 1) on broken data, and only warns about many problems (an example under two intents, an
intent without examples…). Warnings that the live data already has are known; a warning the edit adds is refused.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import tempfile
import threading
from pathlib import Path

from bot.launcher.model import rasa_environment, rasa_executable

_ANSI = re.compile(r"\x1b\[[0-9;]*m")
_WARNING = re.compile(r"UserWarning: (.+)")
_ERROR = re.compile(r"(?:ERROR|Exception|Error)\b.*?[:：-]\s*(.+)")
_POSITION = re.compile(r"^in (nlu_data/\S+?):(\d+):")
TRAINING_FOLDERS = ("nlu", "faq", "rules")


def data_fingerprint(root: Path) -> str:
    """A hash over the names and contents of the data Rasa validates."""
    digest = hashlib.sha256()
    for path in sorted(p for p in root.rglob("*.yml") if p.is_file()):
        digest.update(str(path.relative_to(root)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


class RasaDataCheck:
    """Runs `rasa data validate` (in the Rasa environment, with a time limit) and explains the result."""

    def __init__(self, config: Path, timeout: float, rasa: Path | None = None) -> None:
        self.config = config
        self.timeout = timeout
        self.rasa = rasa or rasa_executable()
        self._known: dict[str, set[str]] = {}  # data fingerprint → warnings it already has
        self._guard = threading.Lock()

    def check(self, root: Path, changes: dict[str, str | None]) -> list[str]:
        """Problems Rasa finds in nlu_data at `root` with `changes` applied ([] = fine)."""
        if not self.rasa.exists():
            return [f"找不到 Rasa（{self.rasa.name}），无法检查，这次没有保存。请联系技术人员。"]
        with tempfile.TemporaryDirectory(prefix="faqcheck") as work:
            staged = Path(work) / "nlu_data"
            shutil.copytree(root, staged)
            for relative, text in changes.items():
                target = staged / relative
                if text is None:
                    target.unlink(missing_ok=True)
                else:
                    target.parent.mkdir(parents=True, exist_ok=True)
                    target.write_text(text, "utf-8")
            baseline = self._baseline(root, Path(work))
            if isinstance(baseline, list):
                return baseline
            result = self._run(staged, Path(work))
            if isinstance(result, list):
                return result
            with self._guard:
                self._known[data_fingerprint(staged)] = result
            return [f"Rasa 检查发现新问题：{warning}" for warning in sorted(result - baseline)]

    def _baseline(self, root: Path, work: Path) -> set[str] | list[str]:
        fingerprint = data_fingerprint(root)
        with self._guard:
            known = self._known.get(fingerprint)
        if known is not None:
            return known
        live = work / "live"
        shutil.copytree(root, live)
        result = self._run(live, work)
        if isinstance(result, list):  # the live data itself fails: report it, the edit cannot be judged
            return ["现在的问答数据本身没通过 Rasa 检查，请联系技术人员：" + "；".join(result)]
        with self._guard:
            self._known[fingerprint] = result
        return result

    def _run(self, data: Path, work: Path) -> set[str] | list[str]:
        """The set of warnings when Rasa accepts the data, else a list of error messages."""
        command = [
            str(self.rasa), "data", "validate",
            "--domain", str(data / "domain"),
            "--data", *[str(data / folder) for folder in TRAINING_FOLDERS if (data / folder).exists()],
            "--config", str(self.config),
        ]  # fmt: skip
        try:
            finished = subprocess.run(
                command,
                cwd=work,
                env=rasa_environment(dict(os.environ)),
                capture_output=True,
                text=True,
                timeout=self.timeout,
            )
        except subprocess.TimeoutExpired:
            return [f"Rasa 检查超过了{int(self.timeout)}秒还没做完，这次没有保存。请稍后再试。"]
        output = _ANSI.sub("", finished.stdout + "\n" + finished.stderr).replace(str(data), "nlu_data")
        warnings = {m.group(1).strip() for m in _WARNING.finditer(output)}
        if finished.returncode == 0:
            return warnings
        return _errors(output) or [f"Rasa 检查没通过（退出码 {finished.returncode}），请联系技术人员查看日志。"]


def _errors(output: str) -> list[str]:
    """The lines of Rasa's output that say what went wrong (the exception, ERROR log lines, file positions)."""
    found: list[str] = []
    for line in output.splitlines():
        line = line.strip()
        position = _POSITION.match(line)
        if position:
            found.append(f"出问题的位置：{position.group(1)} 第{position.group(2)}行")
            continue
        if not line or line.startswith(("File ", "Traceback", "^")) or "Warning" in line:
            continue
        if " ERROR " in f" {line} " or re.match(r"^[\w.]+(?:Exception|Error): ", line):
            match = _ERROR.search(line)
            found.append("Rasa 检查没通过：" + (match.group(1) if match else line)[:300])
    return list(dict.fromkeys(found))[-4:]
