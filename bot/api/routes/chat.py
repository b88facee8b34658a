"""POST /api/chat — one turn of the conversation; GET /api/chat/{sender_id}/updates — operator messages.

Both need the conversation's key after the first turn (bot/services/conversations.py): knowing a conversation id is
not enough to speak in it or to read what an operator wrote."""

from __future__ import annotations

from fastapi import APIRouter, Header, Path, Query, Request, Response
from fastapi.responses import JSONResponse

from bot.api.conversation_access import KEY_HEADER_DOC, ConversationRefused, admit, hand_over_key, refused
from bot.api.deps import client_address
from bot.api.schemas import Button, ChatRequest, ChatResponse, ErrorResponse, Message
from bot.dialogue.client import DialogueUnavailable
from bot.escalation.ticket_markers import answer
from bot.services import messages
from bot.services.chat import ChatTurn, TextTooLong
from bot.services.client_tags import web_client
from bot.services.request_limits import limit

router = APIRouter(prefix="/api", tags=["chat"])


@router.post(
    "/chat",
    response_model=ChatResponse,
    responses={
        403: {"model": ErrorResponse, "description": "the conversation belongs to another client (wrong key)"},
        413: {"model": ErrorResponse},
        422: {"model": ErrorResponse},
        429: {"model": ErrorResponse},
        503: {"model": ErrorResponse},
    },
)
async def chat(
    body: ChatRequest,
    request: Request,
    response: Response,
    x_conversation_key: str | None = Header(default=None, max_length=256, description=KEY_HEADER_DOC),
) -> ChatResponse | JSONResponse:
    """Send the resident's text to the assistant (or to the operator holding the conversation)."""
    service = request.app.state.chat_service
    markers = service.ticket_keys(body.sender_id)  # read with the rate limits: one round trip for both
    found = await limit(request, "chat", body.sender_id, markers)
    try:
        issued = await admit(request, body.sender_id, x_conversation_key)
    except ConversationRefused:
        return refused()
    has_ticket = answer(*found) if found else None
    try:
        turn = await service.handle(
            body.sender_id, body.text, client=web_client(client_address(request)), has_ticket=has_ticket
        )
    except TextTooLong as exc:
        return hand_over_key(JSONResponse(status_code=413, content={"detail": str(exc)}), issued)
    except DialogueUnavailable as exc:
        content = {"detail": messages.UNAVAILABLE, "down": exc.component}
        return hand_over_key(JSONResponse(status_code=503, content=content), issued)
    hand_over_key(response, issued)
    return ChatResponse(
        sender_id=body.sender_id, messages=render_messages(turn), handoff=turn.handoff, conversation_key=issued
    )


def render_messages(turn: ChatTurn) -> list[Message]:
    """Bot messages first, then anything an operator (or the hand-back) said since the last turn."""
    rendered = [Message(text=m.text, buttons=[Button(**b) for b in m.buttons] or None) for m in turn.messages]
    for message in turn.person_messages:
        person = message["author"] == "operator"
        rendered.append(Message(text=message["text"], from_person=person, author=message["author"]))
    return rendered


@router.get(
    "/chat/{sender_id}/updates",
    response_model=ChatResponse,
    responses={403: {"model": ErrorResponse, "description": "missing or wrong X-Conversation-Key"}},
)
async def updates(
    request: Request,
    sender_id: str = Path(pattern=r"^[A-Za-z0-9_-]{1,64}$"),
    wait: float = Query(default=25, ge=0, le=30),
    x_conversation_key: str | None = Header(default=None, max_length=256, description=KEY_HEADER_DOC),
) -> ChatResponse | JSONResponse:
    """Long poll: operator messages (and the hand-back) as they arrive, for channels without a WebSocket."""
    if not await request.app.state.conversations.check(sender_id, x_conversation_key):
        return refused()
    escalation = request.app.state.escalation
    person_messages = await escalation.take_unseen(sender_id)
    if not person_messages and wait:
        await request.app.state.hub.wait_for_resident(sender_id, wait)
        person_messages = await escalation.take_unseen(sender_id)
    handoff = await escalation.handoff_for(sender_id)
    turn = ChatTurn([], handoff.as_dict() if handoff else None, person_messages)
    return ChatResponse(sender_id=sender_id, messages=render_messages(turn), handoff=turn.handoff)
