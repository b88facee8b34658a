"""The FAQ editor's use cases: every change is checked, version-checked, written atomically, stored as a revision
and audited — or refused with plain-language reasons and nothing written."""

from __future__ import annotations

import re
import shutil
import tempfile
import threading
import unicodedata
from dataclasses import asdict, replace
from pathlib import Path

from sqlalchemy.orm import Session

from bot.core.config import PROJECT_ROOT, Settings
from bot.staff import preview, revisions
from bot.staff.faq_store import FAQ_PREFIX, Catalog, Changes, FaqEntry, FaqStore, IntentExamples
from bot.staff.rasa_check import RasaDataCheck
from bot.staff.sources import AnswerSources, check_sources, empty, with_sections
from bot.staff.validation import EntryDraft, SeedFacts, check_entry, check_examples, plain_example
from bot.staff.yaml_files import YamlFileError, parse_check
from bot.storage.models import AuditEntry, FaqRevision


class EditRefused(Exception):
    """The edit breaks a rule; `errors` say which, in plain Chinese."""

    def __init__(self, errors: list[str]) -> None:
        super().__init__("; ".join(errors))
        self.errors = errors


class EditConflict(Exception):
    """Somebody else changed the same thing since the editor loaded it."""


class NotFound(Exception):
    pass


