"""/api/operator/* and /ws/operator — the hotline operators' console API.

Operators see personal data (summary slots, transcript, messages, contact phone, linked application) only for the
tickets they hold; every view of a ticket is audited. The console socket carries message texts only to the holder.
"""

from __future__ import annotations

import asyncio
import contextlib
from datetime import datetime, timezone
from functools import lru_cache
from pathlib import Path
from typing import Literal

from fastapi import APIRouter, Depends, HTTPException, Request, WebSocket, WebSocketDisconnect
from pydantic import BaseModel, Field
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.api.deps import SESSION_COOKIE, CurrentUser, cipher, db_session, require_roles
from bot.core.security import FieldCipher
from bot.escalation.tickets import PRIORITY_RANK, transcript_of
from bot.insights.names import remove_names
from bot.insights.topics import INTENT_TOPICS, TopicIndex
from bot.services import applications
from bot.services.accounts import Account, account_for_token, still_valid
from bot.staff import callbacks, shift
from bot.storage.models import Application, AuditEntry, CannedResponse, Ticket, TicketMessage, utcnow

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


def _holds(ticket: Ticket, username: str) -> bool:
    """A chat ticket this operator claimed, or a call-back they took."""
    return ticket.operator == username and ticket.status in ("assigned", callbacks.CALLBACK)


def _now(request: Request) -> datetime:
    """The console's clock (tests may set app.state.clock to walk a shift at night or in office hours)."""
    clock = getattr(request.app.state, "clock", None)
    return clock() if clock is not None else utcnow()


@lru_cache(maxsize=4)
def _topics(faq_dir: str) -> TopicIndex:
    return TopicIndex(Path(faq_dir))


def topic_label(request: Request, topic: str | None) -> str:
    """ "就业" for faq/equal_employment (its FAQ file's topic), a plain word for other intents; never a raw key."""
    if not topic:
        return "未说明"
    if topic.startswith("faq/"):
        label = _topics(str(request.app.state.settings.nlu_data_dir / "faq")).topic("faq", topic)
        return label if label != "其他政策问题" else "政策问题"
    return INTENT_TOPICS.get(topic, "其他")


def _last_resident_texts(session: Session, fields: FieldCipher, tickets: list[Ticket]) -> dict[str, str]:
    """Each ticket's last words of the resident: the newest message typed after the hand-over, else the last
    resident line of the transcript the bot handed over."""
    ids = [t.id for t in tickets]
    last_ids = (
        select(func.max(TicketMessage.id))
        .where(TicketMessage.ticket_id.in_(ids), TicketMessage.author == "resident")
        .group_by(TicketMessage.ticket_id)
    )
    texts = {m.ticket_id: fields.decrypt(m.text_enc) or "" for m in session.scalars(
        select(TicketMessage).where(TicketMessage.id.in_(last_ids)))}  # fmt: skip
    for ticket in tickets:
        if ticket.id not in texts:
            lines = [line for line in transcript_of(fields, ticket) if line.get("from") == "resident"]
            texts[ticket.id] = lines[-1]["text"] if lines else ""
    return texts


def _card(request: Request, session: Session, ticket: Ticket, now: datetime, extra: dict) -> dict:
    """The queue card plus what a busy shift needs: plain labels, the SLA clock in open hours, call-back state."""
    routing = request.app.state.routing
    card = request.app.state.escalation.ticket_card(session, ticket)
    tries = extra.get("attempts", [])
    card.update(
        labels={
            "queue": shift.queue_label(routing, ticket.queue),
            "priority": shift.PRIORITY_LABEL.get(ticket.priority, "普通"),
            "status": shift.STATUS_LABEL.get(ticket.status, "其他"),
            "reason": shift.REASON_LABEL.get(ticket.reason, "其他"),
            "channel": shift.CHANNEL_LABEL.get(ticket.channel, "其他"),
            "region": ticket.region or "地区未知",
            "topic": topic_label(request, ticket.topic),
        },
        sla=shift.sla_view(routing, ticket.queue, ticket.created_at, ticket.status, now),
        preview=extra.get("preview", ""),
        callback={
            "claimable": ticket.status == callbacks.CALLBACK and ticket.operator is None,
            "attempts": tries,
            "retry_at": tries[-1]["retry_at"] if tries else None,
        }
        if ticket.status == callbacks.CALLBACK
        else None,
    )
    return card


