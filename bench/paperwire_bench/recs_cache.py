"""An embedding cache for evaluations: vectors by paper id, kept in one .npz file per model.

Embedding a month of papers on a laptop takes minutes; the evaluation keeps
what it embedded under the data folder and reuses it while a paper's text is
unchanged (a hash of the text is kept beside each vector). The file is
written to a temporary name and renamed, so a killed run never leaves half a
cache.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

from paperwire.model import Paper
from paperwire.search.embedding import EmbeddingBackend, paper_text

__all__ = ["EMBED_BATCH", "cached_embeddings"]

EMBED_BATCH = 64  # texts embedded between progress reports and cache saves
Progress = Callable[[int, int], None]  # (embedded so far, to embed)


def cached_embeddings(
    papers: Sequence[Paper],
    backend: EmbeddingBackend,
    folder: Path,
    progress: Progress | None = None,
) -> np.ndarray:
    """One L2-normalised row per paper, in order; only papers not cached are embedded."""
    path = folder / f"{backend.name}.npz"
    cached = _load(path)
    texts = {p.id: paper_text(p) for p in papers}
    hashes = {i: _hash(t) for i, t in texts.items()}
    missing = [i for i in texts if cached.get(i, (None, ""))[1] != hashes[i]]
    for start in range(0, len(missing), EMBED_BATCH):
        chunk = missing[start : start + EMBED_BATCH]
        vectors = np.asarray(backend.embed([texts[i] for i in chunk]), dtype=np.float32)
        for paper_id, vector in zip(chunk, vectors, strict=True):
            cached[paper_id] = (vector, hashes[paper_id])
        if progress is not None:
            progress(start + len(chunk), len(missing))
        if (start // EMBED_BATCH) % 10 == 9:  # save now and then: a killed run keeps most
            _save(path, cached)
    if missing:
        _save(path, cached)
    if not papers:
        return np.zeros((0, backend.dim), dtype=np.float32)
    return np.stack([cached[p.id][0] for p in papers])


def _hash(text: str) -> str:
    return hashlib.blake2b(text.encode("utf-8"), digest_size=12).hexdigest()


def _load(path: Path) -> dict[str, tuple[np.ndarray, str]]:
    if not path.is_file():
        return {}
    try:
        with np.load(path, allow_pickle=False) as data:
            ids, hashes, vectors = data["ids"], data["hashes"], data["vectors"]
    except (OSError, ValueError, KeyError):
        return {}  # a damaged cache is rebuilt, never trusted
    return {str(i): (v, str(h)) for i, h, v in zip(ids, hashes, vectors, strict=True)}


def _save(path: Path, cached: dict[str, tuple[np.ndarray, str]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    ids = sorted(cached)
    partial = path.with_name(path.name + f".{os.getpid()}.partial.npz")
    np.savez(
        partial,
        ids=np.array(ids),
        hashes=np.array([cached[i][1] for i in ids]),
        vectors=np.stack([cached[i][0] for i in ids]).astype(np.float32),
    )
    os.replace(partial, path)
