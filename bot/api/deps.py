"""Dependencies shared by routes: database sessions, the field cipher, the current user and role checks."""

from __future__ import annotations

from collections.abc import Callable, Iterator

from fastapi import Depends, Header, HTTPException, Request, status
from fastapi.security import OAuth2PasswordBearer
from sqlalchemy.orm import Session

from bot.core.security import FieldCipher, same_secret
from bot.services.accounts import account_for_token

oauth2_scheme = OAuth2PasswordBearer(tokenUrl="/api/auth/token", auto_error=False)
EXPIRED = "登录已过期或无效，请重新登录。"
# The staff pages' and the console's session: an HttpOnly, SameSite=Strict cookie set at sign-in
# (bot/api/routes/auth.py), so one sign-in serves every page and no script can read the token.
# API clients send the Bearer header instead.
SESSION_COOKIE = "al_session"
# A write authenticated by the cookie must carry this header: a page of another site cannot add it without CORS.
PAGE_HEADER = "X-AccessLine-Page"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def db_session(request: Request) -> Iterator[Session]:
    with request.app.state.sessions() as session:
        yield session


def cipher(request: Request) -> FieldCipher:
    return request.app.state.cipher


def client_address(request: Request) -> str:
    """The client's address as the server saw it. Behind a reverse proxy, uvicorn's --proxy-headers with
    --forwarded-allow-ips set to the proxy's address makes this the resident's address (docs/security.md)."""
    return request.client.host if request.client else "unknown"


class CurrentUser:
    def __init__(self, username: str, role: str) -> None:
        self.username = username
        self.role = role


def request_token(request: Request, bearer: str | None) -> str | None:
    """The Bearer token, else the session cookie (for a write, only with the page header: no cross-site forms)."""
    if bearer:
        return bearer
    cookie = request.cookies.get(SESSION_COOKIE)
    if not cookie:
        return None
    if request.method not in SAFE_METHODS and request.headers.get(PAGE_HEADER) != "1":
        raise HTTPException(status.HTTP_403_FORBIDDEN, "请从工作人员页面操作。")
    return cookie[:4096]


def current_user(
    request: Request, bearer: str | None = Depends(oauth2_scheme), session: Session = Depends(db_session)
) -> CurrentUser:
    """The signed-in user: a valid token whose user still exists, is active and has not revoked it."""
    token = request_token(request, bearer)
    if token is None:
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, EXPIRED, headers={"WWW-Authenticate": "Bearer"})
    account = account_for_token(session, request.app.state.secrets["jwt_secret"], token)
    if account is None:
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, EXPIRED, headers={"WWW-Authenticate": "Bearer"})
    return CurrentUser(account.username, account.role)


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
