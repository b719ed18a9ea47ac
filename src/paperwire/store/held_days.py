"""The listing days the store holds, per source and category, in the SQL both stores run.

One row per (source, category, day): ``source`` is where a daily listing comes
from ("arxiv": arXiv's announcements; "hf": Hugging Face's daily papers),
``category`` an arXiv category ("" for Hugging Face's one daily list). A day
is held when the store holds a paper that source listed that day in that
category, or when a sync fetched that source's whole listing of the day for
the category and found it empty. A sync starts each category from its newest
held day; the missing-days report (``ingest.coverage``) reads which past
announcement days are not held. The table has a few rows a day whatever the
number of papers, so both read a short range of its key.

A query mixin of both stores: it relies on the store's ``transaction()`` and
``_reader()``.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from datetime import date

from paperwire.model import Paper
from paperwire.store.sql import SqlBackend, SqlConnection

__all__ = ["ARXIV", "DAILY_LIST", "HF", "HeldDaysMixin", "held_rows", "write_held_rows"]

ARXIV = "arxiv"
HF = "hf"
DAILY_LIST = ""  # Hugging Face's daily papers: one list, no category

# The paper sources (``Paper.source``) whose ``listed_on`` is an arXiv listing day:
# the API and OAI-PMH ("arxiv"), the daily listings and the announcement feed ("listing").
_ARXIV_RECORDS = frozenset({"arxiv", "listing"})

HeldRow = tuple[str, str, str]  # (source, category, ISO day)

_INSERT = (
    "INSERT INTO held_days (source, category, day) VALUES (?, ?, ?)"
    " ON CONFLICT (source, category, day) DO NOTHING"
)


def held_rows(paper: Paper, listed_in: Collection[str] | None = None) -> set[HeldRow]:
    """The (source, category, day) rows one incoming record shows held.

    arXiv: a record whose text comes from arXiv holds its listing day (``listed_on``)
    in each of its categories that is in ``listed_in`` (every one when None: a
    file's scope is unknown), unless Hugging Face listed the paper too on other
    days (a merged record, as ``paperwire export`` writes it, whose first day may
    be Hugging Face's). Hugging Face: a record of its daily papers, or one that has
    upvotes (only Hugging Face gives them), holds each of its listing days. The
    same rule fills the table from an older store (migration 11).
    """
    rows: set[HeldRow] = set()
    days = paper.listing_days()
    featured = paper.upvotes is not None
    if (
        paper.source in _ARXIV_RECORDS
        and paper.listed_on is not None
        and not (featured and len(days) > 1)
    ):
        day = paper.listed_on.isoformat()
        rows.update(
            (ARXIV, category, day)
            for category in paper.categories
            if listed_in is None or category in listed_in
        )
    if paper.source == HF or featured:
        rows.update((HF, DAILY_LIST, day.isoformat()) for day in days)
    return rows


def write_held_rows(conn: SqlConnection, rows: Iterable[HeldRow]) -> None:
    """Record ``rows`` as held (inside a transaction); rows held already stay as they are."""
    batch = sorted(set(rows))
    if batch:
        conn.executemany(_INSERT, batch)


class HeldDaysMixin(SqlBackend):
    def hold_listing_days(
        self, source: str, categories: Iterable[str], days: Iterable[date]
    ) -> int:
        """Record each of ``days`` held for ``source`` in each of ``categories`` (a sync
        fetched those listings whole, even where they were empty); returns the rows asked."""
        rows = [(source, c, d.isoformat()) for c in set(categories) for d in set(days)]
        with self.transaction() as conn:
            write_held_rows(conn, rows)
        return len(rows)

    def held_listing_days(
        self,
        source: str,
        category: str | None,
        first: date | None = None,
        last: date | None = None,
    ) -> list[date]:
        """The days held for ``source`` and ``category`` (in any category when None,
        each day once) from ``first`` to ``last`` (inclusive; open where None), oldest first."""
        bounds = (
            first.isoformat() if first else "",
            last.isoformat() if last else "9999-12-31",
        )
        if category is None:
            rows = self._reader().execute(
                "SELECT DISTINCT day FROM held_days WHERE source = ?"
                " AND day >= ? AND day <= ? ORDER BY day",
                (source, *bounds),
            )
        else:
            rows = self._reader().execute(
                "SELECT day FROM held_days WHERE source = ? AND category = ?"
                " AND day >= ? AND day <= ? ORDER BY day",
                (source, category, *bounds),
            )
        return [date.fromisoformat(day) for (day,) in rows]

    def held_day_range(
        self, source: str, category: str | None = None
    ) -> tuple[date | None, date | None]:
        """The oldest and newest day held for ``source`` in ``category`` (in any
        category when None), or (None, None) when none is."""
        sql = "SELECT MIN(day), MAX(day) FROM held_days WHERE source = ?"
        params: tuple[str, ...] = (source,)
        if category is not None:
            sql += " AND category = ?"
            params += (category,)
        oldest, newest = self._reader().execute(sql, params).fetchone()
        return _day(oldest), _day(newest)


def _day(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None
