"""A simulated week of arXiv and Hugging Face, served on loopback as each source publishes it.

The week's announcements follow paperwire's own calendar (holidays included);
one of them may come late. Each source shows an announcement when arXiv's
documentation says it does:

- the new listings (``/list/CAT/new``) and the API: at the announcement, 20:00
  US Eastern (https://info.arxiv.org/help/availability.html), plus any lateness;
- the RSS feed: when it is rebuilt, "daily at midnight Eastern Standard Time"
  (https://info.arxiv.org/help/rss.html), and for that day only;
- OAI-PMH: "typically around 10:30pm ET" (https://info.arxiv.org/help/oa/index.html);
- Hugging Face: items of a day's list appear during that day (``HfEvent``), each
  with its upvotes so far.

Every answer is made from the simulated clock at the moment the request arrives,
and a request to arXiv costs the simulated clock the 3 seconds arXiv asks
between requests, so fetching takes simulated time as it would for real.
"""

from __future__ import annotations

import gzip
import html
import json
import random
import re
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from paperwire.ingest import arxiv_calendar as calendar

__all__ = [
    "HfEvent",
    "SimPaper",
    "SimulatedSources",
    "SimulatedWeek",
    "build_week",
    "serve_sources",
]

EST = timezone(timedelta(hours=-5), "EST")  # arXiv's feeds are rebuilt at midnight EST
OAI_AFTER = timedelta(hours=2, minutes=30)
ANNOUNCING = 60.0  # seconds an announcement may take to appear after 20:00 ET
ARXIV_REQUEST_COST = timedelta(seconds=3)
HF_REQUEST_COST = timedelta(milliseconds=300)
HF_FIRST_ITEM = time(6, 0)  # UTC: Hugging Face's list of a day fills from its morning
HF_SPREAD = timedelta(hours=16)  # the items of one day's list come over this span


@dataclass
class SimPaper:
    id: str
    title: str
    abstract: str
    authors: list[str]
    categories: list[str]  # primary first
    submitted: datetime
    listing: date


@dataclass(frozen=True, slots=True)
class HfEvent:
    """Hugging Face's list of ``day`` shows ``paper_id`` with ``upvotes`` from ``at``."""

    day: date
    paper_id: str
    upvotes: int
    at: datetime


@dataclass
class SimulatedWeek:
    listings: dict[date, list[SimPaper]]
    late: dict[date, timedelta]
    categories: tuple[str, ...]
    hf_events: list[HfEvent] = field(default_factory=list)
    content: str = "synthetic"

    def announced_at(self, listing: date) -> datetime:
        return calendar.announcement_at(listing) + self.late.get(listing, timedelta(0))

    def feed_at(self, listing: date) -> datetime:
        return datetime.combine(listing, time(0), EST).astimezone(UTC)

    def oai_at(self, listing: date) -> datetime:
        return self.announced_at(listing) + OAI_AFTER

    def ids(self, listing: date) -> set[str]:
        return {paper.id for paper in self.listings[listing]}


def build_week(
    first: date,
    days: int,
    per_listing: int,
    categories: tuple[str, ...],
    late_minutes: float,
    records: Iterator[dict[str, Any]] | None = None,
    seed: int = 7,
) -> SimulatedWeek:
    """The listings announced from the evening of ``first`` for ``days`` days, each of
    ``per_listing`` papers (taken from ``records``, arXiv listing rows, where given);
    each goes out up to a minute after 20:00 ET, the third ``late_minutes`` later."""
    rng = random.Random(seed)
    start = datetime.combine(first, time(12), calendar.EASTERN).astimezone(UTC)
    end = start + timedelta(days=days)
    listing = calendar.next_listing(calendar.latest_listing(start))
    announced: list[date] = []
    while calendar.announcement_at(listing) < end:
        announced.append(listing)
        listing = calendar.next_listing(listing)
    # arXiv's announcement takes a little while to go out: up to a minute after 20:00.
    late = {day: timedelta(seconds=rng.uniform(0, ANNOUNCING)) for day in announced}
    if len(announced) > 2:
        late[announced[2]] += timedelta(minutes=late_minutes)
    week = SimulatedWeek({}, late, categories, content="synthetic" if records is None else "")
    number = 10001
    for day in announced:
        opened, closed = calendar.submission_window(day, day)
        papers = []
        for _ in range(per_listing):
            submitted = opened + (closed - opened) * rng.random()
            row = _next_row(records, categories) if records is not None else None
            papers.append(_paper(f"{day:%y%m}.{number:05d}", day, submitted, categories, rng, row))
            number += 1
        week.listings[day] = papers
        week.hf_events += _hf_events(day, papers, rng)
    return week


