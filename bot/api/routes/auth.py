"""POST /api/auth/token — OAuth2 password flow for staff, operators and admins."""

from __future__ import annotations

from fastapi import APIRouter, Depends, HTTPException, Request, status
from fastapi.security import OAuth2PasswordRequestForm
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.api.deps import db_session
from bot.core.security import create_access_token, verify_password
from bot.storage.models import AuditEntry, User

router = APIRouter(prefix="/api/auth", tags=["auth"])


@router.post("/token")
def issue_token(
    request: Request, form: OAuth2PasswordRequestForm = Depends(), session: Session = Depends(db_session)
) -> dict[str, str]:
    """Exchange username and password for a bearer token."""
    user = session.scalar(select(User).where(User.username == form.username))
    if user is None or not user.active or not verify_password(user.password_hash, form.password):
        session.add(AuditEntry(actor=form.username[:64], action="auth.failed", target="", details={}))
        session.commit()
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, "用户名或密码不对。", headers={"WWW-Authenticate": "Bearer"})
    settings = request.app.state.settings
    token = create_access_token(
        request.app.state.secrets["jwt_secret"], user.username, user.role, settings.access_token_minutes
    )
    session.add(AuditEntry(actor=user.username, action="auth.login", target="", details={"role": user.role}))
    session.commit()
    return {"access_token": token, "token_type": "bearer", "role": user.role}