def clean_answer(text: str) -> str:
    """Unix newlines, no trailing spaces, paragraphs separated by exactly one blank line."""
    text = "\n".join(line.rstrip() for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"))
    return re.sub(r"\n{3,}", "\n\n", text).strip()


def clean_examples(examples: list[str]) -> list[str]:
    """One question per item, without list dashes or blank lines."""
    cleaned = []
    for example in examples:
        for line in example.replace("\r", "\n").split("\n"):
            line = re.sub(r"^\s*[-•·]\s+", "", line).strip()
            if line:
                cleaned.append(line)
    return cleaned


def clean_draft(draft: EntryDraft) -> EntryDraft:
    answers = {key: clean_answer(text) for key, text in draft.answers.items()}
    return EntryDraft(
        draft.name.strip(),
        draft.topic.strip(),
        draft.title.strip(),
        clean_examples(draft.examples),
        answers,
        draft.sources,
    )


def sourced(draft: EntryDraft, current: FaqEntry | None, seeds: SeedFacts) -> tuple[EntryDraft, list[str]]:
    """The draft with every answer's sources (the submitted ones, else the stored ones), their sections derived from
    the plans, and the problems with them. Without the plans' texts only unchanged sources can be kept."""
    stored = current.sources if current else {}
    chosen = draft.sources if draft.sources is not None else stored
    sources: dict[str, AnswerSources] = {}
    errors: list[str] = []
    for key, text in draft.answers.items():
        answer = {**empty(), **(chosen.get(key) or {})}
        answer["sources"] = [
            {"file": str(s.get("file") or ""), "quote": str(s.get("quote") or "")} for s in answer["sources"] or []
        ]
        old = {(s["file"], s["quote"]) for s in (stored.get(key) or empty())["sources"]}
        if seeds.index.available or any((s["file"], s["quote"]) not in old for s in answer["sources"]):
            errors += check_sources(key, text, answer, seeds.index)
        sources[key] = with_sections(answer, seeds.index) if seeds.index.available else (stored.get(key) or answer)
    return replace(draft, sources=sources), errors


def duplicate_examples(catalog: Catalog) -> list[str]:
    """Examples that belong to two intents (the data must have none)."""
    owners: dict[str, str] = {}
    errors = []
    groups = [(e.intent, e.examples) for e in catalog.entries.values()]
    groups += [(i.name, i.examples) for i in catalog.intents.values()]
    for intent, examples in groups:
        for example in examples:
            owner = owners.setdefault(plain_example(example), intent)
            if owner != intent:
                errors.append(f"例句“{example}”同时属于“{owner}”和“{intent}”。")
    return errors


def _matches(entry: FaqEntry, query: str) -> bool:
    haystack = " ".join([entry.name, entry.topic, entry.title, *entry.examples, *entry.answers.values()])
    normal = unicodedata.normalize("NFKC", haystack).lower()
    return all(word in normal for word in unicodedata.normalize("NFKC", query).lower().split())


class FaqEditor:
    """Reads and changes FAQ entries and intent examples in nlu_data."""

    def __init__(self, store: FaqStore, seeds: SeedFacts, rasa_check: RasaDataCheck | None) -> None:
        self.store = store
        self.seeds = seeds
        self.rasa_check = rasa_check
        self._cache: tuple[tuple, Catalog] | None = None
        self._cache_lock = threading.Lock()

    # --- reading ---

    def catalog(self) -> Catalog:
        """The current catalog, fresh from disk: for planning a change (which modifies it)."""
        try:
            return self.store.catalog()
        except YamlFileError as exc:
            raise EditRefused([str(exc), "请联系技术人员修好这个文件后再编辑。"]) from exc

    def snapshot(self) -> Catalog:
        """The current catalog for reading only (shared, reloaded when a file changed)."""
        signature = self.store.signature()
        with self._cache_lock:
            if self._cache is not None and self._cache[0] == signature:
                return self._cache[1]
        catalog = self.catalog()
        with self._cache_lock:
            self._cache = (signature, catalog)
        return catalog

    def entries(self, query: str = "") -> list[FaqEntry]:
        entries = sorted(self.snapshot().entries.values(), key=lambda e: (e.topic, e.name))
        return [e for e in entries if _matches(e, query)] if query.strip() else entries

    def entry(self, name: str) -> FaqEntry:
        entry = self.snapshot().entries.get(name)
        if entry is None:
            raise NotFound("没有这条问答，可能已被删除。请刷新列表。")
        return entry

    def intent(self, name: str) -> IntentExamples:
        intent = self.snapshot().intents.get(name)
        if intent is None:
            raise NotFound("没有这个意图。")
        return intent

    def preview(self, name: str, answers: dict[str, str], region: str | None, ask_region: bool = False) -> dict:
        cleaned = {key: clean_answer(text) for key, text in answers.items() if text.strip()}
        return preview.render(self.store.root, name, cleaned, region, ask_region)

    # --- changing ---

    def create(self, session: Session, actor: str, draft: EntryDraft) -> tuple[FaqEntry, FaqRevision]:
        draft = clean_draft(draft)
        with self.store.locked():
            catalog = self.catalog()
            errors = []
            if draft.name in catalog.entries:
                other = catalog.entries[draft.name]
                errors.append(
                    f"问题编号 {draft.name} 已经有了（“{other.title}”，在分类 {other.topic}）。请换一个编号。"
                )
            errors += check_entry(draft, catalog.example_owners(), self.seeds)
            draft, source_errors = sourced(draft, None, self.seeds)
            if errors or source_errors:
                raise EditRefused(errors + source_errors)
            changes = catalog.plan_save(draft)
            revision = self._commit(
                session, actor, "create", FAQ_PREFIX + draft.name, changes, revisions.entry_changes(None, draft)
            )
        return self.entry(draft.name), revision

    def update(
        self, session: Session, actor: str, name: str, draft: EntryDraft, version: str
    ) -> tuple[FaqEntry, FaqRevision]:
        draft = clean_draft(replace(draft, name=name))
        with self.store.locked():
            catalog = self.catalog()
            current = catalog.entries.get(name)
            if current is None or current.version != version:
                raise EditConflict(revisions.conflict_message(session, FAQ_PREFIX + name))
            errors = check_entry(draft, catalog.example_owners(), self.seeds)
            draft, source_errors = sourced(draft, current, self.seeds)
            if errors or source_errors:
                raise EditRefused(errors + source_errors)
            changed = revisions.entry_changes(current, draft)
            changes = catalog.plan_save(draft)
            if not changes:
                raise EditRefused(["内容和原来一样，没有需要保存的修改。"])
            revision = self._commit(session, actor, "edit", FAQ_PREFIX + name, changes, changed)
        return self.entry(name), revision

    def delete(self, session: Session, actor: str, name: str, version: str) -> FaqRevision:
        with self.store.locked():
            catalog = self.catalog()
            current = catalog.entries.get(name)
            if current is None or current.version != version:
                raise EditConflict(revisions.conflict_message(session, FAQ_PREFIX + name))
            changes = catalog.plan_delete(name)
            changed = revisions.entry_changes(current, None)
            return self._commit(session, actor, "delete", FAQ_PREFIX + name, changes, changed)

    def set_examples(
        self, session: Session, actor: str, intent: str, examples: list[str], version: str
    ) -> tuple[IntentExamples, FaqRevision]:
        examples = clean_examples(examples)
        with self.store.locked():
            catalog = self.catalog()
            current = catalog.intents.get(intent)
            if current is None:
                raise NotFound("没有这个意图。")
            if current.version != version:
                raise EditConflict(revisions.conflict_message(session, intent, "这个意图的例句"))
            errors = check_examples(intent, examples, catalog.example_owners())
            if errors:
                raise EditRefused(errors)
            changed = revisions.example_changes(current.examples, examples)
            changes = catalog.plan_examples(intent, examples)
            if not changes:
                raise EditRefused(["例句和原来一样，没有需要保存的修改。"])
            revision = self._commit(session, actor, "examples", intent, changes, changed)
        return self.intent(intent), revision

    def rollback(self, session: Session, actor: str, revision_id: int, include_later: bool) -> FaqRevision:
        """Put the files of revision `revision_id` back as they were before it (a new, audited revision)."""
        with self.store.locked():
            old = session.get(FaqRevision, revision_id)
            if old is None:
                raise NotFound("没有这条修改记录。")
            later = revisions.later_touching(session, old)
            changes: Changes = {}
            changed_since = False
            for file in old.files:
                current = self.store.read(file["path"])
                changed_since = changed_since or current != file["after"]
                if current != file["after"] and not include_later:
                    numbers = "、".join(f"第{r.id}号" for r in later) or "编辑器以外"
                    raise EditConflict(
                        f"第{old.id}号修改之后，这些内容又被改过（{numbers}修改）。"
                        "要连后面的修改一起撤销，请勾选“连同之后的修改一起撤销”再试。"
                    )
                if current != file["before"]:
                    changes[file["path"]] = file["before"]
            if not changes:
                raise EditRefused(["内容已经是这次修改之前的样子，不需要撤销。"])
            staged_errors = self._check_staged(changes)
            if staged_errors:
                raise EditRefused(staged_errors)
            undone = [r.id for r in later] if changed_since else []
            changed = [f"撤销第{old.id}号修改（{old.summary}）"] + [f"连同撤销第{n}号修改" for n in undone]
            return self._commit(
                session, actor, "rollback", old.target, changes, changed, rollback_of=old.id, checked=True
            )

    # --- saving ---

    def _check_staged(self, changes: Changes) -> list[str]:
        """YAML, duplicates across intents and Rasa on a copy of nlu_data with `changes` applied."""
        errors = [e for path, text in changes.items() if text is not None and (e := parse_check(path, text))]
        if errors:
            return errors
        with tempfile.TemporaryDirectory(prefix="faqstage") as work:
            staged = Path(work) / "nlu_data"
            shutil.copytree(self.store.root, staged)
            for path, text in changes.items():
                target = staged / path
                if text is None:
                    target.unlink(missing_ok=True)
                else:
                    target.write_text(text, "utf-8")
            try:
                errors = duplicate_examples(Catalog(staged))
            except YamlFileError as exc:
                errors = [str(exc)]
        if errors:
            return errors
        return self.rasa_check.check(self.store.root, changes) if self.rasa_check else []

    def _commit(
        self,
        session: Session,
        actor: str,
        action: str,
        target: str,
        changes: Changes,
        changed: list[str],
        rollback_of: int | None = None,
        checked: bool = False,
    ) -> FaqRevision:
        """Check the staged result, then write the files and store revision + audit entry together."""
        if not checked:
            errors = [e for path, text in changes.items() if text is not None and (e := parse_check(path, text))]
            if not errors and self.rasa_check is not None:
                errors = self.rasa_check.check(self.store.root, changes)
            if errors:
                raise EditRefused(errors)
        files = [{"path": p, "before": self.store.read(p), "after": t} for p, t in sorted(changes.items())]
        summary = "；".join(changed)
        revision = FaqRevision(
            actor=actor, action=action, target=target, summary=summary, files=files, rollback_of=rollback_of
        )
        session.add(revision)
        session.flush()
        added, removed = revisions.line_counts(files)
        details = {
            "revision": revision.id,
            "changes": changed,
            "files": [f["path"] for f in files],
            "lines": f"+{added} -{removed}",
        }
        if rollback_of is not None:
            details["rollback_of"] = rollback_of
        session.add(AuditEntry(actor=actor, action=f"faq.{action}", target=target, details=details))
        session.flush()
        try:
            self.store.write(changes)
        except OSError:
            # Past the commit point the change lands (now or at the next start): keep its revision with it.
            if not self.store.files.committed():
                raise
        try:
            session.commit()
        except BaseException:
            self.store.write({f["path"]: f["before"] for f in files})  # the files follow the database
            raise
        return revision

    def audit_refusal(self, session: Session, actor: str, target: str, reason: str, errors: list[str]) -> None:
        """Record a refused or conflicting save (who tried what, and why it was refused)."""
        session.rollback()
        session.add(AuditEntry(actor=actor, action="faq.refused", target=target[:128], details={
            "reason": reason, "errors": errors[:20]}))  # fmt: skip
        session.commit()


def entry_view(entry: FaqEntry) -> dict:
    view = asdict(entry)
    view.update(intent=entry.intent, version=entry.version)
    return view


def intent_view(intent: IntentExamples) -> dict:
    return {"name": intent.name, "file": intent.file, "examples": intent.examples, "version": intent.version}


def build_editor(settings: Settings) -> FaqEditor:
    """The editor for the configured nlu_data; finishes or discards a write a crash interrupted."""
    store = FaqStore(settings.nlu_data_dir, settings.data_dir / "nlu_data.lock")
    with store.locked():
        pass  # taking the lock runs the recovery
    check = None
    if settings.faq_rasa_validate:
        check = RasaDataCheck(PROJECT_ROOT / "dialogue" / "config.yml", settings.faq_rasa_validate_timeout)
    return FaqEditor(store, SeedFacts(settings.seeds_dir), check)