@router.get("/tickets")
def list_tickets(
    request: Request,
    scope: Literal["open", "mine"] = "open",
    user: CurrentUser = Depends(operator_only),
    session: Session = Depends(db_session),
    fields: FieldCipher = Depends(cipher),
) -> list[dict]:
    """Open tickets (emergency first, then by waiting time), call-backs included, each with a preview line of the
    resident's last words: numbers and names hidden for everybody (the holder reads the full transcript)."""
    query = select(Ticket).where(Ticket.status.in_(("waiting", "assigned", callbacks.CALLBACK)))
    if scope == "mine":
        query = select(Ticket).where(
            Ticket.status.in_(("assigned", callbacks.CALLBACK)), Ticket.operator == user.username
        )
    rows = sorted(session.scalars(query), key=lambda t: (PRIORITY_RANK[t.priority], t.created_at))
    now = _now(request)
    texts = _last_resident_texts(session, fields, rows)
    tries = callbacks.attempts(session, [t.id for t in rows if t.status == callbacks.CALLBACK])
    hide = lambda text: remove_names(text, "〔名字已隐藏〕")  # noqa: E731
    return [
        _card(request, session, t, now, {"preview": shift.preview_line(texts.get(t.id), hide), "attempts": tries[t.id]})
        for t in rows
    ]


@router.post("/tickets/{ticket_id}/claim")
async def claim_ticket(
    ticket_id: str,
    request: Request,
    user: CurrentUser = Depends(operator_only),
    session: Session = Depends(db_session),
) -> dict:
    """Take a waiting ticket, or a call-back nobody holds. When two operators claim at once, exactly one gets it
    (the other gets 409)."""
    ticket = await asyncio.to_thread(_ticket, session, ticket_id)
    if ticket.status == callbacks.CALLBACK:
        card = await asyncio.to_thread(_claim_callback, request, ticket_id, user.username)
        won = card is not None
        if won:
            await request.app.state.hub.broadcast({"type": "ticket.claimed", "ticket_id": ticket_id,
                                                   "operator": user.username, "ticket": card})  # fmt: skip
    else:
        won = await request.app.state.escalation.claim(ticket_id, user.username)
    if not won:
        raise HTTPException(409, "这个工单已经被别人认领了。")
    return {"claimed": True, "ticket_id": ticket_id, "kind": ticket.kind}


