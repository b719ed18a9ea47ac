"""Shared by the search tests: a small deterministic embedding backend and paper builders.

``HashingEmbedder`` is a real backend of the embedding protocol (name, dim,
embed): each word, lowercased and with a plural "s" dropped, adds a fixed
pseudo-random +-1 pattern; the sum is L2-normalised. Texts sharing words
are therefore close, which is all the vector tests need.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Sequence
from datetime import date
from pathlib import Path

import numpy as np

from paperwire.ingest import import_paths
from paperwire.ingest.formats.export import write_export
from paperwire.model import Author, Paper
from paperwire.store import SQLiteStore

__all__ = [
    "FailingEmbedder",
    "HashingEmbedder",
    "exported_and_reimported",
    "make_paper",
    "write_listing",
]


class HashingEmbedder:
    name = "test-hashing"

    def __init__(self, dim: int = 64) -> None:
        self.dim = dim
        self.calls = 0
        self.texts_embedded = 0

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        self.calls += 1
        self.texts_embedded += len(texts)
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for row, text in enumerate(texts):
            for word in re.findall(r"\w+", text.lower()):
                out[row] += self._pattern(word[:-1] if word.endswith("s") else word)
            norm = np.linalg.norm(out[row])
            out[row] = out[row] / norm if norm else self._pattern("")
        return out

    def _pattern(self, word: str) -> np.ndarray:
        seed = int.from_bytes(hashlib.blake2b(word.encode(), digest_size=8).digest(), "little")
        signs = np.random.default_rng(seed).integers(0, 2, self.dim) * 2 - 1
        return signs.astype(np.float32) / np.sqrt(self.dim)


class FailingEmbedder(HashingEmbedder):
    """Raises on the n-th call to ``embed``: a rebuild interrupted half-way."""

    def __init__(self, fail_on_call: int, dim: int = 64) -> None:
        super().__init__(dim)
        self.fail_on_call = fail_on_call

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        if self.calls + 1 == self.fail_on_call:
            self.calls += 1
            raise KeyboardInterrupt("interrupted")
        return super().embed(texts)


def make_paper(
    paper_id: str,
    title: str,
    abstract: str = "",
    authors: Sequence[str] = (),
    categories: Sequence[str] = ("cs.LG",),
    published: date | None = date(2024, 5, 1),
    upvotes: int | None = None,
    organization: str | None = None,
    github: Sequence[str] = (),
) -> Paper:
    return Paper(
        id=paper_id,
        title=title,
        abstract=abstract,
        version=1,
        authors=[Author(name) for name in authors],
        categories=list(categories),
        primary_category=categories[0] if categories else None,
        published=published,
        upvotes=upvotes,
        organization=organization,
        github_repos=list(github),
    )


def write_listing(path: Path, paper_id: str, title: str, abstract: str, **fields: object) -> Path:
    """A one-record arXiv daily-listing JSONL file (``paperwire import`` reads it)."""
    record = {
        "id": paper_id,
        "title": title,
        "abstract": abstract,
        "authors": ["A B"],
        "categories": ["cs.LG"],
        "first_listed": "2024-01-09",
        **fields,
    }
    path.write_text(json.dumps(record) + "\n", encoding="utf-8")
    return path


def exported_and_reimported(store: SQLiteStore, folder: Path, paper_id: str) -> Paper | None:
    """``paper_id`` as it comes back after ``paperwire export`` and an import into a new store."""
    exported = folder / "export.jsonl"
    with exported.open("w", encoding="utf-8") as out:
        write_export(store.iter_papers(), out)
    copy = SQLiteStore(folder / "reimported.db")
    try:
        import_paths(copy, [exported])
        return copy.get_paper(paper_id)
    finally:
        copy.close()
