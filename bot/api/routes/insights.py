"""/api/staff/insights/* — what residents could not get answered, grouped, with one-click follow-ups (staff, admin).

Nothing here holds personal data: questions were masked and stripped of ID/phone/address-like text before they
were stored (bot/insights/privacy.py). Every view and action is audited.
"""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, Depends, HTTPException, Query
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from sqlalchemy.orm import Session

from bot.api.deps import CurrentUser, db_session, require_roles
from bot.api.routes.faq import editor
from bot.insights import report
from bot.staff.service import EditConflict, EditRefused, FaqEditor, NotFound
from bot.staff.validation import EntryDraft
from bot.storage.models import AuditEntry

router = APIRouter(prefix="/api/staff/insights", tags=["insights"])
editors = require_roles("staff", "admin")


class GroupIn(BaseModel):
    outcome_ids: list[int] = Field(min_length=1, max_length=500)


class AddExampleIn(GroupIn):
    faq: str = Field(min_length=1, max_length=64, description="the FAQ entry name (without faq/)")


class ResolveIn(GroupIn):
    reason: Literal["new_faq", "dismissed"] = "dismissed"


def _audit(session: Session, user: CurrentUser, action: str, target: str, details: dict) -> None:
    session.add(AuditEntry(actor=user.username, action=action, target=target, details=details))
    session.commit()


@router.get("/summary")
def summary(
    days: int = Query(30, ge=1, le=365),
    user: CurrentUser = Depends(editors),
    session: Session = Depends(db_session),
) -> dict:
    """Unanswered question groups, volume by topic and by day, hand-over rate and rating for the last `days`."""
    data = report.summary(session, days)
    _audit(session, user, "insights.view", "summary", {"days": days})
    return data


@router.post("/groups/questions")
def group_questions(
    body: GroupIn, user: CurrentUser = Depends(editors), session: Session = Depends(db_session)
) -> dict:
    """A group's questions as example sentences (free of personal data), e.g. to start a new FAQ draft."""
    return {"questions": report.examples(session, body.outcome_ids)}


@router.post("/groups/add-example")
def add_as_example(
    body: AddExampleIn,
    user: CurrentUser = Depends(editors),
    session: Session = Depends(db_session),
    faq: FaqEditor = Depends(editor),
):
    """Add a group's questions as examples of an existing FAQ (through the FAQ editor: checked, revisioned)."""
    if not report.questions(session, body.outcome_ids):
        raise HTTPException(404, "这些问题已经处理过了，请刷新页面。")
    texts = report.examples(session, body.outcome_ids)
    try:
        entry = faq.entry(body.faq)
        new = [t for t in texts if t not in entry.examples]
        draft = EntryDraft(entry.name, entry.topic, entry.title, [*entry.examples, *new], dict(entry.answers))
        faq.update(session, user.username, entry.name, draft, entry.version)
    except NotFound as exc:
        raise HTTPException(404, str(exc)) from exc
    except EditConflict as exc:
        return JSONResponse(status_code=409, content={"detail": str(exc), "errors": [str(exc)]})
    except EditRefused as exc:
        return JSONResponse(status_code=422, content={"detail": "这些问题没能加为例句。", "errors": exc.errors})
    resolved = report.resolve(session, body.outcome_ids, user.username)
    _audit(session, user, "insights.add_example", f"faq/{entry.name}", {"outcomes": len(body.outcome_ids)})
    return {"faq": entry.name, "added": len(new), "resolved": resolved}


@router.post("/groups/resolve")
def resolve(body: ResolveIn, user: CurrentUser = Depends(editors), session: Session = Depends(db_session)) -> dict:
    """Take a group off the list (after a new FAQ was drafted from it, or because it needs no answer)."""
    resolved = report.resolve(session, body.outcome_ids, user.username)
    _audit(session, user, "insights.resolve", body.reason, {"outcomes": len(body.outcome_ids)})
    return {"resolved": resolved}
