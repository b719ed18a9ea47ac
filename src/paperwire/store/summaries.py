"""Each paper's one-line summary, in the SQL both stores run (``summary_records``)."""

from __future__ import annotations

from collections.abc import Iterable

from paperwire.store.papers import stored_ids
from paperwire.store.sql import SqlBackend, in_chunks
from paperwire.store.summary_records import StoredSummary

__all__ = ["SummariesMixin"]


class SummariesMixin(SqlBackend):
    def put_summaries(self, summaries: Iterable[StoredSummary]) -> int:
        rows = [(s.paper_id, s.summary.replace("\x00", ""), s.rules, s.seq) for s in summaries]
        if not rows:
            return 0
        with self.transaction() as conn:
            held = stored_ids(conn, [row[0] for row in rows])
            rows = [row for row in rows if row[0] in held]
            if rows:
                conn.executemany(
                    "INSERT INTO paper_summaries (paper_id, summary, rules, seq)"
                    " VALUES (?, ?, ?, ?) ON CONFLICT (paper_id) DO UPDATE SET"
                    " summary = excluded.summary, rules = excluded.rules, seq = excluded.seq",
                    rows,
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
