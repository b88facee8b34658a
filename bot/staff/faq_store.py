"""FAQ entries and intent examples, read from and written to the nlu_data YAML (the source of truth).

An FAQ entry is the retrieval intent `faq/<name>` (its example questions, in `faq/<topic>.yml`) with its responses
`utter_faq/<name>` (one variation per region, or one without a condition). Edits change the loaded YAML in place
(ruamel.yaml round trip), so a saved file differs from the old one only in the lines that really changed.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path

from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import LiteralScalarString, SingleQuotedScalarString

from bot.rules.regions import REGIONS
from bot.staff.atomic import AtomicFiles
from bot.staff.sources import AnswerSources, read_metadata, write_metadata
from bot.staff.validation import DEFAULT_ANSWER, EntryDraft, plain_example
from bot.staff.yaml_files import YamlDocument

FAQ_DIR = "faq"
NLU_DIR = "nlu"
FAQ_PREFIX = "faq/"
NEW_TOPIC_HEADER = (
    "# {topic}：常见问题（例句）和回答。\n"
    "# 回答只来自两份“十四五”规划和写明文号的国家规定，每条回答在 metadata 里写明依据；怎么写见 docs/knowledge.md。\n"
    "# 一条回答里用空行分开的每一段，是发给居民的一条消息（不超过150字）。不要写规划里没有的金额、期限和材料清单。\n"
    "version: '3.1'\n"
)

Changes = dict[str, "str | None"]  # relative path → new text (None = delete the file)


@dataclass
class FaqEntry:
    """One FAQ entry as the editor shows it."""

    name: str
    topic: str
    title: str
    examples: list[str]
    answers: dict[str, str]
    sources: dict[str, AnswerSources] = field(default_factory=dict)  # answer key → its sources (metadata)

    @property
    def intent(self) -> str:
        return FAQ_PREFIX + self.name

    @property
    def version(self) -> str:
        """A hash of the content: it changes whenever anybody changes the entry."""
        return content_version(asdict(self))


@dataclass
class IntentExamples:
    """The example questions of a non-FAQ intent (nlu/*.yml)."""

    name: str
    file: str
    examples: list[str]

    @property
    def version(self) -> str:
        return content_version({"name": self.name, "examples": self.examples})


def content_version(content: dict) -> str:
    return hashlib.sha256(json.dumps(content, ensure_ascii=False, sort_keys=True).encode()).hexdigest()[:16]


def parse_examples(block: str | None) -> list[str]:
    """The `- example` lines of a Rasa examples block."""
    return [line.strip()[2:].strip() for line in (block or "").splitlines() if line.strip().startswith("- ")]


def examples_block(examples: list[str]) -> LiteralScalarString:
    return LiteralScalarString("".join(f"- {e}\n" for e in examples))


def _variation_key(variation: dict) -> str | None:
    """The answer key a variation stands for (a region or DEFAULT_ANSWER); None for variations we do not manage."""
    conditions = variation.get("condition") or []
    if not conditions:
        return DEFAULT_ANSWER
    if len(conditions) == 1 and conditions[0].get("type") == "slot" and conditions[0].get("name") == "region":
        return conditions[0].get("value")
    return None


def _new_variation(key: str, text: str) -> CommentedMap:
    variation = CommentedMap()
    if key != DEFAULT_ANSWER:
        condition = CommentedMap([("type", "slot"), ("name", "region"), ("value", key)])
        variation["condition"] = CommentedSeq([condition])
    variation["text"] = LiteralScalarString(text) if "\n" in text else SingleQuotedScalarString(text)
    return variation


class Catalog:
    """Everything the editor needs from nlu_data at one moment: the loaded files, entries and intents."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.docs: dict[str, YamlDocument] = {}
        self.entries: dict[str, FaqEntry] = {}
        self.intents: dict[str, IntentExamples] = {}
        self._entry_files: dict[str, tuple[str, str | None]] = {}  # name → (intent file, responses file)
        self._touched: set[str] = set()  # files a planned change may have modified
        for folder in (FAQ_DIR, NLU_DIR):
            for path in sorted((root / folder).glob("*.yml")):
                relative = f"{folder}/{path.name}"
                self.docs[relative] = YamlDocument(relative, path.read_text("utf-8"))
        self._index()

    def _index(self) -> None:
        responses_file: dict[str, str] = {}
        for relative, doc in self.docs.items():
            for key in (doc.data.get("responses") or {}) if relative.startswith(FAQ_DIR) else ():
                if str(key).startswith("utter_" + FAQ_PREFIX):
                    responses_file[str(key)[len("utter_" + FAQ_PREFIX) :]] = relative
        for relative, doc in self.docs.items():
            for item in doc.data.get("nlu") or []:
                intent = item.get("intent")
                if not intent:
                    continue
                examples = parse_examples(item.get("examples"))
                if relative.startswith(FAQ_DIR) and str(intent).startswith(FAQ_PREFIX):
                    name = str(intent)[len(FAQ_PREFIX) :]
                    answers, sources = self._answers(responses_file.get(name), name)
                    title = str((item.get("metadata") or {}).get("title") or (examples[0] if examples else name))
                    topic = Path(relative).stem
                    self.entries[name] = FaqEntry(name, topic, title, examples, answers, sources)
                    self._entry_files[name] = (relative, responses_file.get(name))
                elif relative.startswith(NLU_DIR):
                    self.intents[str(intent)] = IntentExamples(str(intent), relative, examples)

    def _answers(self, relative: str | None, name: str) -> tuple[dict[str, str], dict[str, AnswerSources]]:
        """The answer texts and their sources, per answer key."""
        if relative is None:
            return {}, {}
        variations = self.docs[relative].data["responses"][f"utter_{FAQ_PREFIX}{name}"] or []
        answers, sources = {}, {}
        for variation in variations:
            key = _variation_key(variation)
            if key is not None and key not in answers:
                answers[key] = str(variation.get("text") or "")
                sources[key] = read_metadata(variation)
        return answers, sources

    @property
    def topics(self) -> list[str]:
        return sorted(Path(r).stem for r in self.docs if r.startswith(FAQ_DIR))

    def example_owners(self) -> dict[str, str]:
        """Plain example text → the intent that has it, over all FAQ entries and intents."""
        owners: dict[str, str] = {}
        for entry in self.entries.values():
            for example in entry.examples:
                owners.setdefault(plain_example(example), entry.intent)
        for intent in self.intents.values():
            for example in intent.examples:
                owners.setdefault(plain_example(example), intent.name)
        return owners

    # --- planning changes: mutate the loaded documents, then report the files whose text changed ---

    def _changed(self) -> Changes:
        changes: Changes = {}
        for relative in sorted(self._touched):
            doc = self.docs[relative]
            if doc.data.get("nlu") == [] and not doc.data.get("responses") and relative.startswith(FAQ_DIR):
                changes[relative] = None  # the topic has no entries left
                continue
            text = doc.dump()
            if text != doc.original:
                changes[relative] = text
        return changes

    def _topic_doc(self, topic: str) -> YamlDocument:
        relative = f"{FAQ_DIR}/{topic}.yml"
        if relative not in self.docs:
            doc = YamlDocument(relative, NEW_TOPIC_HEADER.format(topic=topic))
            doc.original = ""
            doc.data["nlu"] = CommentedSeq()
            doc.data["responses"] = CommentedMap()
            self.docs[relative] = doc
        doc = self.docs[relative]
        if doc.data.get("nlu") is None:
            doc.data["nlu"] = CommentedSeq()
        if doc.data.get("responses") is None:
            doc.data["responses"] = CommentedMap()
        return doc

    def _find_item(self, relative: str, intent: str) -> tuple[CommentedSeq, int]:
        items = self.docs[relative].data["nlu"]
        for index, item in enumerate(items):
            if item.get("intent") == intent:
                return items, index
        raise KeyError(intent)

    def plan_save(self, draft: EntryDraft) -> Changes:
        """The file changes that store `draft` (a new entry, or a new state of an existing one)."""
        intent, response = FAQ_PREFIX + draft.name, f"utter_{FAQ_PREFIX}{draft.name}"
        old = self.entries.get(draft.name)
        if old is not None and old.topic != draft.topic:
            self._remove(draft.name)  # moving to another topic file: take it out of the old one first
            old = None
        if old is None:
            doc = self._topic_doc(draft.topic)
            item = CommentedMap([("intent", intent)])
            doc.data["nlu"].append(item)
            doc.data["responses"][response] = CommentedSeq()
            self._entry_files[draft.name] = (doc.name, doc.name)
        intent_file, responses_file = self._entry_files[draft.name]
        self._touched.update(f for f in (intent_file, responses_file) if f)
        items, index = self._find_item(intent_file, intent)
        item = items[index]
        fallback_title = draft.examples[0] if draft.examples else draft.name
        if "metadata" in item or draft.title != fallback_title:
            if not isinstance(item.get("metadata"), dict):
                item.insert(1, "metadata", CommentedMap())
            item["metadata"]["title"] = draft.title
        if parse_examples(item.get("examples")) != draft.examples:
            item["examples"] = examples_block(draft.examples)
        if responses_file is None:
            responses_file = intent_file
            self.docs[responses_file].data.setdefault("responses", CommentedMap())[response] = CommentedSeq()
        variations = self.docs[responses_file].data["responses"][response]
        self._set_answers(variations, draft.answers, draft.sources)
        return self._changed()

    @staticmethod
    def _set_answers(
        variations: CommentedSeq, answers: dict[str, str], sources: dict[str, AnswerSources] | None = None
    ) -> None:
        present: set[str] = set()
        dropped: list[int] = []
        for index, variation in enumerate(variations):
            key = _variation_key(variation)
            if key is None:
                continue
            if key not in answers or key in present:
                dropped.append(index)
                continue
            present.add(key)
            if str(variation.get("text")) != answers[key]:
                style = type(variation.get("text"))
                text = answers[key]
                variation["text"] = style(text) if style is not str else SingleQuotedScalarString(text)
            if sources is not None and key in sources:
                write_metadata(variation, sources[key])
        for index in reversed(dropped):
            del variations[index]
        for key in [*REGIONS, DEFAULT_ANSWER]:
            if key in answers and key not in present:
                keys = [_variation_key(v) for v in variations]
                position = keys.index(DEFAULT_ANSWER) if DEFAULT_ANSWER in keys else len(variations)
                variation = _new_variation(key, answers[key])
                if sources is not None and key in sources:
                    write_metadata(variation, sources[key])
                variations.insert(position, variation)

    def _remove(self, name: str) -> None:
        intent_file, responses_file = self._entry_files.pop(name)
        self._touched.update(f for f in (intent_file, responses_file) if f)
        items, index = self._find_item(intent_file, FAQ_PREFIX + name)
        del items[index]
        if responses_file is not None:
            del self.docs[responses_file].data["responses"][f"utter_{FAQ_PREFIX}{name}"]

    def plan_delete(self, name: str) -> Changes:
        """The file changes that delete entry `name`."""
        self._remove(name)
        return self._changed()

    def plan_examples(self, intent: str, examples: list[str]) -> Changes:
        """The file changes that give intent `intent` (nlu/*.yml) these example questions."""
        record = self.intents[intent]
        self._touched.add(record.file)
        items, index = self._find_item(record.file, intent)
        if parse_examples(items[index].get("examples")) != examples:
            items[index]["examples"] = examples_block(examples)
        return self._changed()


class FaqStore:
    """Reads and writes nlu_data. Writes are atomic over several files and serialised by a file lock."""

    def __init__(self, root: Path, lock_path: Path) -> None:
        self.root = root
        self.files = AtomicFiles(root)
        self.lock_path = lock_path

    @contextmanager
    def locked(self) -> Iterator[None]:
        """Hold the nlu_data write lock (across threads and processes); finish any interrupted write first."""
        self.lock_path.parent.mkdir(parents=True, exist_ok=True)
        with open(self.lock_path, "a+") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                self.files.recover()
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def catalog(self) -> Catalog:
        """The current state of nlu_data (loaded fresh from disk)."""
        return Catalog(self.root)

    def signature(self) -> tuple:
        """Changes whenever any file the catalog reads is written, replaced, added or removed."""
        stats = []
        for folder in (FAQ_DIR, NLU_DIR):
            for path in sorted((self.root / folder).glob("*.yml")):
                stat = path.stat()
                stats.append((folder, path.name, stat.st_ino, stat.st_mtime_ns, stat.st_size))
        return tuple(stats)

    def read(self, relative: str) -> str | None:
        path = self.files.target(relative)
        return path.read_text("utf-8") if path.exists() else None

    def write(self, changes: Changes) -> None:
        """Apply `changes` all at once (call while holding `locked()`)."""
        self.files.write(changes)

    def snapshot(self, destination: Path) -> Path:
        """A consistent copy of nlu_data (for training or validation), taken under the lock."""
        with self.locked():
            shutil.copytree(self.root, destination, dirs_exist_ok=True)
        return destination
