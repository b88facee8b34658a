"""/api/operator/* and /ws/operator — the hotline operators' console API.

Operators see personal data (contact phone, linked application) only for the tickets they hold; every view of a
ticket is audited.
"""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, Depends, HTTPException, Request, WebSocket, WebSocketDisconnect
from pydantic import BaseModel, Field
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.api.deps import CurrentUser, cipher, db_session, require_roles
from bot.core.security import FieldCipher, decode_access_token
from bot.escalation.tickets import PRIORITY_RANK
from bot.services import applications
from bot.storage.models import Application, AuditEntry, CannedResponse, Ticket, TicketMessage

router = APIRouter(prefix="/api/operator", tags=["operator"])
socket_router = APIRouter()
operator_only = require_roles("operator", "admin")
editors = require_roles("staff", "admin")
any_staff = require_roles("operator", "staff", "admin")
CONSOLE_ROLES = ("operator", "admin")


def _ticket(session: Session, ticket_id: str) -> Ticket:
    ticket = session.get(Ticket, ticket_id)
    if ticket is None:
        raise HTTPException(404, "没有这个工单。")
    return ticket


def _held(session: Session, ticket_id: str, user: CurrentUser) -> Ticket:
    ticket = _ticket(session, ticket_id)
    if ticket.status != "assigned" or ticket.operator != user.username:
        raise HTTPException(403, "这个工单不在您手里，请先认领。")
    return ticket


@router.get("/tickets")
def list_tickets(
    request: Request,
    scope: Literal["open", "mine"] = "open",
    user: CurrentUser = Depends(operator_only),
    session: Session = Depends(db_session),
) -> list[dict]:
    """Waiting tickets (emergency first, then by waiting time) and the ones this operator holds."""
    query = select(Ticket).where(Ticket.status.in_(("waiting", "assigned", "callback_scheduled")))
    if scope == "mine":
        query = select(Ticket).where(Ticket.status == "assigned", Ticket.operator == user.username)
    rows = sorted(session.scalars(query), key=lambda t: (PRIORITY_RANK[t.priority], t.created_at))
    escalation = request.app.state.escalation
    return [escalation.ticket_card(session, t) for t in rows]


@router.post("/tickets/{ticket_id}/claim")
async def claim_ticket(ticket_id: str, request: Request, user: CurrentUser = Depends(operator_only)) -> dict:
    """Take a waiting ticket. When two operators claim at once, exactly one gets it (the other gets 409)."""
    if not await request.app.state.escalation.claim(ticket_id, user.username):
        raise HTTPException(409, "这个工单已经被别人认领了。")
    return {"claimed": True, "ticket_id": ticket_id}


@router.get("/tickets/{ticket_id}")
def ticket_detail(
    ticket_id: str,
    request: Request,
    user: CurrentUser = Depends(operator_only),
    session: Session = Depends(db_session),
    fields: FieldCipher = Depends(cipher),
) -> dict:
    """Summary, transcript and messages; contact phone and linked application only for the holder."""
    ticket = _ticket(session, ticket_id)
    holder = ticket.status == "assigned" and ticket.operator == user.username
    messages = session.scalars(
        select(TicketMessage).where(TicketMessage.ticket_id == ticket.id).order_by(TicketMessage.id)
    )
    detail = {
        **request.app.state.escalation.ticket_card(session, ticket),
        "summary": ticket.summary,
        "transcript": ticket.transcript,
        "messages": [
            {"id": m.id, "author": m.author, "operator": m.operator, "text": m.text, "at": m.at.isoformat()}
            for m in messages
        ],  # fmt: skip
        "outcome": ticket.outcome,
        "holder": holder,
        "contact_phone": fields.decrypt(ticket.contact_phone_enc) if holder else None,
        "application": None,
    }
    if holder and ticket.application_reference:
        application = session.scalar(select(Application).where(Application.reference == ticket.application_reference))
        detail["application"] = applications.masked_view(application, fields) if application else None
    session.add(AuditEntry(actor=user.username, action="ticket.view", target=ticket.id, details={"holder": holder}))
    session.commit()
    return detail