def _next_row(records: Iterator[dict[str, Any]], categories: tuple[str, ...]) -> dict[str, Any]:
    for row in records:
        if set(row.get("categories") or ()) & set(categories) and row.get("title"):
            return row
    raise ValueError("the arXiv listings ran out of papers in the followed categories")


def _paper(
    paper_id: str,
    day: date,
    submitted: datetime,
    categories: tuple[str, ...],
    rng: random.Random,
    row: dict[str, Any] | None,
) -> SimPaper:
    if row is None:
        primary = rng.choice(categories)
        others = [c for c in categories if c != primary and rng.random() < 0.2]
        return SimPaper(
            paper_id,
            f"Simulated paper {paper_id} on {primary}",
            f"A paper of the simulated week, announced for {day}.",
            ["Ada Lovelace", "Alan Turing"],
            [primary, *others],
            submitted,
            day,
        )
    listed = [str(c) for c in row["categories"]]
    followed = [c for c in listed if c in categories]
    primary = followed[0]
    return SimPaper(
        paper_id,
        " ".join(str(row["title"]).split()),
        str(row.get("abstract") or ""),
        [str(a) for a in row.get("authors") or []] or ["Anonymous"],
        [primary, *[c for c in listed if c != primary]],
        submitted,
        day,
    )


