"""The FAQ store on a copy of nlu_data: round trips keep comments and order, edits change only their lines,
multi-file writes are all-or-nothing even when the process dies between two files."""

from __future__ import annotations

import difflib
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from bot.core.config import PROJECT_ROOT
from bot.staff.faq_store import Catalog, FaqStore
from bot.staff.validation import EntryDraft


@pytest.fixture()
def nlu_copy(tmp_path: Path) -> Path:
    root = tmp_path / "nlu_data"
    shutil.copytree(PROJECT_ROOT / "nlu_data", root)
    return root


def snapshot(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def draft_of(catalog: Catalog, name: str, **changes) -> EntryDraft:
    entry = catalog.entries[name]
    fields = {"name": name, "topic": entry.topic, "title": entry.title, "examples": list(entry.examples)}
    fields["answers"] = dict(entry.answers)
    fields.update(changes)
    return EntryDraft(**fields)


def changed_lines(before: str, after: str) -> list[str]:
    return [
        line
        for line in difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="", n=0)
        if line[:1] in "+-" and not line.startswith(("+++", "---"))
    ]


def test_reads_every_faq_entry_and_intent(nlu_copy: Path) -> None:
    catalog = Catalog(nlu_copy)
    assert len(catalog.entries) >= 30 and "subsidies" in catalog.topics
    care = catalog.entries["severe_care_subsidy"]
    assert care.topic == "subsidies" and care.title == "重度残疾人护理补贴"  # metadata: title
    assert care.examples[0] == "重度残疾人护理补贴是什么"
    assert set(care.answers) == {"绥芬河市", "潞城区", "default"} and "\n\n" in care.answers["潞城区"]
    assert care.sources["潞城区"]["national"] == ["国发〔2015〕52号"]
    first_source = care.sources["潞城区"]["sources"][0]
    assert first_source["file"].startswith("001_") and first_source["section"].startswith("第三部分")
    assert "greet" in catalog.intents and "你好" in catalog.intents["greet"].examples


def test_saving_an_unchanged_entry_changes_no_byte(nlu_copy: Path) -> None:
    before = snapshot(nlu_copy)
    catalog = Catalog(nlu_copy)
    for name in catalog.entries:
        assert catalog.plan_save(draft_of(catalog, name)) == {}, name
    for intent in catalog.intents.values():
        assert catalog.plan_examples(intent.name, list(intent.examples)) == {}
    assert snapshot(nlu_copy) == before


def test_editing_one_answer_changes_only_its_lines_and_keeps_comments(nlu_copy: Path, tmp_path: Path) -> None:
    original = (nlu_copy / "faq" / "subsidies.yml").read_text("utf-8")
    catalog = Catalog(nlu_copy)
    answers = dict(catalog.entries["severe_care_subsidy"].answers)
    answers["潞城区"] = "护理补贴，请问区残联。\n\n可以拨打12345政务服务便民热线咨询。"
    changes = catalog.plan_save(draft_of(catalog, "severe_care_subsidy", answers=answers))
    assert list(changes) == ["faq/subsidies.yml"]
    after = changes["faq/subsidies.yml"]
    assert after.splitlines()[:4] == original.splitlines()[:4], "header comments kept"
    removed = [line for line in changed_lines(original, after) if line.startswith("-")]
    assert removed and all(
        line.startswith("-    text: ") or line.startswith("-      ") or line == "-" for line in removed
    )
    FaqStore(nlu_copy, tmp_path / "lock").write(changes)
    reread = Catalog(nlu_copy)
    assert reread.entries["severe_care_subsidy"].answers["潞城区"] == answers["潞城区"]
    assert list(reread.entries) == list(catalog.entries), "order of entries kept"
    others = {n: e for n, e in Catalog(nlu_copy).entries.items() if n != "severe_care_subsidy"}
    assert others == {n: e for n, e in catalog.entries.items() if n != "severe_care_subsidy"}


def test_changing_sources_rewrites_only_the_metadata_and_keeps_them_on_a_text_edit(
    nlu_copy: Path, tmp_path: Path
) -> None:
    original = (nlu_copy / "faq" / "subsidies.yml").read_text("utf-8")
    catalog = Catalog(nlu_copy)
    entry = catalog.entries["severe_care_subsidy"]
    quote = {"file": "001_6439bcf8f5fc4d9a.txt", "section": "第三部分（一）第4条", "quote": "逐步扩大补贴对象范围"}
    sources = {**entry.sources, "潞城区": {"sources": [quote], "national": [], "ask_region": False}}
    changes = catalog.plan_save(draft_of(catalog, "severe_care_subsidy", sources=sources))
    changed = changed_lines(original, changes["faq/subsidies.yml"])
    assert changed and all("text:" not in line and "examples" not in line for line in changed)
    FaqStore(nlu_copy, tmp_path / "lock").write(changes)
    reread = Catalog(nlu_copy).entries["severe_care_subsidy"]
    assert reread.sources["潞城区"] == sources["潞城区"] and reread.sources["绥芬河市"] == entry.sources["绥芬河市"]
    original = (nlu_copy / "faq" / "subsidies.yml").read_text("utf-8")

    catalog = Catalog(nlu_copy)  # a text edit without sources keeps the stored ones untouched
    answers = dict(catalog.entries["severe_care_subsidy"].answers, 潞城区="新的回答。电话：{hotline}。")
    edited = catalog.plan_save(draft_of(catalog, "severe_care_subsidy", answers=answers))["faq/subsidies.yml"]
    assert all("metadata" not in line and "quote" not in line for line in changed_lines(original, edited))


