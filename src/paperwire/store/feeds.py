"""Feed, trending and organisation queries, each served by an index.

A query mixin of both stores. Every query here reads a range of an index
(the key of ``listings``, ``day, paper_id``: one row per day a paper was listed
or featured, with the paper's sort keys; ``papers_by_organization``) and fetches
full records only for the page shown, so a request never scans the whole papers
table. A paper listed on several days of a week or month is in
that range once, at the latest of those days. Deleted papers are left out:
they have no ``listings`` rows, and the organisation index holds only papers
that are not deleted (used by a query that says ``deleted_on IS NULL``).

Organisations are counted by ``organization_group``, not by the stored string:
spellings that differ only by case or spacing, or that the alias table names
as one organisation, are one, shown under ``preferred_name``. The grouping is
done on read, over the distinct stored names (a few thousand at most), so it
does not depend on which spelling arrived first and follows the alias table of
the running release without rewriting stored rows.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date

from paperwire.model import Paper
from paperwire.organizations import organization_group, preferred_name
from paperwire.store.records import FeedPage, ListedPaper, OrganizationCount, TrendingRow
from paperwire.store.sql import MAX_PARAMS, SqlBackend, in_chunks

__all__ = ["FEED_ORDERS", "FeedQueriesMixin"]

# How a range of listed papers can be ordered; the value is the ORDER BY clause
# over ``l`` (``_LISTED_IN_RANGE``) and ``v`` (the votes cast here).
FEED_ORDERS = {
    "upvotes": "COALESCE(l.upvotes, 0) + COALESCE(v.votes, 0) DESC, l.day DESC, l.paper_id DESC",
    "published": "l.published DESC NULLS LAST, l.paper_id DESC",
}
# Each paper listed on one day, or from one day to another (inclusive) once, at its
# latest day there with the sort keys its listing rows repeat (the same in each row).
# A day has each paper once already: it skips the grouping (a month's costs ~5 ms).
_LISTED_ON_DAY = (
    "(SELECT paper_id, day, upvotes, published, github_stars FROM listings"
    " WHERE day BETWEEN ? AND ?) l"
)
_LISTED_IN_RANGE = (
    "(SELECT paper_id, MAX(day) AS day, MAX(upvotes) AS upvotes, MAX(published) AS published,"
    " MAX(github_stars) AS github_stars FROM listings WHERE day BETWEEN ? AND ?"
    " GROUP BY paper_id) l"
)


class FeedQueriesMixin(SqlBackend):
    def get_papers(self, ids: Iterable[str]) -> dict[str, Paper]:
        raise NotImplementedError  # provided by PapersMixin

    # -- days ----------------------------------------------------------------

    def latest_listed_day(self, on_or_before: date | None = None) -> date | None:
        """The newest listing day (not after ``on_or_before`` when given), or None."""
        sql = "SELECT MAX(day) FROM listings"
        params: tuple[str, ...] = ()
        if on_or_before is not None:
            sql += " WHERE day <= ?"
            params = (on_or_before.isoformat(),)
        return _day(self._reader().execute(sql, params).fetchone()[0])

    def listing_neighbours(self, first: date, last: date) -> tuple[date | None, date | None]:
        """The nearest listing day before ``first`` and after ``last`` (None at either end)."""
        conn = self._reader()
        before = conn.execute(
            "SELECT MAX(day) FROM listings WHERE day < ?", (first.isoformat(),)
        ).fetchone()[0]
        after = conn.execute(
            "SELECT MIN(day) FROM listings WHERE day > ?", (last.isoformat(),)
        ).fetchone()[0]
        return _day(before), _day(after)

    # -- feeds ---------------------------------------------------------------

    def listed_papers(
        self, first: date, last: date, order: str = "upvotes", limit: int = 30, offset: int = 0
    ) -> FeedPage:
        """Papers listed from ``first`` to ``last`` (inclusive), one page of them, each
        with its latest listing day in that range (``ListedPaper.day``)."""
        clause = FEED_ORDERS[order]
        conn = self._reader()
        span = (first.isoformat(), last.isoformat())
        rows = conn.execute(
            f"SELECT l.paper_id, COALESCE(v.votes, 0), l.day FROM {_listings_between(first, last)}"
            " LEFT JOIN vote_counts v ON v.paper_id = l.paper_id"
            f" ORDER BY {clause} LIMIT ? OFFSET ?",
            (*span, limit, offset),
        ).fetchall()
        total = conn.execute(
            "SELECT COUNT(DISTINCT paper_id) FROM listings WHERE day BETWEEN ? AND ?", span
        ).fetchone()[0]
        return FeedPage(self._listed(rows), int(total))

    def organization_papers(self, names: list[str], limit: int = 30, offset: int = 0) -> FeedPage:
        """Papers stored under any of the spellings ``names`` (an ``OrganizationCount``'s
        ``names``), newest listing first."""
        if not names:
            return FeedPage([], 0)
        names = names[:MAX_PARAMS]
        marks = ",".join("?" * len(names))
        conn = self._reader()
        rows = conn.execute(
            "SELECT p.id, COALESCE(v.votes, 0), NULL FROM papers p"
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
        """Every organisation named by a paper, with its paper count, largest first.

        Spellings of one organisation (``organization_group``) are one entry, shown
        under ``preferred_name``, with every stored spelling in ``names``.
        """
        rows = self._reader().execute(
            "SELECT organization, COUNT(*) FROM papers"
            " WHERE organization IS NOT NULL AND deleted_on IS NULL GROUP BY organization"
        )
        groups: defaultdict[str, list[tuple[str, int]]] = defaultdict(list)
        for name, n in rows:
            groups[organization_group(str(name))].append((str(name), int(n)))
        counts = [_organization(spellings) for spellings in groups.values()]
        return sorted(counts, key=lambda c: (-c.papers, c.name.lower(), c.name))

    def trending_rows(self, first: date, last: date) -> list[TrendingRow]:
        """What the trending score needs for every paper listed from ``first`` to ``last``,
        once each, with its latest listing day there: a paper featured again is as
        fresh as that day."""
        rows = self._reader().execute(
            "SELECT l.paper_id, l.day, COALESCE(l.upvotes, 0), COALESCE(v.votes, 0),"
            f" COALESCE(l.github_stars, 0) FROM {_listings_between(first, last)}"
            " LEFT JOIN vote_counts v ON v.paper_id = l.paper_id",
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

    def _listed(self, rows: list[tuple[str, int, str | None]]) -> list[ListedPaper]:
        papers = self.get_papers(row[0] for row in rows)
        return [
            ListedPaper(papers[pid], int(votes), _day(day))
            for pid, votes, day in rows
            if pid in papers
        ]


def _listings_between(first: date, last: date) -> str:
    return _LISTED_ON_DAY if first == last else _LISTED_IN_RANGE


def _organization(spellings: list[tuple[str, int]]) -> OrganizationCount:
    ordered = sorted(spellings, key=lambda item: (-item[1], item[0]))
    return OrganizationCount(
        preferred_name(ordered),
        sum(n for _, n in ordered),
        tuple(name for name, _ in ordered),
    )


def _day(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None
