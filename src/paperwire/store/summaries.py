"""Each paper's one-line summary, in the SQL both stores run (``summary_records``)."""

from __future__ import annotations

from collections.abc import Iterable

from paperwire.model import Paper
from paperwire.store.papers import _load
from paperwire.store.sql import SqlBackend, SqlConnection, in_chunks
from paperwire.store.summary_records import StoredSummary

__all__ = ["SummariesMixin"]

_VERSION_KEY = "understanding_version"


class SummariesMixin(SqlBackend):
    def put_summaries(self, summaries: Iterable[StoredSummary]) -> int:
        rows = [(s.paper_id, s.summary.replace("\x00", ""), s.rules, s.seq) for s in summaries]
        if not rows:
            return 0
        with self.transaction() as conn:
            held = _held(conn, [row[0] for row in rows])
            rows = [row for row in rows if row[0] in held]
            if rows:
                conn.executemany(
                    "INSERT INTO paper_summaries (paper_id, summary, rules, seq)"
                    " VALUES (?, ?, ?, ?) ON CONFLICT (paper_id) DO UPDATE SET"
                    " summary = excluded.summary, rules = excluded.rules, seq = excluded.seq",
                    rows,
                )
                conn.execute(
                    "INSERT INTO meta (key, value) VALUES (?, '1') ON CONFLICT (key) DO UPDATE"
                    " SET value = CAST(CAST(meta.value AS INTEGER) + 1 AS TEXT)",
                    (_VERSION_KEY,),
                )
        return len(rows)

    def get_summaries(self, ids: Iterable[str]) -> dict[str, str]:
        found: dict[str, str] = {}
        conn = self._reader()
        for chunk, marks in in_chunks(list(dict.fromkeys(ids))):
            rows = conn.execute(
                f"SELECT paper_id, summary FROM paper_summaries WHERE paper_id IN ({marks})"
                " AND summary <> ''",
                chunk,
            )
            found.update((str(paper_id), str(summary)) for paper_id, summary in rows)
        return found

    def papers_needing_summary(
        self, rules: int, after_seq: int = 0, limit: int = 500
    ) -> list[tuple[int, Paper]]:
        rows = self._reader().execute(
            "SELECT p.seq, p.record FROM papers p"
            " LEFT JOIN paper_summaries s ON s.paper_id = p.id"
            " WHERE p.seq > ? AND (s.paper_id IS NULL OR s.rules <> ? OR s.seq < p.seq)"
            " ORDER BY p.seq LIMIT ?",
            (after_seq, rules, limit),
        )
        return [(int(seq), _load(record)) for seq, record in rows]

    def understanding_version(self) -> int:
        row = (
            self._reader()
            .execute("SELECT value FROM meta WHERE key = ?", (_VERSION_KEY,))
            .fetchone()
        )
        return int(row[0]) if row else 0


def _held(conn: SqlConnection, ids: list[str]) -> set[str]:
    found: set[str] = set()
    for chunk, marks in in_chunks(ids):
        rows = conn.execute(f"SELECT id FROM papers WHERE id IN ({marks})", chunk)
        found.update(str(paper_id) for (paper_id,) in rows)
    return found
