"""Papers, their change sequence and their embeddings, in the SQL both stores run.

Each paper is kept as its JSON record plus the few columns that feeds and
filters query (``deleted_on`` among them: the feed indexes hold only papers
that are not deleted). Every write that changes a paper gives it the next value of a
monotonic change sequence (``seq``), which search indexes follow: writers of
papers are serialised (``_papers_transaction``), so sequence values become
visible in the order they were handed out and a follower never skips one.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Iterable, Iterator
from contextlib import AbstractContextManager
from dataclasses import replace
from datetime import date
from typing import TYPE_CHECKING

from paperwire.model import RECORD_RULES, Paper
from paperwire.organizations import organization_group
from paperwire.store.authors import write_author_rows
from paperwire.store.base import DeletionCounts, StoredEmbedding, StoreStats, UpsertCounts
from paperwire.store.held_days import held_rows, write_held_rows
from paperwire.store.merge import apply_deletion, merge_papers, outranks, with_listing_days
from paperwire.store.sql import SqlBackend, SqlConnection, column_bytes, column_int, in_chunks

if TYPE_CHECKING:
    import numpy as np

__all__ = ["PapersMixin", "fetch_papers", "stored_ids"]

_EMBEDDING_COLUMNS = "paper_id, model, text_hash, seq, vector"
_PAPER_COLUMNS = (
    "id, seq, record, title, source, published, listed_on, upvotes, github_stars,"
    " organization, has_code, deleted_on, record_rules"
)
# A new paper gets today's record rules; a stored one keeps its own (only an import
# whose text wins changes them, ``_relabel``), so writes that only re-derive or mark
# a paper need not read them first.
_UPSERT_PAPER = (
    f"INSERT INTO papers ({_PAPER_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
    " ON CONFLICT (id) DO UPDATE SET "
    + ", ".join(
        f"{c} = excluded.{c}"
        for c in _PAPER_COLUMNS.replace(" ", "").split(",")[1:]
        if c != "record_rules"
    )
)
# One row per day a paper was listed, repeating the paper's sort keys. Its days only
# ever grow (the merge keeps their union), so a changed paper's rows are written
# (new days added, the keys of known ones brought up to date) and none removed.
_LISTING_COLUMNS = "day, paper_id, upvotes, published, github_stars"
_UPSERT_LISTING = (
    f"INSERT INTO listings ({_LISTING_COLUMNS}) VALUES (?, ?, ?, ?, ?)"
    " ON CONFLICT (day, paper_id) DO UPDATE SET upvotes = excluded.upvotes,"
    " published = excluded.published, github_stars = excluded.github_stars"
)


class PapersMixin(SqlBackend):
    schema_version: int

    # -- what a backend adapts -------------------------------------------------

    def _papers_transaction(self) -> AbstractContextManager[SqlConnection]:
        """A write transaction that no other writer of papers runs beside."""
        return self.transaction()

    def _vector_param(self, vector: np.ndarray) -> object:
        """A float32 vector as the backend stores it (little-endian bytes by default)."""
        return vector.astype("<f4").tobytes()

    def _vector_value(self, stored: object) -> np.ndarray:
        import numpy as np  # here, so that only reading vectors pays for numpy (`stats` never)

        return np.frombuffer(column_bytes(stored), dtype="<f4").astype(np.float32)

    def _engine_integrity(self) -> list[str]:
        """What the database engine itself finds wrong (nothing by default)."""
        return []

    def integrity_check(self) -> str:
        """ "ok", or what is wrong: the engine's own check, then paperwire's invariants."""
        problems = self._engine_integrity()
        reader = self._reader()
        wrong_tallies = reader.execute(
            "SELECT COUNT(*) FROM vote_counts c WHERE c.votes !="
            " (SELECT COUNT(*) FROM votes v WHERE v.paper_id = c.paper_id)"
        ).fetchone()[0]
        if wrong_tallies:
            problems.append(f"{wrong_tallies} papers' vote tallies differ from their votes")
        untallied = reader.execute(
            "SELECT COUNT(DISTINCT paper_id) FROM votes v WHERE NOT EXISTS"
            " (SELECT 1 FROM vote_counts c WHERE c.paper_id = v.paper_id)"
        ).fetchone()[0]
        if untallied:
            problems.append(f"{untallied} voted papers have no tally")
        problems += _listing_problems(reader)
        return "; ".join(problems) or "ok"

    def _after_copy(self, conn: SqlConnection) -> None:
        """Called inside the transaction that copied a whole store in (``store.transfer``)."""

    # -- papers --------------------------------------------------------------

    def get_paper(self, paper_id: str) -> Paper | None:
        return self.get_papers([paper_id]).get(paper_id)

    def get_papers(self, ids: Iterable[str]) -> dict[str, Paper]:
        return fetch_papers(self._reader(), list(dict.fromkeys(ids)))

    def upsert_papers(
        self, papers: Iterable[Paper], *, listed_in: Collection[str] | None = None
    ) -> UpsertCounts:
        incoming = list(papers)
        counts = UpsertCounts()
        if not incoming:
            return counts
        with self._papers_transaction() as conn:
            known = fetch_papers(conn, list({p.id for p in incoming}))
            changed: dict[str, Paper] = {}
            winners: set[str] = set()
            for paper in incoming:
                stored = known.get(paper.id)
                if stored is None:
                    merged = with_listing_days(paper)
                    counts.new += 1
                else:
                    merged = merge_papers(stored, paper)
                    if outranks(paper, stored):
                        winners.add(paper.id)  # its text comes from today's rules now
                    if merged == stored:
                        counts.unchanged += 1
                        continue
                    counts.updated += 1
                known[paper.id] = changed[paper.id] = merged
            _write(conn, changed.values())
            _relabel(conn, winners)
            # From every record, changed or not: each tells which source listed it when.
            write_held_rows(conn, (row for p in incoming for row in held_rows(p, listed_in)))
        return counts

    def replace_papers(self, papers: Iterable[Paper]) -> int:
        wanted = {paper.id: paper for paper in papers}
        if not wanted:
            return 0
        with self._papers_transaction() as conn:
            held = stored_ids(conn, list(wanted))
            stored = [paper for paper_id, paper in wanted.items() if paper_id in held]
            _write(conn, stored)
        return len(stored)

    def set_github_stars(self, paper_ids: Iterable[str], stars: int, day: date) -> list[str]:
        with self._papers_transaction() as conn:
            known = fetch_papers(conn, list(dict.fromkeys(paper_ids)))
            # An unchanged count is left alone: a new change seq would make every
            # search index re-read the paper for nothing.
            changed = [
                replace(paper, github_stars=stars, github_stars_on=day)
                for paper in known.values()
                if paper.github_stars != stars
            ]
            _write(conn, changed)
        return [paper.id for paper in changed]

    def papers_from_older_rules(self) -> int:
        row = (
            self._reader()
            .execute("SELECT COUNT(*) FROM papers WHERE record_rules < ?", (RECORD_RULES,))
            .fetchone()
        )
        return int(row[0])

    def mark_deleted(self, deletions: Iterable[tuple[str, date]]) -> DeletionCounts:
        wanted = list(deletions)
        counts = DeletionCounts()
        if not wanted:
            return counts
        with self._papers_transaction() as conn:
            known = fetch_papers(conn, list({paper_id for paper_id, _ in wanted}))
            changed: dict[str, Paper] = {}
            for paper_id, day in wanted:
                stored = known.get(paper_id)
                if stored is None:
                    counts.unknown += 1
                    continue
                marked = apply_deletion(stored, day)
                if marked == stored:
                    counts.unchanged += 1
                    continue
                counts.deleted += 1
                known[paper_id] = changed[paper_id] = marked
            _write(conn, changed.values())
        return counts

    def iter_papers(self, batch_size: int = 1000) -> Iterator[Paper]:
        after = ""
        while True:
            rows = (
                self._reader()
                .execute(
                    "SELECT id, record FROM papers WHERE id > ? ORDER BY id LIMIT ?",
                    (after, batch_size),
                )
                .fetchall()
            )
            if not rows:
                return
            for _, record in rows:
                yield _load(record)
            after = rows[-1][0]

    def changes_since(self, seq: int, limit: int = 1000) -> list[tuple[int, Paper]]:
        rows = self._reader().execute(
            "SELECT seq, record FROM papers WHERE seq > ? ORDER BY seq LIMIT ?", (seq, limit)
        )
        return [(int(row_seq), _load(record)) for row_seq, record in rows]

    def max_seq(self) -> int:
        return _max_seq(self._reader())

    # -- embeddings ----------------------------------------------------------

    def put_embeddings(self, embeddings: Iterable[StoredEmbedding]) -> int:
        rows = [self._embedding_row(e) for e in embeddings]
        if rows:
            with self.transaction() as conn:
                conn.executemany(
                    f"INSERT INTO embeddings ({_EMBEDDING_COLUMNS}) VALUES (?, ?, ?, ?, ?)"
                    " ON CONFLICT (paper_id) DO UPDATE SET model = excluded.model,"
                    " text_hash = excluded.text_hash, seq = excluded.seq,"
                    " vector = excluded.vector",
                    rows,
                )
        return len(rows)

    def get_embeddings(self, ids: Iterable[str], model: str) -> dict[str, StoredEmbedding]:
        found: dict[str, StoredEmbedding] = {}
        conn = self._reader()
        for chunk, marks in in_chunks(list(dict.fromkeys(ids))):
            for row in conn.execute(
                f"SELECT {_EMBEDDING_COLUMNS} FROM embeddings"
                f" WHERE model = ? AND paper_id IN ({marks})",
                [model, *chunk],
            ):
                found[row[0]] = self._embedding(row)
        return found

    def iter_embeddings(self, model: str, batch_size: int = 1000) -> Iterator[StoredEmbedding]:
        after = ""
        while True:
            rows = (
                self._reader()
                .execute(
                    f"SELECT {_EMBEDDING_COLUMNS} FROM embeddings"
                    " WHERE model = ? AND paper_id > ? ORDER BY paper_id LIMIT ?",
                    (model, after, batch_size),
                )
                .fetchall()
            )
            if not rows:
                return
            yield from (self._embedding(row) for row in rows)
            after = rows[-1][0]

    def embedding_progress(self, model: str) -> tuple[int, int]:
        conn = self._reader()
        done = conn.execute("SELECT COUNT(*) FROM embeddings WHERE model = ?", (model,)).fetchone()
        papers = conn.execute("SELECT COUNT(*) FROM papers").fetchone()
        return int(done[0]), int(papers[0])

    def papers_without_embedding(
        self, model: str, after_seq: int = 0, limit: int = 256
    ) -> list[tuple[int, Paper]]:
        rows = self._reader().execute(
            "SELECT p.seq, p.record FROM papers p"
            " LEFT JOIN embeddings e ON e.paper_id = p.id AND e.model = ?"
            " WHERE e.paper_id IS NULL AND p.seq > ? ORDER BY p.seq LIMIT ?",
            (model, after_seq, limit),
        )
        return [(int(seq), _load(record)) for seq, record in rows]

    def _embedding_row(self, embedding: StoredEmbedding) -> tuple[object, ...]:
        import numpy as np  # here, so that only writing vectors pays for numpy

        vector = np.ascontiguousarray(embedding.vector, dtype=np.float32)
        if vector.ndim != 1 or not vector.size:
            raise ValueError(f"embedding of {embedding.paper_id!r} is not a non-empty 1-d vector")
        return (
            embedding.paper_id,
            embedding.model,
            embedding.text_hash,
            embedding.seq,
            self._vector_param(vector),
        )

    def _embedding(self, row: tuple[object, ...]) -> StoredEmbedding:
        paper_id, model, text_hash, seq, stored = row
        vector = self._vector_value(stored)
        return StoredEmbedding(str(paper_id), str(model), str(text_hash), column_int(seq), vector)

    # -- figures ---------------------------------------------------------------

    def stats(self) -> StoreStats:
        conn = self._reader()
        row = conn.execute(
            "SELECT COUNT(*), SUM(CASE WHEN id LIKE '%:%' THEN 0 ELSE 1 END), COUNT(upvotes),"
            " SUM(has_code), MIN(listed_on), MAX(listed_on)"
            " FROM papers"
        ).fetchone()
        by_source = {
            str(source): int(n)
            for source, n in conn.execute("SELECT source, COUNT(*) FROM papers GROUP BY source")
        }
        return StoreStats(
            papers=int(row[0]),
            arxiv_papers=int(row[1] or 0),
            with_upvotes=int(row[2] or 0),
            with_code=int(row[3] or 0),
            organizations=_organization_count(conn),
            first_listed=row[4],
            last_listed=row[5],
            change_seq=_max_seq(conn),
            schema_version=self.schema_version,
            by_source=by_source,
        )


def fetch_papers(conn: SqlConnection, ids: list[str]) -> dict[str, Paper]:
    """The stored papers among ``ids``, read on ``conn``, by id."""
    found: dict[str, Paper] = {}
    for chunk, marks in in_chunks(ids):
        for paper_id, record in conn.execute(
            f"SELECT id, record FROM papers WHERE id IN ({marks})", chunk
        ):
            found[paper_id] = _load(record)
    return found


def _organization_count(conn: SqlConnection) -> int:
    """Organisations, each counted once whatever its spellings (``organization_group``)."""
    rows = conn.execute(
        "SELECT DISTINCT organization FROM papers WHERE organization IS NOT NULL"
    ).fetchall()
    return len({organization_group(str(name)) for (name,) in rows})


def _load(record: str) -> Paper:
    # Records stored before listed_days existed have only listed_on: read with their
    # days in step, so every reader sees them as a merge would have made them.
    return with_listing_days(Paper.from_dict(json.loads(record)))


def _write(conn: SqlConnection, papers: Iterable[Paper]) -> None:
    """Write ``papers`` (inside a papers transaction), each with the next change seq, and
    their listing rows; a new paper gets today's record rules. A deleted paper
    is in no listing: its rows are removed, and come back with the paper if a newer
    version undoes the deletion."""
    papers = list(papers)
    seq = _max_seq(conn)
    rows = [_row(paper, seq + i) for i, paper in enumerate(papers, start=1)]
    if rows:
        conn.executemany(_UPSERT_PAPER, rows)
    listed = [row for paper in papers if not paper.deleted for row in _listing_rows(paper)]
    if listed:
        conn.executemany(_UPSERT_LISTING, listed)
    unlisted = [
        (day.isoformat(), paper.id)
        for paper in papers
        if paper.deleted
        for day in paper.listing_days()
    ]
    if unlisted:
        conn.executemany("DELETE FROM listings WHERE day = ? AND paper_id = ?", unlisted)
    write_author_rows(conn, papers)


def _max_seq(conn: SqlConnection) -> int:
    return int(conn.execute("SELECT COALESCE(MAX(seq), 0) FROM papers").fetchone()[0])


def stored_ids(conn: SqlConnection, ids: list[str]) -> set[str]:
    """Which of ``ids`` the store holds."""
    found: set[str] = set()
    for chunk, marks in in_chunks(ids):
        rows = conn.execute(f"SELECT id FROM papers WHERE id IN ({marks})", chunk)
        found.update(str(paper_id) for (paper_id,) in rows)
    return found


def _relabel(conn: SqlConnection, ids: set[str]) -> None:
    # Only the label (no new change seq: the record may be unchanged), and only where
    # it differs, so a re-import of today's records writes nothing.
    if ids:
        conn.executemany(
            "UPDATE papers SET record_rules = ? WHERE id = ? AND record_rules <> ?",
            [(RECORD_RULES, paper_id, RECORD_RULES) for paper_id in ids],
        )


def _row(paper: Paper, seq: int) -> tuple[object, ...]:
    return (
        paper.id,
        seq,
        json.dumps(paper.to_dict(), ensure_ascii=False, separators=(",", ":")),
        _text(paper.title),
        paper.source,
        paper.published.isoformat() if paper.published else None,
        paper.listed_on.isoformat() if paper.listed_on else None,
        paper.upvotes,
        paper.github_stars,
        _text(paper.organization) if paper.organization else None,
        int(paper.has_code),
        paper.deleted_on.isoformat() if paper.deleted_on else None,
        RECORD_RULES,  # written for a new paper only (see _UPSERT_PAPER)
    )


def _listing_problems(reader: SqlConnection) -> list[str]:
    """Where the listings table and the papers it lists disagree (the feeds would
    leave a paper out of its first day, or order it by stale counts)."""
    problems = []
    unlisted = reader.execute(
        "SELECT COUNT(*) FROM papers p WHERE p.listed_on IS NOT NULL"
        " AND p.deleted_on IS NULL AND NOT EXISTS"
        " (SELECT 1 FROM listings l WHERE l.day = p.listed_on AND l.paper_id = p.id)"
    ).fetchone()[0]
    if unlisted:
        problems.append(f"{unlisted} papers are missing from the listing of their first day")
    stale = reader.execute(
        "SELECT COUNT(DISTINCT l.paper_id) FROM listings l"
        " LEFT JOIN papers p ON p.id = l.paper_id WHERE p.id IS NULL"
        " OR COALESCE(l.upvotes, -1) <> COALESCE(p.upvotes, -1)"
        " OR COALESCE(l.github_stars, -1) <> COALESCE(p.github_stars, -1)"
        " OR COALESCE(l.published, '') <> COALESCE(p.published, '')"
    ).fetchone()[0]
    if stale:
        problems.append(f"{stale} papers' listings differ from the papers")
    return problems


def _listing_rows(paper: Paper) -> list[tuple[object, ...]]:
    published = paper.published.isoformat() if paper.published else None
    return [
        (day.isoformat(), paper.id, paper.upvotes, published, paper.github_stars)
        for day in paper.listed_days
    ]


def _text(value: str) -> str:
    # PostgreSQL text cannot hold NUL; the JSON record keeps the exact value.
    return value.replace("\x00", "")