class Reply(BaseModel):
    text: str = Field(min_length=1, max_length=1000)


@router.post("/tickets/{ticket_id}/messages")
async def reply(
    ticket_id: str,
    body: Reply,
    request: Request,
    user: CurrentUser = Depends(operator_only),
    session: Session = Depends(db_session),
) -> dict:
    """Send a message to the resident (it reaches their channel at once)."""
    ticket = _held(session, ticket_id, user)
    return await request.app.state.escalation.operator_reply(ticket, session, user.username, body.text.strip())


class Transfer(BaseModel):
    queue: Literal["12385", "12345"]


@router.post("/tickets/{ticket_id}/transfer")
async def transfer(
    ticket_id: str,
    body: Transfer,
    request: Request,
    user: CurrentUser = Depends(operator_only),
    session: Session = Depends(db_session),
) -> dict:
    """Move the ticket to the other hotline's queue."""
    ticket = _held(session, ticket_id, user)
    await request.app.state.escalation.transfer(ticket, session, body.queue, user.username)
    return {"ticket_id": ticket_id, "queue": body.queue, "status": ticket.status}


class Resolution(BaseModel):
    outcome: str = Field(min_length=1, max_length=1000)


@router.post("/tickets/{ticket_id}/resolve")
async def resolve(
    ticket_id: str,
    body: Resolution,
    request: Request,
    user: CurrentUser = Depends(operator_only),
    session: Session = Depends(db_session),
) -> dict:
    """Close the ticket with an outcome note; the bot takes the conversation back."""
    ticket = _held(session, ticket_id, user)
    await request.app.state.escalation.resolve(ticket, session, user.username, body.outcome)
    return {"ticket_id": ticket_id, "status": "resolved"}


@router.get("/canned")
def canned_responses(user: CurrentUser = Depends(any_staff), session: Session = Depends(db_session)) -> list[dict]:
    return [{"id": c.id, "title": c.title, "text": c.text} for c in session.scalars(select(CannedResponse))]


class CannedIn(BaseModel):
    title: str = Field(min_length=1, max_length=64)
    text: str = Field(min_length=1, max_length=1000)


@router.put("/canned/{canned_id}")
def edit_canned(
    canned_id: int, body: CannedIn, user: CurrentUser = Depends(editors), session: Session = Depends(db_session)
) -> dict:
    canned = session.get(CannedResponse, canned_id)
    if canned is None:
        raise HTTPException(404, "没有这条快捷回复。")
    canned.title, canned.text, canned.updated_by = body.title, body.text, user.username
    session.add(AuditEntry(actor=user.username, action="canned.edit", target=str(canned_id), details={}))
    session.commit()
    return {"id": canned.id, "title": canned.title, "text": canned.text}


@router.post("/canned", status_code=201)
def add_canned(body: CannedIn, user: CurrentUser = Depends(editors), session: Session = Depends(db_session)) -> dict:
    canned = CannedResponse(title=body.title, text=body.text, updated_by=user.username)
    session.add(canned)
    session.add(AuditEntry(actor=user.username, action="canned.add", target=body.title, details={}))
    session.commit()
    return {"id": canned.id, "title": canned.title, "text": canned.text}


@socket_router.websocket("/ws/operator")
async def operator_socket(socket: WebSocket) -> None:
    """Real-time console updates. The first message must be {"token": "<bearer token>"} (never in the URL)."""
    await socket.accept()
    hub = socket.app.state.hub
    try:
        hello = await socket.receive_json()
        claims = decode_access_token(socket.app.state.secrets["jwt_secret"], str(hello.get("token", "")))
        if not claims or claims.get("role") not in CONSOLE_ROLES:
            await socket.send_json({"type": "error", "detail": "请先以客服身份登录。"})
            await socket.close(code=4401)
            return
        await hub.add_console(socket)
        await socket.send_json({"type": "ready", "operator": claims["sub"]})
        while True:
            await socket.receive_text()  # keep-alive pings from the page; nothing else is expected
    except (WebSocketDisconnect, ValueError, RuntimeError):
        pass
    finally:
        hub.remove_console(socket)
