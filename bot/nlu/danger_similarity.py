"""How close a message sounds to danger, by e5 similarity (the semantic safety net behind the danger rules).

The rules in bot/rules/danger.py decide emergencies; they are exact and never see the model. Residents describe
danger in more ways than rules can list, so the action server also compares each message it answers with short
sentences of danger and of ordinary messages that merely sound near it (config/danger_exemplars.yml). A message
near a danger sentence (cosine ≥ NEAR) and nearer to it than to every ordinary sentence by MARGIN gets the emergency
numbers first in its reply (actions/safety_net.py). Chosen on the development items of the blind corpus
(tests/blind/understanding b1–b7, docs/understanding.md "A semantic safety net"): it never hands over by itself,
so a false alarm costs one sentence, and a missed danger can cost a life.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import yaml

EXEMPLARS = Path(__file__).resolve().parents[2] / "config" / "danger_exemplars.yml"
NEAR = 0.90  # cosine to the nearest danger sentence
MARGIN = 0.02  # … minus the cosine to the nearest ordinary sentence
MIN_CHARS = 4  # "救命" is the rules' business; shorter texts embed close to everything

Encode = Callable[[list[str]], np.ndarray]


@dataclass(frozen=True)
class Nearness:
    danger: float  # cosine to the nearest danger sentence
    ordinary: float  # cosine to the nearest ordinary sentence
    self_harm: bool  # the nearest danger sentence is about self-harm

    @property
    def sounds_dangerous(self) -> bool:
        return self.danger >= NEAR and self.danger - self.ordinary >= MARGIN


class DangerSimilarity:
    """Danger and ordinary sentences embedded once; `nearness` embeds one message (cached by the embedder)."""

    def __init__(self, harm: list[str], self_harm: list[str], ordinary: list[str], encode: Encode) -> None:
        if not (harm or self_harm) or not ordinary:
            raise ValueError("danger exemplars need danger and ordinary sentences")
        self._encode = encode
        self._danger = _unit(encode([*harm, *self_harm]))
        self._self_harm = np.array([False] * len(harm) + [True] * len(self_harm))
        self._ordinary = _unit(encode(ordinary))

    @classmethod
    def from_file(cls, path: Path = EXEMPLARS, encode: Encode | None = None) -> DangerSimilarity:
        doc = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        danger = doc.get("danger") or {}
        return cls(
            [str(s) for s in danger.get("harm") or []],
            [str(s) for s in danger.get("self_harm") or []],
            [str(s) for s in doc.get("not_danger") or []],
            encode or _e5,
        )

    def nearness(self, text: str) -> Nearness | None:
        """None for texts too short to judge."""
        clean = " ".join((text or "").split())
        if len(clean.replace(" ", "")) < MIN_CHARS:
            return None
        vector = _unit(self._encode([clean]))[0]
        to_danger = self._danger @ vector
        nearest = int(np.argmax(to_danger))
        ordinary = float((self._ordinary @ vector).max())
        return Nearness(float(to_danger[nearest]), ordinary, bool(self._self_harm[nearest]))


def _unit(vectors: np.ndarray) -> np.ndarray:
    vectors = np.asarray(vectors, dtype=np.float32)
    return vectors / np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-9)


def _e5(texts: list[str]) -> np.ndarray:
    from bot.nlu import embedder

    return embedder.queries(texts)


_shared: DangerSimilarity | None = None
_lock = threading.Lock()


def shared() -> DangerSimilarity:
    """The action server's one instance (built on first use: about a second to embed the sentences)."""
    global _shared
    with _lock:
        if _shared is None:
            _shared = DangerSimilarity.from_file()
        return _shared