def _claim_callback(request: Request, ticket_id: str, operator: str) -> dict | None:
    """Claim a call-back; the ticket's card when this operator won, else None."""
    with request.app.state.sessions() as session:
        if not callbacks.claim_callback(session, ticket_id, operator):
            return None
    with request.app.state.sessions() as fresh:
        return request.app.state.escalation.ticket_card(fresh, fresh.get(Ticket, ticket_id))


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
    holder = _holds(ticket, user.username)
    now = _now(request)
    tries = callbacks.attempts(session, [ticket.id])[ticket.id]
    detail = {
        **request.app.state.escalation.ticket_detail(session, ticket, holder=holder),
        **_card(request, session, ticket, now, {"attempts": tries}),
        "holder": holder,
        "contact_phone": fields.decrypt(ticket.contact_phone_enc) if holder else None,
        "application": None,
        "transfer_options": shift.transfer_options(request.app.state.routing, ticket.region, ticket.queue, now)
        if ticket.status == "assigned"
        else [],
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
    ticket = await asyncio.to_thread(_held, session, ticket_id, user)
    return await request.app.state.escalation.operator_reply(ticket, session, user.username, body.text.strip())


class Transfer(BaseModel):
    queue: str = Field(min_length=1, max_length=16)


@router.post("/tickets/{ticket_id}/transfer")
async def transfer(
    ticket_id: str,
    body: Transfer,
    request: Request,
    user: CurrentUser = Depends(operator_only),
    session: Session = Depends(db_session),
) -> dict:
    """Move the ticket to another queue of its region's routing (config/escalation.yml) that is open now."""
    ticket = await asyncio.to_thread(_held, session, ticket_id, user)
    routing = request.app.state.routing
    options = {o["queue"]: o for o in shift.transfer_options(routing, ticket.region, ticket.queue, _now(request))}
    choice = options.get(body.queue)
    if choice is None:
        raise HTTPException(409, f"这个地区的工单不能转给{shift.queue_label(routing, body.queue)}。")
    if not choice["open"]:
        raise HTTPException(409, f"{choice['label']}现在下班了，不能转过去。")
    await request.app.state.escalation.transfer(ticket, session, body.queue, user.username)
    return {"ticket_id": ticket_id, "queue": body.queue, "status": ticket.status}


class CallbackOutcome(BaseModel):
    result: Literal["reached", "no_answer", "retry"]
    retry_at: datetime | None = Field(default=None, description="when to call again (result retry)")
    note: str = Field(default="", max_length=1000)


@router.post("/tickets/{ticket_id}/callback")
async def callback_outcome(
    ticket_id: str,
    body: CallbackOutcome,
    request: Request,
    user: CurrentUser = Depends(operator_only),
    session: Session = Depends(db_session),
    fields: FieldCipher = Depends(cipher),
) -> dict:
    """Record a call-back attempt by the operator holding it: reached (the ticket ends), no answer, or retry at a
    time (it goes back to the pool showing that time)."""
    ticket = await asyncio.to_thread(_ticket, session, ticket_id)
    if not callbacks.holds_callback(ticket, user.username):
        raise HTTPException(403, "这个回电工单不在您手里，请先认领。")
    retry_at = body.retry_at
    if body.result == "retry":
        if retry_at is None:
            raise HTTPException(422, "请填写下次回电的时间。")
        retry_at = retry_at if retry_at.tzinfo else retry_at.replace(tzinfo=shift.CHINA)
        if retry_at <= _now(request):
            raise HTTPException(422, "下次回电的时间要晚于现在。")
    event = await asyncio.to_thread(_record_attempt, request, session, fields, ticket, user, body, retry_at)
    await request.app.state.hub.broadcast(event)
    return {"ticket_id": ticket_id, "result": body.result, "label": callbacks.RESULT_LABEL[body.result],
            "status": ticket.status, "retry_at": retry_at.isoformat() if retry_at else None}  # fmt: skip


def _record_attempt(request: Request, session: Session, fields: FieldCipher, ticket: Ticket, user: CurrentUser,
                    body: CallbackOutcome, retry_at: datetime | None) -> dict:  # fmt: skip
    """Store the attempt; the console event it makes (the ticket ends, or goes back to the pool)."""
    callbacks.record_attempt(session, fields, ticket, user.username, body.result, retry_at, body.note.strip())
    if body.result == "reached":
        return {"type": "ticket.closed", "ticket_id": ticket.id, "status": "resolved"}
    return {"type": "ticket.new", "ticket": request.app.state.escalation.ticket_card(session, ticket)}


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
    ticket = await asyncio.to_thread(_held, session, ticket_id, user)
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


def _same_origin(socket: WebSocket) -> bool:
    """The cookie counts only for a socket opened by our own page (a browser always sends Origin)."""
    origin = socket.headers.get("origin", "")
    host = socket.headers.get("host", "")
    return bool(host) and origin.split("://", 1)[-1] == host


async def _hello(socket: WebSocket) -> Account | None:
    """The first message must carry the token, within the hello timeout; answer the operator's account."""
    state = socket.app.state
    try:
        hello = await asyncio.wait_for(socket.receive_json(), state.settings.operator_hello_timeout_seconds)
    except asyncio.TimeoutError:
        await socket.close(code=4408, reason="no token sent in time")
        return None
    token = str(hello.get("token", "")) if isinstance(hello, dict) else ""
    if not token and _same_origin(socket):
        token = socket.cookies.get(SESSION_COOKIE, "")  # the console page's session cookie (HttpOnly)
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
