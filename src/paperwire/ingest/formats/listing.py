"""arXiv daily-listing JSONL: the papers as first listed in arXiv's "new" pages,
with the day of first listing but no version number.

Only ``first_listed`` is a listing day: ``listed_dates`` repeats the same
announcement on the days its listing page stayed up (a Friday's listing on
Saturday and Sunday too), which are no new listings: arXiv announces Sunday to
Thursday, so listing days are Monday to Friday (``ingest.arxiv_calendar``).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, BinaryIO

from paperwire.ingest.formats.jsonlines import iter_json_lines
from paperwire.ingest.records import Rejection, arxiv_paper, author, parse_day
from paperwire.model import Paper

__all__ = ["listing_to_paper", "parse_listing"]


def parse_listing(stream: BinaryIO, name: str) -> Iterator[Paper | Rejection]:
    yield from iter_json_lines(stream, name, listing_to_paper)


def listing_to_paper(row: dict[str, Any]) -> Paper:
    categories = [str(c) for c in row.get("categories") or []]
    return arxiv_paper(
        row.get("id"),
        row.get("title"),
        abstract=row.get("abstract"),
        authors=[author(str(a)) for a in row.get("authors") or []],
        source="listing",
        comment=row.get("comment"),
        categories=list(dict.fromkeys(categories)),
        listed_on=parse_day(row.get("first_listed")),
    )
