"""The embedded store: SQLite in WAL mode, one writer, readers per thread.

Each paper is kept as its JSON record plus the few columns that feeds and
filters query. Every write that changes a paper gives it the next value of a
monotonic change sequence (``seq``), which search indexes follow.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

import numpy as np

from paperwire.model import Paper
from paperwire.store.base import StoredEmbedding, StoreStats, UpsertCounts
from paperwire.store.merge import merge_papers
from paperwire.store.migrations import migrate
from paperwire.store.sqlite_accounts import AccountsMixin
from paperwire.store.sqlite_feeds import FeedQueriesMixin
from paperwire.store.sqlite_mail import MailMixin
from paperwire.store.sqlite_personal import PersonalMixin
from paperwire.store.sqlite_sync import SyncStateMixin

__all__ = ["SQLiteStore"]

_BUSY_TIMEOUT_MS = 30_000
_MAX_PARAMS = 500  # ids per IN (...) query, well under SQLite's variable limit


class SQLiteStore(SyncStateMixin, FeedQueriesMixin, AccountsMixin, PersonalMixin, MailMixin):
    """A ``PaperStore`` on one SQLite file."""

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._write_lock = threading.Lock()
        self._local = threading.local()
        self._all_connections: list[sqlite3.Connection] = []
        self._writer = self._connect()
        self.schema_version = migrate(self._writer)

    # -- connections ---------------------------------------------------------

    def _connect(self) -> sqlite3.Connection:
        conn = sqlite3.connect(
            self.path,
            isolation_level=None,
            check_same_thread=False,
            timeout=_BUSY_TIMEOUT_MS / 1000,
        )
        conn.execute(f"PRAGMA busy_timeout = {_BUSY_TIMEOUT_MS}")
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = NORMAL")
        conn.execute("PRAGMA foreign_keys = ON")
        self._all_connections.append(conn)
        return conn

    def _reader(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = self._connect()
            self._local.conn = conn
        return conn

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """The single writer, inside BEGIN IMMEDIATE ... COMMIT (ROLLBACK on error)."""
        with self._write_lock:
            conn = self._writer
            conn.execute("BEGIN IMMEDIATE")
            try:
                yield conn
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")

    def close(self) -> None:
        for conn in self._all_connections:
            conn.close()
        self._all_connections.clear()

    # -- papers --------------------------------------------------------------

    def get_paper(self, paper_id: str) -> Paper | None:
        return self.get_papers([paper_id]).get(paper_id)

    def get_papers(self, ids: Iterable[str]) -> dict[str, Paper]:
        return _fetch(self._reader(), list(dict.fromkeys(ids)))

    def upsert_papers(self, papers: Iterable[Paper]) -> UpsertCounts:
        incoming = list(papers)
        counts = UpsertCounts()
        if not incoming:
            return counts
        with self.transaction() as conn:
            known = _fetch(conn, list({p.id for p in incoming}))
            changed: dict[str, Paper] = {}
            for paper in incoming:
                stored = known.get(paper.id)
                merged = paper if stored is None else merge_papers(stored, paper)
                if stored is None:
                    counts.new += 1
                elif merged == stored:
                    counts.unchanged += 1
                    continue
                else:
                    counts.updated += 1
                known[paper.id] = changed[paper.id] = merged
            seq = _max_seq(conn)
            conn.executemany(
                "INSERT OR REPLACE INTO papers (id, seq, record, title, source, published,"
                " listed_on, upvotes, github_stars, organization, has_code)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [_row(paper, seq + i) for i, paper in enumerate(changed.values(), start=1)],
            )
        return counts

    def iter_papers(self, batch_size: int = 1000) -> Iterator[Paper]:
        conn = self._reader()
        after = ""
        while True:
            rows = conn.execute(
                "SELECT id, record FROM papers WHERE id > ? ORDER BY id LIMIT ?",
                (after, batch_size),
            ).fetchall()
            if not rows:
                return
            for _, record in rows:
                yield Paper.from_dict(json.loads(record))
            after = rows[-1][0]

    def changes_since(self, seq: int, limit: int = 1000) -> list[tuple[int, Paper]]:
        rows = self._reader().execute(
            "SELECT seq, record FROM papers WHERE seq > ? ORDER BY seq LIMIT ?", (seq, limit)
        )
        return [(row_seq, Paper.from_dict(json.loads(record))) for row_seq, record in rows]

    def max_seq(self) -> int:
        return _max_seq(self._reader())

    # -- embeddings ----------------------------------------------------------

    def put_embeddings(self, embeddings: Iterable[StoredEmbedding]) -> int:
        rows = [_embedding_row(e) for e in embeddings]
        if rows:
            with self.transaction() as conn:
                conn.executemany(
                    "INSERT OR REPLACE INTO embeddings (paper_id, model, text_hash, seq, vector)"
                    " VALUES (?, ?, ?, ?, ?)",
                    rows,
                )
        return len(rows)

    def get_embeddings(self, ids: Iterable[str], model: str) -> dict[str, StoredEmbedding]:
        wanted = list(dict.fromkeys(ids))
        found: dict[str, StoredEmbedding] = {}
        conn = self._reader()
        for start in range(0, len(wanted), _MAX_PARAMS):
            chunk = wanted[start : start + _MAX_PARAMS]
            marks = ",".join("?" * len(chunk))
            for row in conn.execute(
                f"SELECT {_EMBEDDING_COLUMNS} FROM embeddings"
                f" WHERE model = ? AND paper_id IN ({marks})",
                [model, *chunk],
            ):
                found[row[0]] = _embedding(row)
        return found

    def iter_embeddings(self, model: str, batch_size: int = 1000) -> Iterator[StoredEmbedding]:
        conn = self._reader()
        after = ""
        while True:
            rows = conn.execute(
                f"SELECT {_EMBEDDING_COLUMNS} FROM embeddings"
                " WHERE model = ? AND paper_id > ? ORDER BY paper_id LIMIT ?",
                (model, after, batch_size),
            ).fetchall()
            if not rows:
                return
            yield from (_embedding(row) for row in rows)
            after = rows[-1][0]

    def stats(self) -> StoreStats:
        conn = self._reader()
        row = conn.execute(
            "SELECT COUNT(*), SUM(instr(id, ':') = 0), SUM(upvotes IS NOT NULL), SUM(has_code),"
            " COUNT(DISTINCT organization), MIN(listed_on), MAX(listed_on) FROM papers"
        ).fetchone()
        by_source = dict(conn.execute("SELECT source, COUNT(*) FROM papers GROUP BY source"))
        return StoreStats(
            papers=row[0],
            arxiv_papers=row[1] or 0,
            with_upvotes=row[2] or 0,
            with_code=row[3] or 0,
            organizations=row[4],
            first_listed=row[5],
            last_listed=row[6],
            change_seq=_max_seq(conn),
            schema_version=self.schema_version,
            by_source=by_source,
        )


def _fetch(conn: sqlite3.Connection, ids: list[str]) -> dict[str, Paper]:
    found: dict[str, Paper] = {}
    for start in range(0, len(ids), _MAX_PARAMS):
        chunk = ids[start : start + _MAX_PARAMS]
        marks = ",".join("?" * len(chunk))
        for paper_id, record in conn.execute(
            f"SELECT id, record FROM papers WHERE id IN ({marks})", chunk
        ):
            found[paper_id] = Paper.from_dict(json.loads(record))
    return found


_EMBEDDING_COLUMNS = "paper_id, model, text_hash, seq, vector"


def _embedding_row(embedding: StoredEmbedding) -> tuple[object, ...]:
    vector = np.ascontiguousarray(embedding.vector, dtype="<f4")
    if vector.ndim != 1 or not vector.size:
        raise ValueError(f"embedding of {embedding.paper_id!r} is not a non-empty 1-d vector")
    return (
        embedding.paper_id,
        embedding.model,
        embedding.text_hash,
        embedding.seq,
        vector.tobytes(),
    )


def _embedding(row: tuple[object, ...]) -> StoredEmbedding:
    paper_id, model, text_hash, seq, blob = row
    vector = np.frombuffer(blob, dtype="<f4").astype(np.float32)  # type: ignore[arg-type]
    return StoredEmbedding(str(paper_id), str(model), str(text_hash), int(seq), vector)  # type: ignore[arg-type]


def _max_seq(conn: sqlite3.Connection) -> int:
    return int(conn.execute("SELECT COALESCE(MAX(seq), 0) FROM papers").fetchone()[0])


def _row(paper: Paper, seq: int) -> tuple[object, ...]:
    return (
        paper.id,
        seq,
        json.dumps(paper.to_dict(), ensure_ascii=False, separators=(",", ":")),
        paper.title,
        paper.source,
        paper.published.isoformat() if paper.published else None,
        paper.listed_on.isoformat() if paper.listed_on else None,
        paper.upvotes,
        paper.github_stars,
        paper.organization,
        int(paper.has_code),
    )
