"""Shared by the tests of holes in the store: made-up arXiv API and Hugging Face
sources on the loopback replay server, archives that end weeks ago, and readers of
what a sync asked for and of the missing-days report.

The clock is fixed at Monday 2026-11-30 12:00 UTC (07:00 Eastern): Monday's arXiv
listing is out, and Hugging Face's latest past list is Friday 2026-11-27's.
"""

from __future__ import annotations

import json
import re
from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from xml.sax.saxutils import escape

from paperwire.config import Settings
from paperwire.ingest import arxiv_calendar as calendar
from paperwire.ingest.coverage import announcement_days, store_status
from paperwire.store import PaperStore
from replay_server import ReplayServer, Reply, live_settings

__all__ = [
    "ARCHIVE",
    "CATEGORIES",
    "EMPTY_FEED",
    "FEED",
    "NOW",
    "Sources",
    "api_windows",
    "hf_item",
    "listing_days",
    "missing",
    "paper_id",
    "serve",
    "settings_for",
    "window_of",
    "write_archive",
]

NOW = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)  # Monday 07:00 Eastern: Monday's listing is out
ARCHIVE = (date(2026, 10, 5), date(2026, 10, 30))  # a month's archive that ends weeks ago
CATEGORIES = ("cs.LG", "cs.CL")
FEED = "/rss/cs.LG+cs.CL"
EMPTY_FEED = (
    '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel>'
    "<title>cs.LG+cs.CL updates on arXiv.org</title></channel></rss>"
)


@dataclass
class Sources:
    """arXiv's API and Hugging Face's daily papers, made up: each announcement day has
    one paper per category (and the cross-lists asked for), except the quiet days."""

    cross_lists: tuple[str, ...] = ()
    arxiv_quiet: set[date] = field(default_factory=set)
    hf_quiet: set[date] = field(default_factory=set)

    def api(self, query: dict[str, str]) -> Reply:
        search = query["search_query"]
        categories = re.findall(r"cat:([\w.-]+)", search)
        window = re.search(r"submittedDate:\[(\d{12}) TO (\d{12})\]", search)
        assert window, search
        start, end = (
            datetime.strptime(w, "%Y%m%d%H%M").replace(tzinfo=UTC) for w in window.groups()
        )
        entries = [
            _entry(day, category, self.cross_lists)
            for day in _listings_submitted(start, end)
            if day not in self.arxiv_quiet
            for category in categories
        ]
        first, size = int(query.get("start", 0)), int(query["max_results"])
        return Reply(200, _feed(entries[first : first + size], len(entries), first))

    def hf(self, query: dict[str, str]) -> Reply:
        day = date.fromisoformat(query["date"])
        if day.weekday() > 4 or day in self.hf_quiet or int(query.get("p", 0)):
            return Reply(200, "[]")
        return Reply(200, json.dumps([hf_item(day)]))


def serve(server: ReplayServer, sources: Sources, feed: str = FEED) -> Sources:
    server.handle("/api/query", sources.api)
    server.handle("/api/daily_papers", sources.hf)
    server.add(feed, Reply(200, EMPTY_FEED))
    return sources


def settings_for(server: ReplayServer | str, tmp_path: Path, **changes: object) -> Settings:
    values: dict[str, object] = {"categories": CATEGORIES, "sync_fill_days": 60}
    values.update(changes)
    return live_settings(server, tmp_path / "home", **values)


def write_archive(
    folder: Path,
    first: date = ARCHIVE[0],
    last: date = ARCHIVE[1],
    categories: Collection[str] = CATEGORIES,
    skip: Collection[date] = (),
) -> list[Path]:
    """An arXiv daily-listing archive and a Hugging Face one (the API's answers as
    saved), from ``first`` to ``last``, with nothing on the days ``skip``."""
    folder.mkdir(parents=True, exist_ok=True)
    days = [d for d in announcement_days("arxiv", first, last) if d not in skip]
    listing = folder / "arxiv-listing.jsonl"
    rows = [_listing_row(day, category) for day in days for category in categories]
    listing.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
    hf = folder / "hf-daily.json"
    hf.write_text(json.dumps([hf_item(day) for day in days]), encoding="utf-8")
    return [listing, hf]


