"""Copy the live training data and recipe into a job's own folder, so training never reads files being edited."""

from __future__ import annotations

import hashlib
import shutil
from dataclasses import dataclass
from pathlib import Path

import yaml

from bot.core.config import PROJECT_ROOT

RASA_REQUIREMENTS = PROJECT_ROOT / "requirements" / "rasa.txt"
TRAINING_SUBDIRS = ("nlu", "faq", "rules")
TUNED_COMPONENTS = ("DIETClassifier", "ResponseSelector", "TEDPolicy")


@dataclass(frozen=True)
class Snapshot:
    """A frozen copy: `<root>/nlu_data/…` and `<root>/dialogue/config.yml` (train with cwd=root)."""

    root: Path
    fingerprint: str

    @property
    def data_dir(self) -> Path:
        return self.root / "nlu_data"

    @property
    def config(self) -> Path:
        return self.root / "dialogue" / "config.yml"

    @property
    def domain(self) -> Path:
        return self.data_dir / "domain"

    @property
    def training_dirs(self) -> list[Path]:
        return [self.data_dir / name for name in TRAINING_SUBDIRS if (self.data_dir / name).is_dir()]


def data_fingerprint(data_dir: Path, config: Path) -> str:
    """The launcher's model fingerprint (bot/launcher/model.py) computed for any data folder and config."""
    digest = hashlib.sha256()
    files = [(Path("dialogue/config.yml"), config), (Path("requirements/rasa.txt"), RASA_REQUIREMENTS)]
    files += [(Path("nlu_data") / p.relative_to(data_dir), p) for p in sorted(data_dir.rglob("*")) if p.is_file()]
    for relative, path in files:
        digest.update(str(relative).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def with_epochs(config_text: str, epochs: int) -> str:
    """The recipe with the epochs of the neural components replaced (the only change finetuning allows)."""
    recipe = yaml.safe_load(config_text)
    for section in ("pipeline", "policies"):
        for component in recipe.get(section) or []:
            if component.get("name") in TUNED_COMPONENTS:
                component["epochs"] = epochs
    return yaml.safe_dump(recipe, allow_unicode=True, sort_keys=False)


def take_snapshot(data_dir: Path, config: Path, dest: Path, epochs: int | None = None, attempts: int = 3) -> Snapshot:
    """Copy data and recipe into `dest`; retry when the data changed while it was being copied."""
    for _ in range(attempts):
        before = data_fingerprint(data_dir, config)
        if dest.exists():
            shutil.rmtree(dest)
        shutil.copytree(data_dir, dest / "nlu_data")
        (dest / "dialogue").mkdir(parents=True)
        text = config.read_text(encoding="utf-8")
        (dest / "dialogue" / "config.yml").write_text(with_epochs(text, epochs) if epochs else text, encoding="utf-8")
        copied = data_fingerprint(dest / "nlu_data", config)
        if copied == before == data_fingerprint(data_dir, config):
            return Snapshot(dest, before)
    raise RuntimeError("训练数据一直在变化，请等编辑保存完再训练。")
