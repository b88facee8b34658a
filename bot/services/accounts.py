"""Staff, operator and admin accounts behind a bearer token: the token must be valid AND its user must still exist,
be active and not have revoked it (token version), on every request and every console socket."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from bot.core.security import decode_access_token
from bot.storage.models import AuditEntry, User


@dataclass(frozen=True)
class Account:
    """A signed-in user as the database says now (the role comes from the database, not from the token)."""

    username: str
    role: str
    token_version: int
    expires_at: datetime


def account_for_token(session: Session, secret: str, token: str) -> Account | None:
    """The account a token stands for, or None when the token is invalid, expired or revoked, or its user is gone
    or inactive."""
    claims = decode_access_token(secret, token)
    if not claims:
        return None
    user = session.scalar(select(User).where(User.username == str(claims["sub"])))
    if user is None or not user.active or claims["ver"] != user.token_version:
        return None
    return Account(user.username, user.role, user.token_version, datetime.fromtimestamp(claims["exp"], timezone.utc))


def still_valid(session: Session, account: Account) -> bool:
    """The account has not been deactivated, deleted or signed out since its token was checked."""
    user = session.scalar(select(User).where(User.username == account.username))
    return (
        user is not None
        and user.active
        and user.token_version == account.token_version
        and datetime.now(timezone.utc) < account.expires_at
    )


def revoke_tokens(session: Session, username: str, actor: str, reason: str) -> None:
    """Invalidate every token issued to `username` so far (logout, password reset)."""
    session.execute(update(User).where(User.username == username).values(token_version=User.token_version + 1))
    session.add(AuditEntry(actor=actor, action="auth.revoke", target=username, details={"reason": reason}))
    session.commit()
