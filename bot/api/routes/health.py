"""Liveness and readiness probes."""

from __future__ import annotations

import asyncio

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from bot.storage.db import database_reachable

router = APIRouter(tags=["health"])


@router.get("/healthz")
async def healthz() -> dict[str, str]:
    """The process is alive."""
    return {"status": "ok"}


@router.get("/readyz", responses={503: {"description": "not ready: {status, checks, down}"}})
async def readyz(request: Request) -> JSONResponse:
    """Rasa, the action server, the database and Redis (when configured) are all reachable."""
    state = request.app.state
    rasa_ok, actions_ok, db_ok = await asyncio.gather(
        state.dialogue.rasa_ready(),
        state.dialogue.action_server_ready(),
        asyncio.to_thread(database_reachable, state.engine),
    )
    checks = {"rasa": rasa_ok, "action_server": actions_ok, "database": db_ok}
    if state.redis is not None:
        try:
            checks["redis"] = bool(await state.redis.ping())
        except Exception:  # noqa: BLE001 - any client error means "down"
            checks["redis"] = False
    down = [name for name, ok in checks.items() if not ok]
    body = {"status": "ready" if not down else "not ready", "checks": checks, "down": down}
    return JSONResponse(status_code=200 if not down else 503, content=body)
