"""Dependencies shared by routes: database sessions, the field cipher, the current user and role checks."""

from __future__ import annotations

from collections.abc import Callable, Iterator

from fastapi import Depends, Header, HTTPException, Request, status
from fastapi.security import OAuth2PasswordBearer
from sqlalchemy.orm import Session

from bot.core.security import FieldCipher, decode_access_token, same_secret

oauth2_scheme = OAuth2PasswordBearer(tokenUrl="/api/auth/token")


def db_session(request: Request) -> Iterator[Session]:
    with request.app.state.sessions() as session:
        yield session


def cipher(request: Request) -> FieldCipher:
    return request.app.state.cipher


class CurrentUser:
    def __init__(self, username: str, role: str) -> None:
        self.username = username
        self.role = role


def current_user(request: Request, token: str = Depends(oauth2_scheme)) -> CurrentUser:
    claims = decode_access_token(request.app.state.secrets["jwt_secret"], token)
    if not claims:
        raise HTTPException(
            status.HTTP_401_UNAUTHORIZED, "登录已过期或无效，请重新登录。", headers={"WWW-Authenticate": "Bearer"}
        )
    return CurrentUser(claims["sub"], claims["role"])


def require_roles(*roles: str) -> Callable[[CurrentUser], CurrentUser]:
    """A dependency that lets only the given roles through (403 otherwise)."""

    def check(user: CurrentUser = Depends(current_user)) -> CurrentUser:
        if user.role not in roles:
            raise HTTPException(status.HTTP_403_FORBIDDEN, "您的账号没有这个权限。")
        return user

    return check


def internal_caller(request: Request, x_internal_token: str | None = Header(default=None)) -> None:
    """Only the action server (holding the shared secret) may call /internal/*."""
    if not same_secret(x_internal_token, request.app.state.secrets["internal_token"]):
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, "internal token required")