def test_create_move_and_delete_entries(nlu_copy: Path, tmp_path: Path) -> None:
    store = FaqStore(nlu_copy, tmp_path / "lock")
    draft = EntryDraft(
        "guide_dogs", "mobility", "导盲犬", ["我想要一只导盲犬", "导盲犬去哪里领"], {"default": "请问残联。"}
    )
    changes = Catalog(nlu_copy).plan_save(draft)
    assert list(changes) == ["faq/mobility.yml"] and changes["faq/mobility.yml"].startswith("# mobility")
    store.write(changes)
    entry = Catalog(nlu_copy).entries["guide_dogs"]
    assert (entry.topic, entry.title, entry.examples, entry.answers) == (
        "mobility",
        "导盲犬",
        draft.examples,
        draft.answers,
    )

    moved = EntryDraft("guide_dogs", "accessibility", "导盲犬", draft.examples, {"绥芬河市": "甲", "潞城区": "乙"})
    changes = Catalog(nlu_copy).plan_save(moved)
    assert changes == {"faq/accessibility.yml": changes["faq/accessibility.yml"], "faq/mobility.yml": None}
    store.write(changes)
    assert not (nlu_copy / "faq" / "mobility.yml").exists(), "a topic without entries is removed"
    assert Catalog(nlu_copy).entries["guide_dogs"].answers == {"绥芬河市": "甲", "潞城区": "乙"}

    store.write(Catalog(nlu_copy).plan_delete("guide_dogs"))
    assert "guide_dogs" not in Catalog(nlu_copy).entries
    assert (nlu_copy / "faq" / "accessibility.yml").read_bytes() == (
        PROJECT_ROOT / "nlu_data" / "faq" / "accessibility.yml"
    ).read_bytes(), "create + delete leaves the file as it was"


def test_intent_examples_edit_touches_only_that_block(nlu_copy: Path) -> None:
    catalog = Catalog(nlu_copy)
    examples = [*catalog.intents["thanks"].examples, "太感谢你了"]
    changes = catalog.plan_examples("thanks", examples)
    assert list(changes) == ["nlu/conversation.yml"]
    original = (nlu_copy / "nlu" / "conversation.yml").read_text("utf-8")
    assert changed_lines(original, changes["nlu/conversation.yml"]) == ["+      - 太感谢你了"]


CRASH_BETWEEN_FILES = textwrap.dedent(
    """
    import os, sys
    from pathlib import Path
    from bot.staff import atomic
    calls = []
    def dying_replace(source, target):
        if Path(target).name != "journal.json":
            calls.append(target)
            if len(calls) == 2:
                os._exit(9)  # the gateway is killed after the first file landed
        os.replace(source, target)
    atomic._replace = dying_replace
    root = Path(sys.argv[1])
    atomic.AtomicFiles(root).write({"faq/certificate.yml": "A: 1\\n", "faq/education.yml": "B: 2\\n"})
    """
)


def test_a_crash_between_two_files_is_completed_on_restart(nlu_copy: Path, tmp_path: Path) -> None:
    env = dict(os.environ, PYTHONPATH=str(PROJECT_ROOT))
    died = subprocess.run([sys.executable, "-c", CRASH_BETWEEN_FILES, str(nlu_copy)], env=env)
    assert died.returncode == 9
    assert (nlu_copy / "faq" / "certificate.yml").read_text() == "A: 1\n", "first file landed"
    assert (nlu_copy / "faq" / "education.yml").read_text() != "B: 2\n", "second one did not"
    staging = nlu_copy.parent / ".nlu_data.staging"
    assert (staging / "journal.json").exists()

    store = FaqStore(nlu_copy, tmp_path / "lock")
    assert store.files.recover() == "completed"
    assert (nlu_copy / "faq" / "education.yml").read_text() == "B: 2\n"
    assert not staging.exists()


def test_a_crash_before_the_commit_point_changes_nothing(nlu_copy: Path, tmp_path: Path, monkeypatch) -> None:
    before = snapshot(nlu_copy)
    from bot.staff import atomic

    def disk_full(path: Path, data: bytes) -> None:
        if path.name.startswith("journal"):
            raise OSError(28, "No space left on device")
        path.write_bytes(data)

    monkeypatch.setattr(atomic, "_write_synced", disk_full)
    store = FaqStore(nlu_copy, tmp_path / "lock")
    with pytest.raises(OSError):
        store.write({"faq/certificate.yml": "A: 1\n", "faq/education.yml": "B: 2\n"})
    assert snapshot(nlu_copy) == before
    assert not (nlu_copy.parent / ".nlu_data.staging").exists()


def test_leftovers_of_an_uncommitted_write_are_discarded(nlu_copy: Path, tmp_path: Path) -> None:
    before = snapshot(nlu_copy)
    staging = nlu_copy.parent / ".nlu_data.staging"
    staging.mkdir()
    (staging / "0123.tmp").write_text("half a file")
    with FaqStore(nlu_copy, tmp_path / "lock").locked():
        assert not staging.exists()
    assert snapshot(nlu_copy) == before


def test_paths_outside_the_data_directory_are_refused(nlu_copy: Path, tmp_path: Path) -> None:
    with pytest.raises(ValueError):
        FaqStore(nlu_copy, tmp_path / "lock").write({"../escape.yml": "x: 1\n"})
    assert not (nlu_copy.parent / "escape.yml").exists()
