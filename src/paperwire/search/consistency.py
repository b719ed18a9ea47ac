"""Whether the search indexes agree with the store they were built from.

The store is the source of truth and the indexes are derived from it by
following its change sequence, so after a crash, a restore or a bug the two
can drift. ``check_consistency`` compares them: every paper indexed once
(but deleted ones, which search leaves out), no document for a paper the
store lacks or holds deleted, the change seq the index reached
equal to the store's, and a vector for every paper when the index has
embeddings. It also runs the store's own integrity check. Each problem
comes with the command that repairs it.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from paperwire.search.keys import paper_key
from paperwire.search.layout import INDEX_FORMAT, IndexLayout
from paperwire.search.live import LiveIndex
from paperwire.store.base import PaperStore

__all__ = ["ConsistencyReport", "Problem", "check_consistency", "store_integrity"]

_SHOWN_IDS = 5  # ids quoted in a problem's message
_VECTOR_CHUNK = 5000  # ids looked up in the vector index at a time (bounded memory)
_CATCH_UP = "run `paperwire reindex --catch-up`"
_REBUILD = "run `paperwire reindex` to rebuild the indexes from the store"


@dataclass(frozen=True, slots=True)
class Problem:
    what: str
    advice: str

    def __str__(self) -> str:
        return f"{self.what}: {self.advice}"


@dataclass(slots=True)
class ConsistencyReport:
    papers: int = 0
    store_seq: int = 0
    store_integrity: str = "not checked"
    index: str | None = None  # the live generation's name; None: no index yet
    indexed_seq: int | None = None
    model: str | None = None
    lexical_docs: int = 0
    vectors: int | None = None
    problems: list[Problem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def figures(self) -> dict[str, object]:
        return {
            "ok": self.ok,
            "papers": self.papers,
            "store_seq": self.store_seq,
            "store_integrity": self.store_integrity,
            "index": self.index,
            "indexed_seq": self.indexed_seq,
            "model": self.model,
            "lexical_docs": self.lexical_docs,
            "vectors": self.vectors,
            "problems": [str(p) for p in self.problems],
            "notes": self.notes,
        }


def store_integrity(store: PaperStore) -> str:
    """The store's own integrity verdict: "ok" or a complaint."""
    return store.integrity_check()


def check_consistency(store: PaperStore, index_dir: Path) -> ConsistencyReport:
    report = ConsistencyReport(store_seq=store.max_seq())
    report.store_integrity = store_integrity(store)
    if report.store_integrity != "ok":
        report.problems.append(
            Problem(
                f"the store fails its integrity check ({report.store_integrity})",
                "restore the last backup with `paperwire restore BACKUP --force`",
            )
        )
    store_keys = {
        paper_key(paper.id): paper.id for paper in store.iter_papers() if not paper.deleted
    }
    report.papers = len(store_keys)
    layout = IndexLayout(index_dir)
    generation = layout.live()
    _note_stale_generations(layout, report)
    if generation is None:
        report.notes.append("no search index yet (`paperwire reindex` builds one)")
        return report
    report.index = generation.name
    live = LiveIndex.open(generation)
    report.indexed_seq, report.model = live.state.seq, live.state.model
    if live.state.format != INDEX_FORMAT:
        report.problems.append(Problem("the index was built by another paperwire", _REBUILD))
        return report
    _compare_seq(report)
    _compare_lexical(live, store_keys, report)
    if live.vectors is not None:
        _compare_vectors(live, store_keys, report)
    return report


def _compare_seq(report: ConsistencyReport) -> None:
    indexed = report.indexed_seq or 0
    if indexed < report.store_seq:
        report.problems.append(
            Problem(f"{report.store_seq - indexed} store changes are not indexed yet", _CATCH_UP)
        )
    elif indexed > report.store_seq:
        report.problems.append(
            Problem(
                f"the index reached change {indexed}, beyond the store's {report.store_seq} "
                "(was the store restored from a backup?)",
                _REBUILD,
            )
        )


def _compare_lexical(
    live: LiveIndex, store_keys: dict[int, str], report: ConsistencyReport
) -> None:
    counted = Counter(int(key) for key in live.lexical.all_keys())
    report.lexical_docs = sum(counted.values())
    missing = [paper_id for key, paper_id in store_keys.items() if key not in counted]
    extra = [key for key in counted if key not in store_keys]
    doubled = [store_keys.get(key, str(key)) for key, n in counted.items() if n > 1]
    if missing:
        report.problems.append(
            Problem(
                f"{len(missing)} papers are not in the keyword index{_some(missing)}", _CATCH_UP
            )
        )
    if extra:
        report.problems.append(
            Problem(f"the keyword index has {len(extra)} documents the store lacks", _REBUILD)
        )
    if doubled:
        report.problems.append(
            Problem(f"{len(doubled)} papers are indexed more than once{_some(doubled)}", _REBUILD)
        )


def _compare_vectors(
    live: LiveIndex, store_keys: dict[int, str], report: ConsistencyReport
) -> None:
    vectors = live.vectors
    assert vectors is not None
    report.vectors = len(vectors)
    ids = list(store_keys.values())
    present = 0
    missing: list[str] = []
    for start in range(0, len(ids), _VECTOR_CHUNK):
        chunk = ids[start : start + _VECTOR_CHUNK]
        found = set(vectors.vectors_of(chunk)[0])
        present += len(found)
        missing.extend(paper_id for paper_id in chunk if paper_id not in found)
    if missing:
        report.problems.append(
            Problem(f"{len(missing)} papers have no vector{_some(missing)}", _CATCH_UP)
        )
    if len(vectors) > present:
        report.problems.append(
            Problem(
                f"the vector index has {len(vectors) - present} vectors the store lacks", _REBUILD
            )
        )


def _note_stale_generations(layout: IndexLayout, report: ConsistencyReport) -> None:
    live = layout.live()
    stale = [
        path.name
        for path in sorted(layout.root.glob("gen-*"))
        if path.is_dir() and (live is None or path != live.path)
    ]
    if stale:
        report.notes.append(
            f"{len(stale)} unfinished index builds left on disk ({', '.join(stale[:3])}); "
            "the next `paperwire reindex` removes them"
        )


def _some(ids: list[str]) -> str:
    shown = ", ".join(ids[:_SHOWN_IDS])
    return f" (e.g. {shown})" if shown else ""
