"""The web routes' side of conversation keys (bot/services/conversations.py): admit a turn, refuse a stranger."""

from __future__ import annotations

from fastapi import Request, Response
from fastapi.responses import JSONResponse

from bot.services.conversations import HEADER, ConversationRefused

REFUSED = "这个对话已经在别的地方打开了。请刷新页面，开始新的对话。"
REFUSED_CODE = "conversation_key"
KEY_HEADER_DOC = "the conversation key from the first reply (required after the first turn)"


def presented_key(request: Request) -> str | None:
    return request.headers.get(HEADER)


def refused() -> JSONResponse:
    return JSONResponse(status_code=403, content={"detail": REFUSED, "code": REFUSED_CODE})


async def admit(request: Request, sender_id: str, key: str | None) -> str | None:
    """None for a turn with the right key, a new key for a new conversation; raises ConversationRefused."""
    return await request.app.state.conversations.admit(sender_id, key)


def hand_over_key(response: Response, key: str | None) -> Response:
    """Put a newly issued key on the response (errors included, so the client keeps it even then)."""
    if key:
        response.headers[HEADER] = key
    return response


__all__ = ["KEY_HEADER_DOC", "ConversationRefused", "admit", "hand_over_key", "presented_key", "refused"]
