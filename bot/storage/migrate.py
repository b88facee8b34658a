"""Run Alembic migrations programmatically (used at start-up and in tests)."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config

MIGRATIONS_DIR = Path(__file__).with_name("migrations")


def alembic_config(database_url: str, data_key: str | None = None) -> Config:
    """Alembic's configuration; `data_key` (the Fernet key of personal fields) reaches migrations that encrypt or
    decrypt stored rows as `config.attributes["data_key"]`."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("sqlalchemy.url", database_url.replace("%", "%%"))
    config.attributes["data_key"] = data_key
    return config


def upgrade(database_url: str, revision: str = "head", data_key: str | None = None) -> None:
    """Bring the database schema up to `revision`."""
    command.upgrade(alembic_config(database_url, data_key), revision)


def downgrade(database_url: str, revision: str = "base", data_key: str | None = None) -> None:
    """Take the database schema down to `revision`."""
    command.downgrade(alembic_config(database_url, data_key), revision)