def missing(store: PaperStore, settings: Settings, now: datetime = NOW) -> dict[str, list[date]]:
    """Each category's missing days, keyed "arxiv cs.LG" or "hf"."""
    status = store_status(store, settings, now)
    return {f"{c.source} {c.category}".strip(): list(c.missing) for c in status.categories}


def api_windows(server: ReplayServer) -> list[tuple[str, str]]:
    """(categories, submission window) of each API request, in order."""
    asked = []
    for seen in server.requests_to("/api/query"):
        if int(seen.query.get("start", 0)):
            continue  # a further page of the same search
        search = seen.query["search_query"]
        categories, _, window = search.partition(" AND ")
        asked.append((categories, window))
    return asked


def window_of(first: date, last: date) -> str:
    start, end = calendar.submission_window(first, last)
    return f"submittedDate:[{start:%Y%m%d%H%M} TO {end:%Y%m%d%H%M}]"


def listing_days(first: date, last: date) -> list[date]:
    return announcement_days("arxiv", first, last)


# -- made-up sources ----------------------------------------------------------------------


def paper_id(day: date, category: str) -> str:
    """The made-up arXiv id of the paper listed on ``day`` in ``category``."""
    number = day.day * 100 + sum(map(ord, category)) % 90
    return f"{day:%y%m}.{number:05d}"


def _listing_row(day: date, category: str) -> dict[str, object]:
    return {
        "id": paper_id(day, category),
        "title": f"{category} paper listed {day}",
        "abstract": "An abstract.",
        "authors": ["Ada Lovelace"],
        "categories": [category],
        "first_listed": day.isoformat(),
    }


def _listings_submitted(start: datetime, end: datetime) -> list[date]:
    """The listing days whose last submission hour falls in [start, end)."""
    day, found = start.date() - timedelta(days=7), []
    while day <= end.date() + timedelta(days=7):
        if calendar.is_listing_day(day) and start <= _submitted(day) < end:
            found.append(day)
        day += timedelta(days=1)
    return found


def _submitted(day: date) -> datetime:
    return calendar.deadline_of(day) - timedelta(hours=1)


def _entry(day: date, category: str, cross_lists: tuple[str, ...]) -> str:
    number = paper_id(day, category)
    at = _submitted(day).strftime("%Y-%m-%dT%H:%M:%SZ")
    terms = [category, *(c for c in cross_lists if c != category)]
    kinds = "".join(f'<category term="{c}" scheme="http://arxiv.org/schemas/atom"/>' for c in terms)
    return (
        f"<entry><id>http://arxiv.org/abs/{number}v1</id>"
        f"<title>{escape(category)} paper listed {day}</title><updated>{at}</updated>"
        f"<summary>An abstract.</summary>{kinds}<published>{at}</published>"
        f'<arxiv:primary_category term="{category}"/>'
        "<author><name>Ada Lovelace</name></author></entry>"
    )


def _feed(entries: list[str], total: int, start: int) -> str:
    return (
        "<?xml version='1.0' encoding='UTF-8'?>"
        '<feed xmlns="http://www.w3.org/2005/Atom" xmlns:arxiv="http://arxiv.org/schemas/atom"'
        ' xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/">'
        f"<opensearch:totalResults>{total}</opensearch:totalResults>"
        f"<opensearch:startIndex>{start}</opensearch:startIndex>" + "".join(entries) + "</feed>"
    )


def hf_item(day: date) -> dict[str, object]:
    """Hugging Face's daily papers item of ``day``, as its API gives it."""
    number = f"{day:%y%m}.{day.day * 100 + 99:05d}"
    title = f"Featured on {day}"
    return {
        "paper": {
            "id": number,
            "authors": [{"name": "Grace Hopper"}],
            "publishedAt": f"{day}T00:00:00.000Z",
            "submittedOnDailyAt": f"{day}T00:00:00.000Z",
            "title": title,
            "summary": "A summary.",
            "upvotes": 3,
        },
        "publishedAt": f"{day}T00:00:00.000Z",
        "title": title,
        "numComments": 0,
    }
