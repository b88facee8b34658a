"""All-or-nothing writes of several files under one directory, safe against a crash at any point.

Each new content is written to a temporary file in a staging directory beside the data directory and flushed to
disk; then a journal naming every file is put in place with one `os.replace` (the commit point); then each file is
moved into place and the journal removed. `recover()` (run at start-up and before every write) finishes a
committed change that a crash interrupted and throws away an uncommitted one, so readers never see half of it.
"""

from __future__ import annotations

import json
import os
import uuid
from pathlib import Path

JOURNAL = "journal.json"


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _write_synced(path: Path, data: bytes) -> None:
    with open(path, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())


def _replace(source: Path, target: Path) -> None:
    os.replace(source, target)


class AtomicFiles:
    """Atomic multi-file changes to the files under `root` (paths are relative to it)."""

    def __init__(self, root: Path, staging: Path | None = None) -> None:
        self.root = root.resolve()
        self.staging = staging or self.root.parent / f".{self.root.name}.staging"

    def target(self, relative: str) -> Path:
        """The absolute path of `relative`, refusing anything outside the root."""
        path = (self.root / relative).resolve()
        if self.root not in path.parents:
            raise ValueError(f"path outside the data directory: {relative}")
        return path

    def write(self, changes: dict[str, str | None]) -> None:
        """Write all `changes` (relative path → new text, or None to delete the file) or none of them."""
        self.recover()
        if not changes:
            return
        self.staging.mkdir(parents=True, exist_ok=True)
        entries = []
        try:
            for relative, text in sorted(changes.items()):
                self.target(relative)  # validate before anything is written
                temp = None
                if text is not None:
                    temp = f"{uuid.uuid4().hex}.tmp"
                    _write_synced(self.staging / temp, text.encode("utf-8"))
                entries.append({"path": relative, "temp": temp})
            _fsync_dir(self.staging)
            pending = self.staging / f"{JOURNAL}.{uuid.uuid4().hex}"
            _write_synced(pending, json.dumps({"files": entries}, ensure_ascii=False).encode("utf-8"))
        except BaseException:
            self._discard()
            raise
        _replace(pending, self.staging / JOURNAL)  # commit point
        _fsync_dir(self.staging)
        self._apply()

    def committed(self) -> bool:
        """True when a committed change is waiting to be finished (its journal is in place)."""
        return (self.staging / JOURNAL).exists()

    def recover(self) -> str:
        """Finish a committed change or discard an uncommitted one. Returns what was done ("" if nothing)."""
        if not self.staging.exists():
            return ""
        if (self.staging / JOURNAL).exists():
            self._apply()
            return "completed"
        self._discard()
        return "discarded"

    def _apply(self) -> None:
        journal = json.loads((self.staging / JOURNAL).read_text("utf-8"))
        touched: set[Path] = set()
        for entry in journal["files"]:
            target = self.target(entry["path"])
            touched.add(target.parent)
            if entry["temp"] is None:
                target.unlink(missing_ok=True)
                continue
            temp = self.staging / entry["temp"]
            if temp.exists():  # already moved when a previous attempt got this far
                target.parent.mkdir(parents=True, exist_ok=True)
                _replace(temp, target)
        for directory in touched:
            _fsync_dir(directory)
        (self.staging / JOURNAL).unlink()
        self._discard()

    def _discard(self) -> None:
        for leftover in self.staging.iterdir():
            leftover.unlink()
        self.staging.rmdir()
        _fsync_dir(self.staging.parent)
