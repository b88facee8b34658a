"""POST /api/chat — one turn of the conversation; GET /api/chat/{sender_id}/updates — operator messages."""

from __future__ import annotations

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import JSONResponse

from bot.api.schemas import Button, ChatRequest, ChatResponse, ErrorResponse, Message
from bot.dialogue.client import DialogueUnavailable
from bot.services import messages
from bot.services.chat import ChatTurn, TextTooLong
from bot.services.request_limits import limit

router = APIRouter(prefix="/api", tags=["chat"])


@router.post(
    "/chat",
    response_model=ChatResponse,
    responses={
        413: {"model": ErrorResponse},
        422: {"model": ErrorResponse},
        429: {"model": ErrorResponse},
        503: {"model": ErrorResponse},
    },
)
async def chat(body: ChatRequest, request: Request) -> ChatResponse | JSONResponse:
    """Send the resident's text to the assistant (or to the operator holding the conversation)."""
    await limit(request, "chat", body.sender_id)
    service = request.app.state.chat_service
    request.app.state.chat_turns += 1
    try:
        turn = await service.handle(body.sender_id, body.text)
    except TextTooLong as exc:
        return JSONResponse(status_code=413, content={"detail": str(exc)})
    except DialogueUnavailable as exc:
        return JSONResponse(status_code=503, content={"detail": messages.UNAVAILABLE, "down": exc.component})
    return ChatResponse(sender_id=body.sender_id, messages=render_messages(turn), handoff=turn.handoff)


def render_messages(turn: ChatTurn) -> list[Message]:
    """Bot messages first, then anything an operator (or the hand-back) said since the last turn."""
    rendered = [Message(text=m.text, buttons=[Button(**b) for b in m.buttons] or None) for m in turn.messages]
    for message in turn.person_messages:
        person = message["author"] == "operator"
        rendered.append(Message(text=message["text"], from_person=person, author=message["author"]))
    return rendered


@router.get("/chat/{sender_id}/updates", response_model=ChatResponse)
async def updates(
    request: Request,
    sender_id: str = Path(pattern=r"^[A-Za-z0-9_-]{1,64}$"),
    wait: float = Query(default=25, ge=0, le=30),
) -> ChatResponse:
    """Long poll: operator messages (and the hand-back) as they arrive, for channels without a WebSocket."""
    escalation = request.app.state.escalation
    person_messages = escalation.unseen_messages(sender_id)
    if not person_messages and wait:
        await request.app.state.hub.wait_for_resident(sender_id, wait)
        person_messages = escalation.unseen_messages(sender_id)
    handoff = escalation.open_handoff(sender_id)
    turn = ChatTurn([], handoff.as_dict() if handoff else None, person_messages)
    return ChatResponse(sender_id=sender_id, messages=render_messages(turn), handoff=turn.handoff)
