"""Which model a (re)started stack serves: the registry's live model when there is one, else the launcher's own."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.exc import SQLAlchemyError

from bot.launcher.model import ensure_model
from bot.storage.db import make_engine, make_session_factory
from bot.training.store import active_model


def registry_model(database_url: str) -> Path | None:
    """The model the registry says is live, when the database has one and its file is on this machine."""
    engine = make_engine(database_url)
    try:
        entry = active_model(make_session_factory(engine))
    except SQLAlchemyError:  # no database yet, or not migrated: nothing was ever put live
        return None
    finally:
        engine.dispose()
    if entry is None:
        return None
    path = Path(entry.path)
    if not path.is_file():
        print(f">> the registry's live model {path.name} is missing on this machine", flush=True)
        return None
    return path


def startup_model(database_url: str) -> Path:
    """Start from what staff put live (a restart must not undo a retrain); train only when nothing is live."""
    live = registry_model(database_url)
    if live is not None:
        print(f">> starting from the registry's live model: {live}", flush=True)
        return live
    return ensure_model()
