"""The approximate vector index: an HNSW graph (hnswlib) labelled by paper key.

Beside the graph, a float16 copy of every vector (half the graph's memory)
answers exact scoring: the cosine of a hundred lexical candidates for fusion,
and searches restricted to a small allowed set. Copying vectors out of the
graph costs 30 us each; a row of the copy costs nothing, and float16 keeps
cosines to about 1e-3, plenty for fusing scores.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from contextlib import suppress
from pathlib import Path

import hnswlib
import numpy as np

from paperwire.search.keys import paper_key
from paperwire.search.vectorbase import checked_vectors, top_k, write_meta

__all__ = ["HnswVectors"]

# Graph settings: M=16 and ef_construction=200. The search breadth trades
# recall@10 against exact search for time per query. Measured on MiniLM
# vectors of 80k arXiv papers and of a 1M store grown from them (`paperwire
# bench scale-up`): ef 128 gave 0.949 and 0.859; ef 512 gives 0.988 and 0.955,
# for about 2 ms and 4 ms per query.
_M = 16
_EF_CONSTRUCTION = 200
_EF_SEARCH = 512
_SEED = 7
_EXACT_SUBSET = 20_000  # an allowed set up to this size is scored exactly
_GRAPH = "hnsw.bin"
_IDS = "ids.txt"
_ROWS = "rows.npy"


class HnswVectors:
    kind = "hnsw"

    def __init__(self, dim: int, capacity: int = 1024, graph: hnswlib.Index | None = None) -> None:
        self.dim = dim
        if graph is None:
            graph = hnswlib.Index(space="ip", dim=dim)
            graph.init_index(
                max_elements=max(capacity, 16),
                ef_construction=_EF_CONSTRUCTION,
                M=_M,
                random_seed=_SEED,
            )
        graph.set_ef(_EF_SEARCH)
        self._graph = graph
        self._ids: list[str] = []  # row -> paper id
        self._rows: dict[str, int] = {}  # paper id -> row
        self._by_key: dict[int, int] = {}  # graph label (paper key) -> row
        self._copy = np.zeros((0, dim), dtype=np.float16)

    def __len__(self) -> int:
        return len(self._ids)

    def upsert(self, ids: list[str], vectors: np.ndarray) -> None:
        vectors = checked_vectors(vectors, self.dim, len(ids))
        fresh = [i for i in dict.fromkeys(ids) if i not in self._rows]
        for paper_id in fresh:
            self._add_row(paper_id)
        self._copy[[self._rows[i] for i in ids]] = vectors
        # The graph also counts the labels ``remove`` marked deleted.
        needed = self._graph.get_current_count() + len(fresh)
        if needed > self._graph.get_max_elements():
            self._graph.resize_index(max(needed, 2 * self._graph.get_max_elements()))
        # A label already in the graph has its vector replaced in place (and a label
        # marked deleted is live again).
        labels = np.asarray([paper_key(i) for i in ids], dtype=np.uint64)
        self._graph.add_items(vectors, labels)

    def remove(self, ids: list[str]) -> None:
        """Mark ``ids`` deleted in the graph (searches skip them; hnswlib keeps the mark
        when saved) and drop their rows."""
        for paper_id in dict.fromkeys(ids):
            key = paper_key(paper_id)
            with suppress(RuntimeError):  # not in the graph, or marked already
                self._graph.mark_deleted(key)
            row = self._rows.pop(paper_id, None)
            if row is None:
                continue
            del self._by_key[key]
            last = len(self._ids) - 1
            if row != last:  # the last row fills the hole: rows stay dense
                moved = self._ids[last]
                self._ids[row] = moved
                self._copy[row] = self._copy[last]
                self._rows[moved] = row
                self._by_key[paper_key(moved)] = row
            self._ids.pop()

    def search(
        self, query: np.ndarray, k: int, allowed: np.ndarray | None = None
    ) -> list[tuple[str, float]]:
        k = min(k, len(self._ids))
        if k <= 0:
            return []
        if allowed is not None:
            rows = [r for key in allowed.tolist() if (r := self._by_key.get(key)) is not None]
            if len(rows) <= _EXACT_SUBSET:
                return self._exact(query, rows, k)
            return self._filtered(query, {self._key_of(r) for r in rows}, k)
        self._graph.set_ef(max(_EF_SEARCH, k))
        labels, distances = self._graph.knn_query(query, k=k)
        return self._hits(labels[0], distances[0])

    def scores(self, query: np.ndarray, ids: list[str]) -> dict[str, float]:
        present, vectors = self.vectors_of(ids)
        return dict(zip(present, (vectors @ query).tolist(), strict=True))

    def vectors_of(self, ids: list[str]) -> tuple[list[str], np.ndarray]:
        present = [i for i in ids if i in self._rows]
        rows = [self._rows[i] for i in present]
        return present, self._copy[rows].astype(np.float32)

    def save(self, folder: Path) -> None:
        # Ids and rows go first: ids the graph lacks are harmless, the reverse is not.
        folder.mkdir(parents=True, exist_ok=True)
        _replace(folder / _IDS, lambda p: p.write_text("".join(i + "\n" for i in self._ids)))
        _replace(folder / _ROWS, lambda p: _save_array(p, self._copy[: len(self._ids)]))
        _replace(folder / _GRAPH, lambda p: self._graph.save_index(str(p)))
        write_meta(folder, self.kind, self.dim)

    @classmethod
    def load(cls, folder: Path, dim: int) -> HnswVectors:
        ids = (folder / _IDS).read_text(encoding="utf-8").splitlines()
        graph = hnswlib.Index(space="ip", dim=dim)
        graph.load_index(str(folder / _GRAPH), max_elements=max(len(ids), 16))
        loaded = cls(dim, graph=graph)
        keys = [paper_key(paper_id) for paper_id in ids]
        in_graph = set(graph.get_ids_list())
        kept = [row for row, key in enumerate(keys) if key in in_graph]
        copy = np.load(folder / _ROWS)
        # Taken as loaded, not row by row: at a million papers a grown copy would
        # hold the array twice over while it doubles.
        loaded._copy = copy if len(kept) == len(ids) else copy[kept]
        loaded._ids = [ids[row] for row in kept]
        loaded._rows = {paper_id: row for row, paper_id in enumerate(loaded._ids)}
        loaded._by_key = {keys[old]: row for row, old in enumerate(kept)}
        return loaded

    def _add_row(self, paper_id: str) -> None:
        row = len(self._ids)
        if row >= self._copy.shape[0]:
            bigger = np.zeros((max(1024, 2 * self._copy.shape[0]), self.dim), dtype=np.float16)
            bigger[:row] = self._copy[:row]
            self._copy = bigger
        self._ids.append(paper_id)
        self._rows[paper_id] = row
        self._by_key[paper_key(paper_id)] = row

    def _key_of(self, row: int) -> int:
        return paper_key(self._ids[row])

    def _exact(self, query: np.ndarray, rows: list[int], k: int) -> list[tuple[str, float]]:
        if not rows:
            return []
        scores = self._copy[rows].astype(np.float32) @ query
        return [(self._ids[rows[i]], float(scores[i])) for i in top_k(scores, k)]

    def _filtered(self, query: np.ndarray, allowed: set[int], k: int) -> list[tuple[str, float]]:
        self._graph.set_ef(max(_EF_SEARCH, 2 * k))
        try:
            labels, distances = self._graph.knn_query(
                query, k=k, filter=lambda label: label in allowed
            )
        except RuntimeError:  # fewer reachable than k: score the allowed set exactly
            return self._exact(query, [self._by_key[key] for key in allowed], k)
        return self._hits(labels[0], distances[0])

    def _hits(self, labels: np.ndarray, distances: np.ndarray) -> list[tuple[str, float]]:
        # hnswlib's "ip" distance is 1 - inner product.
        return [
            (self._ids[row], 1.0 - float(distance))
            for label, distance in zip(labels.tolist(), distances.tolist(), strict=True)
            if (row := self._by_key.get(label)) is not None
        ]


def _replace(target: Path, write: Callable[[Path], object]) -> None:
    """Write through ``write(partial_path)`` then rename over ``target``."""
    partial = target.with_name(target.name + ".partial")
    write(partial)
    os.replace(partial, target)


def _save_array(path: Path, array: np.ndarray) -> None:
    with path.open("wb") as out:  # a file object: np.save adds no suffix
        np.save(out, array)
