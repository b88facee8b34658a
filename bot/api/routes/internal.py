"""/internal/* — called only by the Rasa action server (shared secret), never by browsers."""

from __future__ import annotations

import asyncio
import json
import logging
from typing import Any, Literal

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field, field_validator
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from bot.api.deps import cipher, db_session, internal_caller
from bot.core.security import FieldCipher
from bot.rules.benefits import STATUS_NAMES
from bot.services import applications
from bot.services.applications import InvalidApplication, Submission

router = APIRouter(prefix="/internal", tags=["internal"], dependencies=[Depends(internal_caller)])
log = logging.getLogger(__name__)

DATABASE_DOWN = {"detail": "database unavailable", "retry": True}


@router.post("/applications", status_code=201)
async def submit_application(
    body: Submission, request: Request, session: Session = Depends(db_session), fields: FieldCipher = Depends(cipher)
) -> JSONResponse:
    """Store a confirmed application once (idempotent on `idempotency_key`); answer its reference."""
    try:
        application, created = await asyncio.to_thread(applications.submit, session, fields, body)
    except InvalidApplication as exc:
        return JSONResponse(status_code=422, content={"detail": str(exc), "field": exc.field})
    except OperationalError:
        log.error("database unavailable while submitting an application")
        return JSONResponse(status_code=503, content=DATABASE_DOWN)
    log.info("application %s %s (%s)", application.reference, "created" if created else "replayed", body.benefit)
    await request.app.state.tracker_expiry.mark(body.sender_id)  # the tracker holds what was just submitted
    return JSONResponse(
        status_code=201 if created else 200,
        content={"reference": application.reference, "status": application.status, "created": created},
    )


class StatusQuery(BaseModel):
    sender_id: str = Field(pattern=r"^[A-Za-z0-9_-]{1,64}$")
    reference: str = Field(max_length=32)
    phone_last4: str = Field(max_length=8)
    client: str | None = Field(
        default=None, max_length=100, description="the client tag the gateway sent with the turn (metadata.client)"
    )


@router.post("/applications/status")
async def application_status(
    body: StatusQuery,
    request: Request,
    session: Session = Depends(db_session),
    fields: FieldCipher = Depends(cipher),
) -> JSONResponse:
    """The status for a matching reference + phone pair; a neutral "not found" otherwise. Wrong answers are counted
    per conversation, per reference and per client (address, or the WeChat/phone conversation), so neither a new
    conversation id nor a new reference buys more guesses; a tag that is missing, forged or stale counts for one
    shared "unverified" client."""
    limits = request.app.state.status_limits
    client = request.app.state.client_tags.verify(body.client, body.sender_id) or "unverified"
    subjects = {"sender": body.sender_id, "reference": body.reference.strip(), "client": client}
    if await limits.blocked(subjects):
        return JSONResponse(content={"found": False, "blocked": True})
    try:
        application = await asyncio.to_thread(
            applications.find_for_resident, session, fields, body.reference, body.phone_last4
        )
    except OperationalError:
        return JSONResponse(status_code=503, content=DATABASE_DOWN)
    if application is None:
        await limits.record_failure(subjects)
        return JSONResponse(content={"found": False, "blocked": False})
    return JSONResponse(
        content={
            "found": True,
            "blocked": False,
            "benefit": application.benefit,
            "status": application.status,
            "status_text": STATUS_NAMES[application.status],
            # Staff notes reach the resident only when they ask for something (need_more_info).
            "note": application.changes[-1].note if application.status == "need_more_info" else "",
        }
    )


class TranscriptLine(BaseModel):
    speaker: Literal["resident", "bot"] = Field(alias="from")
    text: str = Field(max_length=4000)
    at: str = Field(default="", max_length=40)


SlotValue = Any  # Rasa `any` slots: bounded by size below, only simple values are kept (filled_slots)
MAX_SLOTS_JSON = 20_000


class TicketRequest(BaseModel):
    """What the action server holds when it asks for a ticket: the gateway never reads the tracker back."""

    sender_id: str = Field(pattern=r"^[A-Za-z0-9_-]{1,64}$")
    reason: Literal["request", "fallback", "complaint", "danger", "callback"]
    channel: str = Field(default="web", max_length=16)
    topic: str | None = Field(default=None, max_length=64)
    contact_phone: str | None = Field(default=None, max_length=64)
    region: str | None = Field(default=None, max_length=16)  # the region the conversation named (any turn)
    line: Literal["12385", "12345"] | None = None  # the hotline the resident asked for ("给我接12385")
    slots: dict[str, SlotValue] = Field(default_factory=dict, max_length=100)
    transcript: list[TranscriptLine] = Field(default_factory=list, max_length=200)

    @field_validator("slots")
    @classmethod
    def _bounded_slots(cls, slots: dict[str, SlotValue]) -> dict[str, SlotValue]:
        if len(json.dumps(slots, ensure_ascii=False, default=str)) > MAX_SLOTS_JSON:
            raise ValueError("slots too large")
        return slots


@router.post("/tickets")
async def open_ticket(body: TicketRequest, request: Request) -> JSONResponse:
    """Hand the conversation to a person (called by the action server's escalation action)."""
    escalation = request.app.state.escalation
    try:
        result = await escalation.escalate(
            sender_id=body.sender_id,
            reason="request" if body.reason == "callback" else body.reason,
            channel=body.channel,
            topic=body.topic,
            contact_phone=body.contact_phone,
            callback=body.reason == "callback",
            slots=body.slots,
            transcript=[said.model_dump(by_alias=True) for said in body.transcript],
            region=body.region,
            line=body.line,
        )
    except OperationalError:
        return JSONResponse(status_code=503, content=DATABASE_DOWN)
    return JSONResponse(content=result)
