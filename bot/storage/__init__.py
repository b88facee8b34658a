"""Durable storage owned by the gateway: SQLAlchemy 2 models and Alembic migrations."""
