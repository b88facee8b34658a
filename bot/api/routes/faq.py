"""/api/staff/faq — the FAQ editor for staff and admins: entries, intent examples, preview, revisions, rollback.

Refused edits answer 422 `{"detail": "...", "errors": ["...", ...]}` (plain Chinese); a save over somebody else's
newer change answers 409. Every write, and every refused write, is in the audit log.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field, ValidationError
from sqlalchemy.orm import Session

from bot.api.deps import CurrentUser, db_session, require_roles
from bot.rules.plans import load_plans
from bot.rules.regions import REGIONS
from bot.staff import revisions
from bot.staff.faq_store import FaqEntry
from bot.staff.service import (
    EditConflict,
    EditRefused,
    FaqEditor,
    NotFound,
    build_editor,
    entry_view,
    intent_view,
)
from bot.staff.validation import DEFAULT_ANSWER, EntryDraft, region_label
from bot.storage.models import FaqRevision

router = APIRouter(prefix="/api/staff/faq", tags=["faq editor"])
staff_only = require_roles("staff", "admin")
MAX_BODY_BYTES = 64 * 1024
_editor_lock = threading.Lock()
Model = TypeVar("Model", bound=BaseModel)


class SourceIn(BaseModel):
    file: str = Field(max_length=100, description="the plan's seed file (GET /plans)")
    quote: str = Field(max_length=1000, description="verbatim text of the plan (spaces and line breaks may differ)")


class AnswerSourcesIn(BaseModel):
    sources: list[SourceIn] = Field(default_factory=list, max_length=30)
    national: list[str] = Field(default_factory=list, max_length=10, description="national documents (GET /plans)")
    ask_region: bool = Field(default=False, description="answer without a region: say it, then ask the region")


class EntryIn(BaseModel):
    name: str = Field(default="", description="only when creating: faq/<name>")
    topic: str
    title: str
    examples: list[str]
    answers: dict[str, str] = Field(description=f"region ({' / '.join(REGIONS)}) or {DEFAULT_ANSWER!r} → text")
    sources: dict[str, AnswerSourcesIn] | None = Field(
        default=None, description="answer key → what the answer rests on; omitted = keep the stored sources"
    )
    version: str = Field(default="", description="the version the editor loaded (required to change an entry)")


class ExamplesIn(BaseModel):
    examples: list[str]
    version: str


class PreviewIn(BaseModel):
    name: str = ""
    answers: dict[str, str]
    region: str | None = None
    ask_region: bool = Field(default=False, description="the answer for everybody is the common part only")


class RollbackIn(BaseModel):
    include_later: bool = False


def editor(request: Request) -> FaqEditor:
    state = request.app.state
    with _editor_lock:
        if getattr(state, "faq_editor", None) is None:
            state.faq_editor = build_editor(state.settings)
    return state.faq_editor


def _read(action: Callable[[], Any]) -> Any:
    """Run a read; a missing entry is 404, an unreadable nlu_data file 503 naming the file."""
    try:
        return action()
    except NotFound as exc:
        return JSONResponse(status_code=404, content={"detail": str(exc)})
    except EditRefused as exc:
        return _refusal(503, exc.errors, exc.errors[0])


def _refusal(status: int, errors: list[str], detail: str | None = None) -> JSONResponse:
    return JSONResponse(status_code=status, content={"detail": detail or "这次修改没有保存。", "errors": errors})


def json_body(model: type[Model]) -> Callable[..., Any]:
    """Read a JSON body (at most MAX_BODY_BYTES) into `model`, explaining problems in plain Chinese."""

    async def parse(request: Request) -> Model | JSONResponse:
        body = await request.body()
        if len(body) > MAX_BODY_BYTES:
            return _refusal(422, [f"提交的内容太大了（{len(body) // 1024} KB），最多 {MAX_BODY_BYTES // 1024} KB。"])
        try:
            return model.model_validate(json.loads(body or b"null"))
        except (ValueError, ValidationError) as exc:
            fields = []
            if isinstance(exc, ValidationError):
                fields = sorted({".".join(str(p) for p in e["loc"]) for e in exc.errors()})
            where = f"（{'、'.join(fields)}）" if fields else ""
            return _refusal(422, [f"提交的内容格式不对{where}，请刷新页面后再试。"])

    return parse


_entry_body = json_body(EntryIn)
_preview_body = json_body(PreviewIn)
_examples_body = json_body(ExamplesIn)
_rollback_body = json_body(RollbackIn)


def _openapi(model: type[BaseModel]) -> dict:
    return {"requestBody": {"required": True, "content": {"application/json": {"schema": model.model_json_schema()}}}}


@dataclass(frozen=True)
class Edit:
    """Who makes a change and with what: the signed-in staff member, the database session and the FAQ editor."""

    user: CurrentUser
    session: Session
    faq: FaqEditor


def edit_context(
    user: CurrentUser = Depends(staff_only), session: Session = Depends(db_session), faq: FaqEditor = Depends(editor)
) -> Edit:
    """The dependency every write route shares (staff or admin only)."""
    return Edit(user, session, faq)


def _write(edit: Edit, target: str, action: Callable[[], Any], status: int = 200) -> Any:
    """Run a change; map refusals to 422, conflicts to 409, unknown targets to 404, auditing refusals."""
    try:
        result = action()
    except EditRefused as exc:
        edit.faq.audit_refusal(edit.session, edit.user.username, target, "invalid", exc.errors)
        return _refusal(422, exc.errors)
    except EditConflict as exc:
        edit.faq.audit_refusal(edit.session, edit.user.username, target, "conflict", [str(exc)])
        return _refusal(409, [str(exc)], str(exc))
    except NotFound as exc:
        return JSONResponse(status_code=404, content={"detail": str(exc)})
    return JSONResponse(status_code=status, content=result)


def _write_body(
    edit: Edit,
    body: Model | JSONResponse,
    target: str | Callable[[Model], str],
    action: Callable[[Model], dict],
    status: int = 200,
) -> Any:
    """Run a change that needs a JSON body: a refused body answers as it is, a parsed one goes to `_write`."""
    if isinstance(body, JSONResponse):
        return body
    where = target(body) if callable(target) else target
    return _write(edit, where, lambda: action(body), status)


def _draft(body: EntryIn, name: str) -> EntryDraft:
    sources = None if body.sources is None else {k: v.model_dump() for k, v in body.sources.items()}
    return EntryDraft(name, body.topic, body.title, body.examples, body.answers, sources)


def _saved(saved: tuple[FaqEntry, FaqRevision]) -> dict:
    entry, revision = saved
    return {"entry": entry_view(entry), "revision": revisions.summary_view(revision)}


@router.get("/regions")
def regions(user: CurrentUser = Depends(staff_only)) -> dict:
    """The answer keys: one per region, and the default for residents whose region is unknown."""
    keys = [*REGIONS, DEFAULT_ANSWER]
    return {"regions": list(REGIONS), "default": DEFAULT_ANSWER, "labels": {k: region_label(k) for k in keys}}


@router.get("/plans")
def plans(user: CurrentUser = Depends(staff_only)) -> dict:
    """The documents an answer may rest on: the two plans (quote them verbatim) and the national documents."""
    table = load_plans()
    return {
        "plans": [{"file": p.file, "region": p.region, "title": p.title} for p in table.plans.values()],
        "national": [{"key": d.key, "title": d.title} for d in table.national.values()],
    }


@router.get("/entries")
def list_entries(
    q: str = Query(default="", max_length=100), user: CurrentUser = Depends(staff_only), faq=Depends(editor)
) -> Any:
    """All FAQ entries, or those whose name, topic, title, examples or answers contain every word of `q`."""

    def read() -> dict:
        catalog = faq.snapshot()
        entries = faq.entries(q)
        return {"total": len(entries), "topics": catalog.topics, "items": [entry_view(e) for e in entries]}

    return _read(read)


@router.get("/entries/{name}")
def get_entry(name: str, user: CurrentUser = Depends(staff_only), faq=Depends(editor)) -> Any:
    return _read(lambda: entry_view(faq.entry(name)))


@router.post("/entries", status_code=201, openapi_extra=_openapi(EntryIn))
def create_entry(body=Depends(_entry_body), edit: Edit = Depends(edit_context)) -> Any:
    """Add an FAQ entry (checked, written, audited)."""

    def change(data: EntryIn) -> dict:
        return _saved(edit.faq.create(edit.session, edit.user.username, _draft(data, data.name)))

    return _write_body(edit, body, lambda b: f"faq/{b.name}", change, 201)


@router.put("/entries/{name}", openapi_extra=_openapi(EntryIn))
def update_entry(name: str, body=Depends(_entry_body), edit: Edit = Depends(edit_context)) -> Any:
    """Change an entry; `version` must be the one the editor loaded (409 otherwise)."""

    def change(data: EntryIn) -> dict:
        return _saved(edit.faq.update(edit.session, edit.user.username, name, _draft(data, name), data.version))

    return _write_body(edit, body, f"faq/{name}", change)


@router.delete("/entries/{name}")
def delete_entry(
    name: str,
    version: str = Query(default="", max_length=64, description="the version the editor loaded"),
    edit: Edit = Depends(edit_context),
) -> Any:
    """Delete an entry (its revision keeps the old text, so it can be rolled back)."""
    if not version:
        return _refusal(422, ["缺少版本号，请刷新页面后再删除。"])

    def change() -> dict:
        return {"revision": revisions.summary_view(edit.faq.delete(edit.session, edit.user.username, name, version))}

    return _write(edit, f"faq/{name}", change)


@router.post("/preview", openapi_extra=_openapi(PreviewIn))
def preview(body=Depends(_preview_body), user: CurrentUser = Depends(staff_only), faq=Depends(editor)) -> Any:
    """The messages the bot would send for these answers to a resident of `region` (null = region not known)."""
    if isinstance(body, JSONResponse):
        return body
    if body.region is not None and body.region not in REGIONS:
        return _refusal(422, [f"不认识这个地区：{body.region}。"])
    return _read(lambda: faq.preview(body.name, body.answers, body.region, body.ask_region))


@router.get("/intents")
def list_intents(user: CurrentUser = Depends(staff_only), faq=Depends(editor)) -> Any:
    """The other intents (conversation, intake…) with their example questions."""
    intents = _read(lambda: sorted(faq.snapshot().intents.values(), key=lambda i: (i.file, i.name)))
    return intents if isinstance(intents, JSONResponse) else {"items": [intent_view(i) for i in intents]}


@router.get("/intents/{name}")
def get_intent(name: str, user: CurrentUser = Depends(staff_only), faq=Depends(editor)) -> Any:
    return _read(lambda: intent_view(faq.intent(name)))


@router.put("/intents/{name}", openapi_extra=_openapi(ExamplesIn))
def update_intent(name: str, body=Depends(_examples_body), edit: Edit = Depends(edit_context)) -> Any:
    """Replace the example questions of a non-FAQ intent."""

    def change(data: ExamplesIn) -> dict:
        intent, revision = edit.faq.set_examples(edit.session, edit.user.username, name, data.examples, data.version)
        return {"intent": intent_view(intent), "revision": revisions.summary_view(revision)}

    return _write_body(edit, body, name, change)


@router.get("/revisions")
def list_revisions(
    target: str | None = Query(default=None, max_length=128),
    limit: int = Query(default=50, ge=1, le=500),
    user: CurrentUser = Depends(staff_only),
    session: Session = Depends(db_session),
) -> dict:
    """Saved changes, newest first (all, or those of one entry: target=faq/<name>)."""
    return {"items": [revisions.summary_view(r) for r in revisions.list_revisions(session, target, limit)]}


@router.get("/revisions/{revision_id}")
def get_revision(
    revision_id: int, user: CurrentUser = Depends(staff_only), session: Session = Depends(db_session)
) -> Any:
    """One change with the diff of every file it touched."""
    revision = session.get(FaqRevision, revision_id)
    if revision is None:
        return JSONResponse(status_code=404, content={"detail": "没有这条修改记录。"})
    return revisions.detail_view(revision)


@router.post("/revisions/{revision_id}/rollback", openapi_extra=_openapi(RollbackIn))
def rollback(revision_id: int, body=Depends(_rollback_body), edit: Edit = Depends(edit_context)) -> Any:
    """Undo a change: its files go back to how they were before it. The undo is a new revision."""

    def change(data: RollbackIn) -> dict:
        undo = edit.faq.rollback(edit.session, edit.user.username, revision_id, data.include_later)
        return {"revision": revisions.summary_view(undo)}

    return _write_body(edit, body, f"revision/{revision_id}", change)
