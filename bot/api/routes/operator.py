"""/api/operator/* and /ws/operator — the hotline operators' console API.

Operators see personal data (summary slots, transcript, messages, contact phone, linked application) only for the
tickets they hold; every view of a ticket is audited. The console socket carries message texts only to the holder.
"""

from __future__ import annotations

import asyncio
import contextlib
from datetime import datetime, timezone
from typing import Literal

from fastapi import APIRouter, Depends, HTTPException, Request, WebSocket, WebSocketDisconnect
from pydantic import BaseModel, Field
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.api.deps import CurrentUser, cipher, db_session, require_roles
from bot.core.security import FieldCipher
from bot.escalation.tickets import PRIORITY_RANK
from bot.services import applications
from bot.services.accounts import Account, account_for_token, still_valid
from bot.storage.models import Application, AuditEntry, CannedResponse, Ticket

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
    """The queue card for everybody; summary slots, transcript, messages, contact phone and the linked application
    only for the operator holding the ticket (`withheld` says the rest was left out)."""
    ticket = _ticket(session, ticket_id)
    holder = ticket.status == "assigned" and ticket.operator == user.username
    detail = {
        **request.app.state.escalation.ticket_detail(session, ticket, holder=holder),
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


class SocketClosed(Exception):
    """The console went away."""


def _account(state, token: str) -> Account | None:  # noqa: ANN001 - the app state
    with state.sessions() as session:
        return account_for_token(session, state.secrets["jwt_secret"], token)


def _valid(state, account: Account) -> bool:  # noqa: ANN001
    with state.sessions() as session:
        return still_valid(session, account)


async def _hello(socket: WebSocket) -> Account | None:
    """The first message must carry the token, within the hello timeout; answer the operator's account."""
    state = socket.app.state
    try:
        hello = await asyncio.wait_for(socket.receive_json(), state.settings.operator_hello_timeout_seconds)
    except asyncio.TimeoutError:
        await socket.close(code=4408, reason="no token sent in time")
        return None
    token = str(hello.get("token", "")) if isinstance(hello, dict) else ""
    account = await asyncio.to_thread(_account, state, token[:4096])
    if account is None or account.role not in CONSOLE_ROLES:
        await socket.send_json({"type": "error", "detail": "请先以客服身份登录。"})
        await socket.close(code=4401)
        return None
    return account


async def _drain(socket: WebSocket) -> None:
    """Read (and ignore) what the page sends until it disconnects."""
    while True:
        message = await socket.receive()
        if message["type"] == "websocket.disconnect":
            raise SocketClosed


@socket_router.websocket("/ws/operator")
async def operator_socket(socket: WebSocket) -> None:
    """Real-time console updates. The first message must be {"token": "<bearer token>"} (never in the URL), sent
    within OPERATOR_HELLO_TIMEOUT_SECONDS. The socket closes (4401) when the token expires, or when its user signs out,
    is deactivated or removed (checked every OPERATOR_SOCKET_RECHECK_SECONDS)."""
    await socket.accept()
    state = socket.app.state
    hub = state.hub
    receiver: asyncio.Task | None = None
    try:
        account = await _hello(socket)
        if account is None:
            return
        await hub.add_console(socket, account.username)
        await socket.send_json({"type": "ready", "operator": account.username})
        receiver = asyncio.create_task(_drain(socket))
        while True:
            left = (account.expires_at - datetime.now(timezone.utc)).total_seconds()
            wait = min(max(left, 0.0), state.settings.operator_socket_recheck_seconds)
            done, _ = await asyncio.wait({receiver}, timeout=wait)
            if done:
                return  # the page went away
            if not await asyncio.to_thread(_valid, state, account):
                break
        hub.remove_console(socket)
        await socket.send_json({"type": "expired", "detail": "登录已过期，请重新登录。"})
        await socket.close(code=4401, reason="token expired or revoked")
    except (WebSocketDisconnect, SocketClosed, ValueError, RuntimeError):
        pass
    finally:
        hub.remove_console(socket)
        if receiver is not None:
            receiver.cancel()
            with contextlib.suppress(asyncio.CancelledError, SocketClosed, WebSocketDisconnect, RuntimeError):
                await receiver
