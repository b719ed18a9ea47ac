"""Feed, trending and organisation queries, each served by an index.

A query mixin of both stores. Every query here reads a range of an index
(``papers_by_listed_on``, ``papers_by_listed_published``,
``papers_by_organization``) and fetches full records only for the page shown,
so a request never scans the whole papers table. Deleted papers are left out:
those indexes hold only papers that are not deleted, and a query uses them
only when it says so (``deleted_on IS NULL``, written as it is in each).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from paperwire.model import Paper
from paperwire.store.records import FeedPage, ListedPaper, OrganizationCount, TrendingRow
from paperwire.store.sql import MAX_PARAMS, SqlBackend, in_chunks

__all__ = ["FEED_ORDERS", "FeedQueriesMixin"]

# How a range of listed papers can be ordered; the value is the ORDER BY clause.
FEED_ORDERS = {
    "upvotes": "COALESCE(p.upvotes, 0) + COALESCE(v.votes, 0) DESC, p.listed_on DESC, p.id DESC",
    "published": "p.published DESC NULLS LAST, p.id DESC",
}


class FeedQueriesMixin(SqlBackend):
    def get_papers(self, ids: Iterable[str]) -> dict[str, Paper]:
        raise NotImplementedError  # provided by PapersMixin

    # -- days ----------------------------------------------------------------

    def latest_listed_day(self, on_or_before: date | None = None) -> date | None:
        """The newest listing day (not after ``on_or_before`` when given), or None."""
        sql = "SELECT MAX(listed_on) FROM papers WHERE listed_on IS NOT NULL AND deleted_on IS NULL"
        params: tuple[str, ...] = ()
        if on_or_before is not None:
            sql += " AND listed_on <= ?"
            params = (on_or_before.isoformat(),)
        return _day(self._reader().execute(sql, params).fetchone()[0])

    def listing_neighbours(self, first: date, last: date) -> tuple[date | None, date | None]:
        """The nearest listing day before ``first`` and after ``last`` (None at either end)."""
        conn = self._reader()
        before = conn.execute(
            "SELECT MAX(listed_on) FROM papers WHERE listed_on < ? AND deleted_on IS NULL",
            (first.isoformat(),),
        ).fetchone()[0]
        after = conn.execute(
            "SELECT MIN(listed_on) FROM papers WHERE listed_on > ? AND deleted_on IS NULL",
            (last.isoformat(),),
        ).fetchone()[0]
        return _day(before), _day(after)

    # -- feeds ---------------------------------------------------------------

    def listed_papers(
        self, first: date, last: date, order: str = "upvotes", limit: int = 30, offset: int = 0
    ) -> FeedPage:
        """Papers listed from ``first`` to ``last`` (inclusive), one page of them."""
        clause = FEED_ORDERS[order]
        conn = self._reader()
        span = (first.isoformat(), last.isoformat())
        rows = conn.execute(
            "SELECT p.id, COALESCE(v.votes, 0) FROM papers p"
            " LEFT JOIN vote_counts v ON v.paper_id = p.id"
            " WHERE p.listed_on BETWEEN ? AND ? AND p.deleted_on IS NULL"
            f" ORDER BY {clause} LIMIT ? OFFSET ?",
            (*span, limit, offset),
        ).fetchall()
        total = conn.execute(
            "SELECT COUNT(*) FROM papers WHERE listed_on BETWEEN ? AND ? AND deleted_on IS NULL",
            span,
        ).fetchone()[0]
        return FeedPage(self._listed(rows), int(total))

    def organization_papers(self, names: list[str], limit: int = 30, offset: int = 0) -> FeedPage:
        """Papers of any of the organisations ``names``, newest listing first."""
        if not names:
            return FeedPage([], 0)
        names = names[:MAX_PARAMS]
        marks = ",".join("?" * len(names))
        conn = self._reader()
        rows = conn.execute(
            "SELECT p.id, COALESCE(v.votes, 0) FROM papers p"
            " LEFT JOIN vote_counts v ON v.paper_id = p.id"
            f" WHERE p.organization IN ({marks}) AND p.deleted_on IS NULL"
            " ORDER BY p.listed_on DESC NULLS LAST, p.id DESC LIMIT ? OFFSET ?",
            (*names, limit, offset),
        ).fetchall()
        total = conn.execute(
            f"SELECT COUNT(*) FROM papers WHERE organization IN ({marks}) AND deleted_on IS NULL",
            names,
        ).fetchone()[0]
        return FeedPage(self._listed(rows), int(total))

    def organization_counts(self) -> list[OrganizationCount]:
        """Every organisation named by a paper, with its paper count, largest first."""
        rows = self._reader().execute(
            "SELECT organization, COUNT(*) FROM papers"
            " WHERE organization IS NOT NULL AND deleted_on IS NULL GROUP BY organization"
        )
        counts = [OrganizationCount(str(name), int(n)) for name, n in rows]
        return sorted(counts, key=lambda c: (-c.papers, c.name.lower()))

    def trending_rows(self, first: date, last: date) -> list[TrendingRow]:
        """What the trending score needs for every paper listed from ``first`` to ``last``."""
        rows = self._reader().execute(
            "SELECT p.id, p.listed_on, COALESCE(p.upvotes, 0), COALESCE(v.votes, 0),"
            " COALESCE(p.github_stars, 0) FROM papers p"
            " LEFT JOIN vote_counts v ON v.paper_id = p.id"
            " WHERE p.listed_on BETWEEN ? AND ? AND p.deleted_on IS NULL",
            (first.isoformat(), last.isoformat()),
        )
        return [
            TrendingRow(str(pid), date.fromisoformat(day), int(up), int(local), int(stars))
            for pid, day, up, local, stars in rows
        ]

    def listed_with_votes(self, ids: list[str]) -> list[ListedPaper]:
        """The papers ``ids`` (in that order, missing ones left out) with their local votes;
        deleted ones too (a paper's page and a reader's library show them, marked)."""
        papers = self.get_papers(ids)
        votes = self.local_votes(ids)
        return [ListedPaper(papers[i], votes.get(i, 0)) for i in ids if i in papers]

    def local_votes(self, ids: Iterable[str]) -> dict[str, int]:
        """Votes cast on this site for each of ``ids`` that has any."""
        found: dict[str, int] = {}
        conn = self._reader()
        for chunk, marks in in_chunks(list(dict.fromkeys(ids))):
            for paper_id, votes in conn.execute(
                f"SELECT paper_id, votes FROM vote_counts WHERE paper_id IN ({marks})", chunk
            ):
                found[str(paper_id)] = int(votes)
        return found

    def _listed(self, rows: list[tuple[str, int]]) -> list[ListedPaper]:
        papers = self.get_papers(row[0] for row in rows)
        return [ListedPaper(papers[pid], int(votes)) for pid, votes in rows if pid in papers]


def _day(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None