def _hf_events(day: date, papers: list[SimPaper], rng: random.Random) -> list[HfEvent]:
    """A quarter of the day's papers join Hugging Face's list of that day, at times
    spread over its day (UTC), each with the upvotes it has then."""
    morning = datetime.combine(day, HF_FIRST_ITEM, UTC)
    chosen = papers[: max(1, len(papers) // 4)]
    times = sorted(morning + HF_SPREAD * rng.random() for _ in chosen)
    return [
        HfEvent(day, p.id, rng.randrange(1, 40), at) for p, at in zip(chosen, times, strict=True)
    ]


def arxiv_rows(path: Path) -> Iterator[dict[str, Any]]:
    """The rows of an arXiv daily-listing JSONL file (gzipped or not)."""
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as lines:
        for line in lines:
            if line.strip():
                yield json.loads(line)


class SimulatedSources:
    """Answers every source's requests from ``week`` as at ``clock()``; counts them."""

    def __init__(
        self,
        week: SimulatedWeek,
        clock: Callable[[], datetime],
        advance: Callable[[timedelta], None],
    ):
        self.week = week
        self.clock = clock
        self.advance = advance
        self.requests: dict[str, int] = {"arxiv": 0, "hf": 0}
        self._lock = threading.Lock()

    def answer(self, path: str, query: dict[str, str]) -> tuple[int, str, bytes]:
        if path == "/api/daily_papers":
            return self._charge("hf", HF_REQUEST_COST, lambda now: self._hf(query, now))
        listing = re.fullmatch(r"/list/([^/]+)/new", path)
        if listing:
            return self._charge(
                "arxiv", ARXIV_REQUEST_COST, lambda now: self._listing(listing.group(1), query, now)
            )
        if path.startswith("/rss/"):
            return self._charge(
                "arxiv", ARXIV_REQUEST_COST, lambda now: self._feed(path[5:].split("+"), now)
            )
        if path == "/api/query":
            return self._charge("arxiv", ARXIV_REQUEST_COST, lambda now: self._api(query, now))
        if path == "/oai":
            return self._charge("arxiv", ARXIV_REQUEST_COST, lambda now: self._oai(query, now))
        return 404, "text/plain", f"nothing simulated at {path}".encode()

    def _charge(
        self, source: str, cost: timedelta, make: Callable[[datetime], tuple[int, str, bytes]]
    ) -> tuple[int, str, bytes]:
        with self._lock:
            self.requests[source] += 1
            self.advance(cost)  # the wait the rate limit imposes, in simulated time
            return make(self.clock())

    def _published(self, now: datetime, when: Callable[[date], datetime]) -> list[date]:
        return sorted(day for day in self.week.listings if when(day) <= now)

    def _listing(
        self, category: str, query: dict[str, str], now: datetime
    ) -> tuple[int, str, bytes]:
        out = self._published(now, self.week.announced_at)
        day = out[-1] if out else calendar.previous_listing(min(self.week.listings))
        entries = []
        for paper in self.week.listings.get(day, []) if out else []:
            if paper.categories[0] == category:
                entries.append((paper, "new"))
            elif category in paper.categories:
                entries.append((paper, "cross"))
        entries.sort(key=lambda entry: entry[1] != "new")
        skip, show = int(query.get("skip") or 0), int(query.get("show") or 2000)
        body = _listing_html(category, day, entries[skip : skip + show], len(entries), skip)
        return 200, "text/html; charset=utf-8", body.encode()

    def _feed(self, categories: list[str], now: datetime) -> tuple[int, str, bytes]:
        out = self._published(now, self.week.feed_at)
        day = out[-1] if out and now < self.week.feed_at(out[-1]) + timedelta(days=1) else None
        items = []
        for paper in self.week.listings.get(day, []) if day else []:
            if set(paper.categories) & set(categories):
                kind = "new" if paper.categories[0] in categories else "cross"
                items.append(_rss_item(paper, kind))
        pub = f"<pubDate>{_rfc2822(day)}</pubDate>" if day else ""
        body = (
            "<?xml version='1.0' encoding='UTF-8'?>\n"
            '<rss xmlns:arxiv="http://arxiv.org/schemas/atom" '
            'xmlns:dc="http://purl.org/dc/elements/1.1/" version="2.0"><channel>'
            f"<title>{'+'.join(categories)} updates on arXiv.org</title>{pub}{''.join(items)}"
            "</channel></rss>"
        )
        return 200, "application/rss+xml", body.encode()

    def _api(self, query: dict[str, str], now: datetime) -> tuple[int, str, bytes]:
        search = query.get("search_query", "")
        window = re.search(r"submittedDate:\[(\d{12}) TO (\d{12})\]", search)
        wanted = set(re.findall(r"cat:([\w.\-]+)", search))
        start_at, end_at = (
            (datetime.strptime(w, "%Y%m%d%H%M").replace(tzinfo=UTC) for w in window.groups())
            if window
            else (datetime.min.replace(tzinfo=UTC), datetime.max.replace(tzinfo=UTC))
        )
        found = sorted(
            (
                paper
                for day in self._published(now, self.week.announced_at)
                for paper in self.week.listings[day]
                if start_at <= paper.submitted < end_at and set(paper.categories) & wanted
            ),
            key=lambda paper: paper.submitted,
        )
        start, size = int(query.get("start") or 0), int(query.get("max_results") or 10)
        entries = "".join(_atom_entry(paper) for paper in found[start : start + size])
        body = (
            "<?xml version='1.0' encoding='UTF-8'?>\n"
            '<feed xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/" '
            'xmlns:arxiv="http://arxiv.org/schemas/atom" xmlns="http://www.w3.org/2005/Atom">'
            f"<opensearch:totalResults>{len(found)}</opensearch:totalResults>"
            f"<opensearch:startIndex>{start}</opensearch:startIndex>{entries}</feed>"
        )
        return 200, "application/atom+xml", body.encode()

    def _oai(self, query: dict[str, str], now: datetime) -> tuple[int, str, bytes]:
        since = date.fromisoformat(query.get("from") or "1991-08-14")
        records = "".join(
            _oai_record(paper, self.week.oai_at(day).date())
            for day in self._published(now, self.week.oai_at)
            if self.week.oai_at(day).date() >= since
            for paper in self.week.listings[day]
        )
        body = (
            '<?xml version="1.0" encoding="UTF-8"?>\n<OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/">'
            f"<responseDate>{now:%Y-%m-%dT%H:%M:%SZ}</responseDate><ListRecords>{records}</ListRecords></OAI-PMH>"
        )
        return 200, "text/xml", body.encode()

    def _hf(self, query: dict[str, str], now: datetime) -> tuple[int, str, bytes]:
        day = date.fromisoformat(query["date"]) if query.get("date") else now.date()
        upvotes: dict[str, int] = {}
        for event in self.week.hf_events:
            if event.day == day and event.at <= now:
                upvotes[event.paper_id] = event.upvotes
        papers = {paper.id: paper for paper in self.week.listings.get(day, [])}
        items = [_hf_item(papers[paper_id], day, votes) for paper_id, votes in upvotes.items()]
        page, limit = int(query.get("p") or 0), int(query.get("limit") or 50)
        return (
            200,
            "application/json",
            json.dumps(items[page * limit : (page + 1) * limit]).encode(),
        )


def _listing_html(
    category: str, day: date, entries: list[tuple[SimPaper, str]], total: int, skip: int
) -> str:
    """A page laid out as arxiv-browse's list/new.html lays it out."""
    items = []
    for number, (paper, kind) in enumerate(entries, start=skip + 1):
        mark = f"(cross-list from {paper.categories[0]})" if kind == "cross" else ""
        authors = ", ".join(
            f'<a href="https://arxiv.org/search/cs?searchtype=author&amp;query={html.escape(a)}">{html.escape(a)}</a>'
            for a in paper.authors
        )
        subjects = (
            f'<span class="primary-subject">Subject ({paper.categories[0]})</span>'
            + "".join(f"; Subject ({c})" for c in paper.categories[1:])
        )
        items.append(
            f"<dt><a name='item{number}'>[{number}]</a>"
            f' <a href ="/abs/{paper.id}" title="Abstract" id="{paper.id}">'
            f"arXiv:{paper.id}</a> {mark}"
            f' [<a href="/pdf/{paper.id}" title="Download PDF">pdf</a>]</dt>'
            "<dd><div class='meta'>"
            "<div class='list-title mathjax'><span class='descriptor'>Title:</span> "
            f"{html.escape(paper.title)}</div>"
            f"<div class='list-authors'>{authors}</div>"
            f"<div class='list-subjects'><span class='descriptor'>Subjects:</span> {subjects}</div>"
            f"<p class='mathjax'>{html.escape(paper.abstract)}</p></div></dd>"
        )
    return (
        "<!DOCTYPE html><html><body><div id='dlpage'>"
        f"<h1>{category}</h1><h3>Showing new listings for {day:%A}, {day.day} {day:%B %Y}</h3>"
        f"<div class='paging'>Total of {total} entries</div>"
        f"<dl id='articles'>{''.join(items) or '<p>No updates today.</p>'}</dl></div></body></html>"
    )


def _rfc2822(day: date) -> str:
    return f"{day:%a, %d %b %Y} 00:00:00 -0500"


def _rss_item(paper: SimPaper, kind: str) -> str:
    return (
        f"<item><title>{html.escape(paper.title)}</title><link>https://arxiv.org/abs/{paper.id}</link>"
        f"<description>arXiv:{paper.id}v1 Announce Type: {kind} \n"
        f"Abstract: {html.escape(paper.abstract)}</description>"
        f'<guid isPermaLink="false">oai:arXiv.org:{paper.id}v1</guid>'
        + "".join(f"<category>{c}</category>" for c in paper.categories)
        + f"<pubDate>{_rfc2822(paper.listing)}</pubDate>"
        + f"<arxiv:announce_type>{kind}</arxiv:announce_type>"
        f"<dc:creator>{html.escape(', '.join(paper.authors))}</dc:creator></item>"
    )


def _atom_entry(paper: SimPaper) -> str:
    stamp = paper.submitted.strftime("%Y-%m-%dT%H:%M:%SZ")
    return (
        f"<entry><id>http://arxiv.org/abs/{paper.id}v1</id><title>{html.escape(paper.title)}</title>"
        f"<updated>{stamp}</updated><summary>{html.escape(paper.abstract)}</summary>"
        + "".join(
            f'<category term="{c}" scheme="http://arxiv.org/schemas/atom"/>'
            for c in paper.categories
        )
        + f'<published>{stamp}</published><arxiv:primary_category term="{paper.categories[0]}"/>'
        + "".join(f"<author><name>{html.escape(a)}</name></author>" for a in paper.authors)
        + "</entry>"
    )


def _oai_record(paper: SimPaper, stamp: date) -> str:
    authors = "".join(
        f"<author><keyname>{html.escape(a.rsplit(' ', 1)[-1])}</keyname>"
        f"<forenames>{html.escape(a.rsplit(' ', 1)[0])}</forenames></author>"
        for a in paper.authors
    )
    return (
        f"<record><header><identifier>oai:arXiv.org:{paper.id}</identifier><datestamp>{stamp}</datestamp></header>"
        f'<metadata><arXiv xmlns="http://arxiv.org/OAI/arXiv/"><id>{paper.id}</id>'
        f"<created>{paper.submitted.date()}</created><authors>{authors}</authors>"
        f"<title>{html.escape(paper.title)}</title>"
        f"<categories>{' '.join(paper.categories)}</categories>"
        f"<abstract>{html.escape(paper.abstract)}</abstract></arXiv></metadata></record>"
    )


def _hf_item(paper: SimPaper, day: date, upvotes: int) -> dict[str, Any]:
    listed = f"{day}T06:00:00.000Z"
    return {
        "paper": {
            "id": paper.id,
            "authors": [{"name": a} for a in paper.authors],
            "publishedAt": paper.submitted.strftime("%Y-%m-%dT%H:%M:%S.000Z"),
            "submittedOnDailyAt": listed,
            "title": paper.title,
            "summary": paper.abstract,
            "upvotes": upvotes,
        },
        "publishedAt": listed,
        "title": paper.title,
        "numComments": 0,
    }


@contextmanager
def serve_sources(sources: SimulatedSources) -> Iterator[str]:
    """``sources`` on a loopback HTTP server for the run; yields its base URL."""

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self) -> None:
            parts = urlsplit(self.path)
            status, kind, body = sources.answer(parts.path, dict(parse_qsl(parts.query)))
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            """Quiet: the sources count requests themselves."""

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    thread = threading.Thread(
        target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
    )
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()
