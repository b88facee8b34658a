"""Revisions of nlu_data made through the editor: what a change did, in words and as a diff."""

from __future__ import annotations

import difflib
from datetime import datetime, timezone
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.staff.faq_store import FaqEntry
from bot.staff.validation import EntryDraft, region_label
from bot.storage.models import FaqRevision

LOCAL_TIME = ZoneInfo("Asia/Shanghai")
ACTION_WORDS = {"create": "新建", "edit": "修改", "delete": "删除", "examples": "修改例句", "rollback": "撤销"}


def local_clock(moment: datetime) -> str:
    """HH:MM in China time."""
    if moment.tzinfo is None:  # SQLite returns naive UTC
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(LOCAL_TIME).strftime("%H:%M")


def latest_for(session: Session, target: str) -> FaqRevision | None:
    return session.scalar(select(FaqRevision).where(FaqRevision.target == target).order_by(FaqRevision.id.desc()))


def conflict_message(session: Session, target: str, noun: str = "这条问答") -> str:
    """ "这条问答已被 X 在 HH:MM 修改，请刷新后再改。" naming the last editor when the editor changed it."""
    last = latest_for(session, target)
    if last is None:
        return f"{noun}已被别人修改，请刷新后再改。"
    verb = "删除" if last.action == "delete" else "修改"
    return f"{noun}已被 {last.actor} 在 {local_clock(last.at)} {verb}，请刷新后再改。"


def _few(items: list[str]) -> str:
    shown = "、".join(f"“{i}”" for i in items[:3])
    return shown + (f"等{len(items)}个" if len(items) > 3 else "")


def example_changes(old: list[str], new: list[str]) -> list[str]:
    added = [e for e in new if e not in old]
    removed = [e for e in old if e not in new]
    changes = []
    if added:
        changes.append(f"增加例句{_few(added)}")
    if removed:
        changes.append(f"删除例句{_few(removed)}")
    return changes


def entry_changes(old: FaqEntry | None, new: EntryDraft | None) -> list[str]:
    """What changed, field by field, in short Chinese phrases (the audit's diff summary)."""
    if old is None and new is not None:
        answers = "、".join(region_label(k) for k in new.answers)
        return [f"新建问答“{new.title}”（分类 {new.topic}，{len(new.examples)}个例句，{answers}）"]
    if new is None and old is not None:
        return [f"删除问答“{old.title}”（{len(old.examples)}个例句）"]
    assert old is not None and new is not None
    changes = []
    if old.title != new.title:
        changes.append(f"标题“{old.title}”改成“{new.title}”")
    if old.topic != new.topic:
        changes.append(f"分类 {old.topic} 改成 {new.topic}")
    changes += example_changes(old.examples, new.examples)
    for key in dict.fromkeys([*old.answers, *new.answers]):
        before, after = old.answers.get(key), new.answers.get(key)
        if before is None:
            changes.append(f"增加{region_label(key)}")
        elif after is None:
            changes.append(f"删除{region_label(key)}")
        elif before != after:
            changes.append(f"修改{region_label(key)}（{len(before)}字改为{len(after)}字）")
        if before is not None and after is not None and new.sources is not None:
            if _source_words(old.sources.get(key)) != _source_words(new.sources.get(key)):
                changes.append(f"修改{region_label(key)}的依据")
    return changes or ["没有内容变化"]


def _source_words(sources: dict | None) -> tuple:
    sources = sources or {}
    quotes = tuple((s.get("file"), s.get("quote")) for s in sources.get("sources") or [])
    return quotes, tuple(sources.get("national") or []), bool(sources.get("ask_region"))


def unified_diff(path: str, before: str | None, after: str | None) -> str:
    return "".join(
        difflib.unified_diff(
            (before or "").splitlines(keepends=True),
            (after or "").splitlines(keepends=True),
            fromfile=f"a/{path}" if before is not None else "/dev/null",
            tofile=f"b/{path}" if after is not None else "/dev/null",
        )
    )


def line_counts(files: list[dict]) -> tuple[int, int]:
    """Lines added and removed over the files of a revision."""
    added = removed = 0
    for file in files:
        for line in unified_diff(file["path"], file["before"], file["after"]).splitlines():
            if line.startswith("+") and not line.startswith("+++"):
                added += 1
            elif line.startswith("-") and not line.startswith("---"):
                removed += 1
    return added, removed


def summary_view(revision: FaqRevision) -> dict:
    return {
        "id": revision.id,
        "at": revision.at.replace(tzinfo=revision.at.tzinfo or timezone.utc).isoformat(),
        "time": local_clock(revision.at),
        "actor": revision.actor,
        "action": revision.action,
        "action_text": ACTION_WORDS.get(revision.action, revision.action),
        "target": revision.target,
        "summary": revision.summary,
        "files": [f["path"] for f in revision.files],
        "rollback_of": revision.rollback_of,
    }


def detail_view(revision: FaqRevision) -> dict:
    view = summary_view(revision)
    view["diff"] = [
        {"path": f["path"], "diff": unified_diff(f["path"], f["before"], f["after"])} for f in revision.files
    ]
    return view


def list_revisions(session: Session, target: str | None = None, limit: int = 50) -> list[FaqRevision]:
    query = select(FaqRevision).order_by(FaqRevision.id.desc()).limit(limit)
    if target:
        query = query.where(FaqRevision.target == target)
    return list(session.scalars(query))


def later_touching(session: Session, revision: FaqRevision) -> list[FaqRevision]:
    """Revisions after `revision` that changed any of its files."""
    paths = {f["path"] for f in revision.files}
    later = session.scalars(select(FaqRevision).where(FaqRevision.id > revision.id).order_by(FaqRevision.id))
    return [r for r in later if paths & {f["path"] for f in r.files}]
