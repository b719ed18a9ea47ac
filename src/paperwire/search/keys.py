"""Stable integer keys for papers, shared by the lexical and the vector index.

Both indexes label a paper with the same 63-bit hash of its id, so a filter
evaluated by the lexical index can restrict a vector search without any
mapping table that could drift out of step between the two.
"""

from __future__ import annotations

import hashlib

import numpy as np

__all__ = ["paper_key", "paper_keys"]

_KEY_MASK = (1 << 63) - 1  # fits both tantivy's u64 fast fields and hnswlib labels


def paper_key(paper_id: str) -> int:
    digest = hashlib.blake2b(paper_id.encode("utf-8"), digest_size=8).digest()
    return int.from_bytes(digest, "little") & _KEY_MASK


def paper_keys(paper_ids: list[str]) -> np.ndarray:
    return np.fromiter((paper_key(i) for i in paper_ids), dtype=np.uint64, count=len(paper_ids))
