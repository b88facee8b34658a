"""POST /api/auth/token — OAuth2 password flow for staff, operators and admins; POST /api/auth/logout revokes."""

from __future__ import annotations

import asyncio

from fastapi import APIRouter, Depends, HTTPException, Request, Response, status
from fastapi.security import OAuth2PasswordRequestForm
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bot.api.deps import SESSION_COOKIE, CurrentUser, client_address, current_user
from bot.api.schemas import ErrorResponse
from bot.core.security import create_access_token
from bot.services.accounts import revoke_tokens
from bot.services.login import LoginBusy
from bot.storage.models import AuditEntry, User

router = APIRouter(prefix="/api/auth", tags=["auth"])
WRONG = "用户名或密码不对。"
THROTTLED = "登录失败的次数太多了，请过一刻钟再试。"
BUSY = "登录的人太多，请过几秒钟再试。"


def _find_user(sessions: sessionmaker[Session], username: str) -> tuple[str, str, bool, int] | None:
    with sessions() as session:
        user = session.scalar(select(User).where(User.username == username))
        return None if user is None else (user.password_hash, user.role, user.active, user.token_version)


def _audit(sessions: sessionmaker[Session], actor: str, action: str, details: dict) -> None:
    with sessions() as session:
        session.add(AuditEntry(actor=actor[:64], action=action, target="", details=details))
        session.commit()


@router.post(
    "/token", responses={401: {"model": ErrorResponse}, 429: {"model": ErrorResponse}, 503: {"model": ErrorResponse}}
)
async def issue_token(
    request: Request, response: Response, form: OAuth2PasswordRequestForm = Depends()
) -> dict[str, str]:
    """Exchange username and password for a bearer token, also set as the pages' session cookie (HttpOnly,
    SameSite=Strict: one sign-in for every staff page, never readable by scripts). Failures are throttled per
    username and per address."""
    state = request.app.state
    username, address = form.username[:64], client_address(request)
    if await state.login_throttle.blocked(username, address):
        await asyncio.to_thread(_audit, state.sessions, username, "auth.throttled", {})
        retry = str(state.login_throttle.retry_after)
        raise HTTPException(status.HTTP_429_TOO_MANY_REQUESTS, THROTTLED, headers={"Retry-After": retry})
    found = await asyncio.to_thread(_find_user, state.sessions, username)
    try:
        matches = await state.password_verifier.verify(found[0] if found else None, form.password)
    except LoginBusy as exc:
        raise HTTPException(status.HTTP_503_SERVICE_UNAVAILABLE, BUSY, headers={"Retry-After": "5"}) from exc
    if found is None or not matches or not found[2]:
        await state.login_throttle.failed(username, address)
        await asyncio.to_thread(_audit, state.sessions, username, "auth.failed", {})
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, WRONG, headers={"WWW-Authenticate": "Bearer"})
    await state.login_throttle.succeeded(username)
    _hash, role, _active, version = found
    token = create_access_token(
        state.secrets["jwt_secret"], username, role, state.settings.access_token_minutes, version=version
    )
    await asyncio.to_thread(_audit, state.sessions, username, "auth.login", {"role": role})
    response.set_cookie(
        SESSION_COOKIE,
        token,
        max_age=state.settings.access_token_minutes * 60,
        path="/",
        httponly=True,
        samesite="strict",
        secure=request.url.scheme == "https",
    )
    return {"access_token": token, "token_type": "bearer", "role": role, "username": username}


@router.get("/me", responses={401: {"model": ErrorResponse}})
async def who_am_i(user: CurrentUser = Depends(current_user)) -> dict[str, str]:
    """Who the session (cookie or Bearer token) belongs to: the pages ask this when they open."""
    return {"username": user.username, "role": user.role}


def _revoke(sessions: sessionmaker[Session], username: str) -> None:
    with sessions() as session:
        revoke_tokens(session, username, actor=username, reason="logout")


@router.post("/logout", status_code=204, responses={401: {"model": ErrorResponse}})
async def logout(request: Request, user: CurrentUser = Depends(current_user)) -> Response:
    """Sign out everywhere: every token of this user stops working and their console sockets close."""
    await asyncio.to_thread(_revoke, request.app.state.sessions, user.username)
    await request.app.state.hub.close_operator(user.username)
    response = Response(status_code=204)
    response.delete_cookie(SESSION_COOKIE, path="/", httponly=True, samesite="strict")
    return response
