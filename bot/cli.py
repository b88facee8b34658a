"""Administration commands: `python -m bot.cli create-user NAME --role staff` (password read from stdin);
`python -m bot.cli reencrypt` (every personal field under the newest ACCESSLINE_DATA_KEY, after a rotation)."""

from __future__ import annotations

import argparse
import getpass
import sys

from sqlalchemy import select

from bot.core.config import get_settings
from bot.core.security import hash_password
from bot.storage import migrate
from bot.storage.db import make_engine, make_session_factory
from bot.storage.models import AuditEntry, User

ROLES = ("staff", "operator", "admin")
MIN_PASSWORD_LENGTH = 10


def _read_password() -> str:
    if sys.stdin.isatty():
        first = getpass.getpass("Password: ")
        if getpass.getpass("Repeat: ") != first:
            sys.exit("passwords differ")
        return first
    return sys.stdin.readline().rstrip("\n")


def create_user(username: str, role: str, password: str, database_url: str) -> None:
    """Create or update (password, role) a user."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ValueError(f"password must have at least {MIN_PASSWORD_LENGTH} characters")
    migrate.upgrade(database_url)
    engine = make_engine(database_url)
    with make_session_factory(engine)() as session:
        user = session.scalar(select(User).where(User.username == username))
        if user is None:
            user = User(username=username, role=role, password_hash=hash_password(password), active=True)
            session.add(user)
        else:
            user.role, user.password_hash, user.active = role, hash_password(password), True
        session.add(AuditEntry(actor="cli", action="user.save", target=username, details={"role": role}))
        session.commit()
    engine.dispose()


def reencrypt_all() -> int:
    """Rotate every encrypted field of the configured database to the first data key."""
    from bot.core.security import FieldCipher
    from bot.storage.reencrypt import reencrypt

    settings = get_settings()
    keys = settings.keys()
    migrate.upgrade(settings.effective_database_url)
    engine = make_engine(settings.effective_database_url)
    try:
        counts = reencrypt(engine, FieldCipher(keys.data_keys, keys.lookup_key))
    finally:
        engine.dispose()
    for table, count in counts.items():
        print(f"{table}: {count} rows re-encrypted")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot.cli")
    commands = parser.add_subparsers(dest="command", required=True)
    create = commands.add_parser("create-user", help="create a user or reset its password (password on stdin)")
    create.add_argument("username")
    create.add_argument("--role", choices=ROLES, required=True)
    commands.add_parser("reencrypt", help="re-encrypt personal fields under the newest data key (after rotation)")
    args = parser.parse_args(argv)
    if args.command == "reencrypt":
        return reencrypt_all()
    try:
        create_user(args.username, args.role, _read_password(), get_settings().effective_database_url)
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(f"user {args.username!r} saved with role {args.role}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
