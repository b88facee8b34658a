"""/api/applications — staff read and process applications. Personal data only for staff and admin, audited."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime, time, timezone
from typing import Literal

from fastapi import APIRouter, Depends, HTTPException, Query
from fastapi.responses import StreamingResponse
from pydantic import BaseModel, Field
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.api.deps import CurrentUser, cipher, db_session, require_roles
from bot.core.security import FieldCipher
from bot.core.spreadsheet import safe_row
from bot.services import applications
from bot.services.applications import Benefit, Region, TransitionNotAllowed
from bot.storage.models import Application, AuditEntry

router = APIRouter(prefix="/api/applications", tags=["applications"])
Status = Literal["submitted", "under_review", "approved", "rejected", "need_more_info"]
staff_only = require_roles("staff", "admin")


def _filtered(
    status: Status | None, benefit: Benefit | None, region: Region | None, since: date | None, until: date | None
):
    query = select(Application)
    if status:
        query = query.where(Application.status == status)
    if benefit:
        query = query.where(Application.benefit == benefit)
    if region:
        query = query.where(Application.region == region)
    if since:
        query = query.where(Application.created_at >= datetime.combine(since, time.min, timezone.utc))
    if until:
        query = query.where(Application.created_at <= datetime.combine(until, time.max, timezone.utc))
    return query


@router.get("")
def list_applications(
    status: Status | None = None,
    benefit: Benefit | None = None,
    region: Region | None = None,
    since: date | None = Query(default=None, alias="from"),
    until: date | None = Query(default=None, alias="to"),
    page: int = Query(default=1, ge=1),
    page_size: int = Query(default=20, ge=1, le=200),
    user: CurrentUser = Depends(staff_only),
    session: Session = Depends(db_session),
    fields: FieldCipher = Depends(cipher),
) -> dict:
    """A page of applications, newest first, personal fields masked."""
    query = _filtered(status, benefit, region, since, until)
    total = session.scalar(select(func.count()).select_from(query.subquery()))
    rows = session.scalars(
        query.order_by(Application.created_at.desc(), Application.id.desc())
        .offset((page - 1) * page_size)
        .limit(page_size)
    ).all()
    return {
        "total": total,
        "page": page,
        "page_size": page_size,
        "items": [applications.masked_view(a, fields) for a in rows],
    }


@router.get("/export.csv")
def export_csv(
    status: Status | None = None,
    benefit: Benefit | None = None,
    region: Region | None = None,
    since: date | None = Query(default=None, alias="from"),
    until: date | None = Query(default=None, alias="to"),
    user: CurrentUser = Depends(staff_only),
    session: Session = Depends(db_session),
    fields: FieldCipher = Depends(cipher),
) -> StreamingResponse:
    """CSV of the filtered applications (personal fields masked); the export is audited."""
    rows = session.scalars(_filtered(status, benefit, region, since, until).order_by(Application.id)).all()
    buffer = io.StringIO()
    buffer.write("\ufeff")  # so that spreadsheet programs read UTF-8
    views = [applications.masked_view(a, fields) for a in rows]
    columns = list(views[0]) if views else ["reference"]
    writer = csv.DictWriter(buffer, fieldnames=columns)
    writer.writeheader()
    writer.writerows(safe_row(view) for view in views)  # a town "=HYPERLINK(…)" stays text
    filters = {"status": status, "benefit": benefit, "region": region, "count": len(views)}
    session.add(AuditEntry(actor=user.username, action="application.export", target="", details=filters))
    session.commit()
    return StreamingResponse(
        iter([buffer.getvalue()]),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="applications.csv"'},
    )


def _get(session: Session, reference: str) -> Application:
    application = session.scalar(select(Application).where(Application.reference == reference))
    if application is None:
        raise HTTPException(404, "没有这个申请编号。")
    return application


@router.get("/{reference}")
def read_application(
    reference: str,
    user: CurrentUser = Depends(staff_only),
    session: Session = Depends(db_session),
    fields: FieldCipher = Depends(cipher),
) -> dict:
    """The full record with personal data in clear. Every read is audited."""
    application = _get(session, reference)
    session.add(AuditEntry(actor=user.username, action="application.read", target=reference, details={}))
    session.commit()
    return applications.full_view(application, fields)


class StatusUpdate(BaseModel):
    status: Status
    note: str = Field(default="", max_length=500)


@router.patch("/{reference}")
def update_status(
    reference: str,
    body: StatusUpdate,
    user: CurrentUser = Depends(staff_only),
    session: Session = Depends(db_session),
    fields: FieldCipher = Depends(cipher),
) -> dict:
    """Move the application along its lifecycle with a note."""
    application = _get(session, reference)
    try:
        applications.change_status(session, application, body.status, user.username, body.note)
    except TransitionNotAllowed as exc:
        raise HTTPException(409, f"不能从这个状态改成那个状态：{exc}") from exc
    return applications.masked_view(application, fields)
