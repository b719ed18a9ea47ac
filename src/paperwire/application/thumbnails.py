"""Thumbnails of the papers people are likely to see, fetched politely, never in bulk.

arXiv asks that its PDFs not be crawled in bulk (https://info.arxiv.org/help/robots.html),
so only these papers get one: the top ``FEED_TOP`` of each day's feed over the
last ``DAYS`` days; the papers some reader upvoted, saved, marked seen or opened
(the latest first); and the papers of those days by an author or organisation some
reader follows (matched as the for-you feed matches them, ``rank.follows``).
Each PDF comes from the configured host (``PAPERWIRE_PDF_URL``, ``/pdf/ID``)
through the one HTTP seam, on the arXiv limiter as a background client (the
sync's requests go first), and a paper is fetched once: a 404, a corrupt PDF
or one over the size limit is recorded with its problem and a log line, and
not asked again. A host that does not answer stops the run with nothing
recorded, so the next run tries those papers again. The run stops at ``cap``
papers, or when the stored thumbnails reach ``thumbnail_max_bytes``.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta

from paperwire.config import Settings
from paperwire.ingest.http import (
    Fetcher,
    FetchFailed,
    HostNotAllowed,
    NetworkUnavailable,
    ResponseTooLarge,
    options_from_settings,
)
from paperwire.ingest.pdf_thumbnail import BadPdf, render_thumbnail
from paperwire.ingest.ratelimit import ARXIV_LIMITER
from paperwire.model import Paper
from paperwire.rank.follows import fold, follow_matches
from paperwire.store.base import PaperStore
from paperwire.store.thumbnails import StoredThumbnail, ThumbnailAttempt

__all__ = [
    "DAYS",
    "FEED_TOP",
    "THUMBNAIL_JOB",
    "ThumbnailReport",
    "refresh_thumbnails",
    "wanted_papers",
]

log = logging.getLogger(__name__)

THUMBNAIL_JOB = "thumbnail refresh"
DAYS = 14
FEED_TOP = 30  # a day's first page, as the feed shows it
READERS_CHOSE = 2000
FOLLOWED_KINDS = ("author", "organization")
MOST_FOLLOWED = 500  # the values most readers follow; matching costs papers x follows
LISTED_SCAN = 20_000  # papers of the last DAYS days looked at for follows, the most upvoted


@dataclass(slots=True)
class ThumbnailReport:
    made: int = 0
    failed: int = 0
    bytes_stored: int = 0
    stopped: str | None = None  # why the run ended before its list did
    problems: list[str] = field(default_factory=list)

    def summary(self) -> str:
        text = f"{self.made} thumbnails made ({self.bytes_stored:,} bytes), {self.failed} failed"
        return text + (f"; stopped: {self.stopped}" if self.stopped else "")


def wanted_papers(store: PaperStore, today: date) -> list[Paper]:
    """The arXiv papers worth a thumbnail that have not been fetched: the feeds' first,
    then those readers chose, then those of what they follow."""
    ids: list[str] = []
    for back in range(DAYS):
        day = today - timedelta(days=back)
        ids += [i.paper.id for i in store.listed_papers(day, day, "upvotes", FEED_TOP).items]
    ids += store.papers_readers_chose(READERS_CHOSE)
    ids += _followed_papers(store, today)
    ids = list(dict.fromkeys(ids))
    tried = store.thumbnail_attempted(ids)
    papers = store.get_papers([i for i in ids if i not in tried])
    return [papers[i] for i in ids if i in papers and papers[i].is_arxiv]


def _followed_papers(store: PaperStore, today: date) -> list[str]:
    """Papers listed in the last ``DAYS`` days by an author or organisation someone follows."""
    follows = store.followed_by_readers(FOLLOWED_KINDS, MOST_FOLLOWED)
    if not follows:
        return []
    # An author follow is a folded name (rank.follows): a set lookup per author, where
    # follow_matches per paper would fold every followed name again (20 s for 490
    # follows over a fortnight of cs.*; 0.3 s this way).
    authors = {fold(f.value) for f in follows if f.kind == "author"}
    others = [f for f in follows if f.kind != "author"]
    first = today - timedelta(days=DAYS - 1)
    listed = store.listed_papers(first, today, "upvotes", LISTED_SCAN).items
    matched = [
        item.paper.id
        for item in listed
        if any(fold(a.name) in authors for a in item.paper.authors)
        or follow_matches(item.paper, others)
    ]
    tried = store.thumbnail_attempted(matched)
    return [i for i in matched if i not in tried][:READERS_CHOSE]


def refresh_thumbnails(
    store: PaperStore, settings: Settings, today: date, cap: int = 100
) -> ThumbnailReport:
    """Fetch and store up to ``cap`` thumbnails (see the module docstring). Raises nothing
    for a paper's bad PDF; a host that cannot be reached ends the run (``stopped``).
    Holds the job lock ``THUMBNAIL_JOB``: ``JobBusy`` when another process runs it."""
    if not settings.pdf_url:
        report = ThumbnailReport()
        report.stopped = "thumbnails are switched off (PAPERWIRE_PDF_URL is empty)"
        return report
    with store.job_lock(THUMBNAIL_JOB):
        return _refresh(store, settings, settings.pdf_url.rstrip("/"), today, cap)


def _refresh(
    store: PaperStore, settings: Settings, base: str, today: date, cap: int
) -> ThumbnailReport:
    report = ThumbnailReport()
    options = replace(options_from_settings(settings), max_bytes=settings.thumbnail_pdf_max_bytes)
    with Fetcher(
        [base],
        options,
        limiter=ARXIV_LIMITER,
        interval=settings.arxiv_interval,
        background=True,
    ) as fetcher:
        for paper in wanted_papers(store, today)[:cap]:
            if store.thumbnail_bytes_total() >= settings.thumbnail_max_bytes:
                report.stopped = (
                    f"the thumbnails reached {settings.thumbnail_max_bytes:,} bytes "
                    "(PAPERWIRE_THUMBNAILS_MAX_BYTES)"
                )
                break
            try:
                attempt = _attempt(fetcher, f"{base}/pdf/{paper.id}", paper.id)
            except (NetworkUnavailable, FetchFailed, HostNotAllowed) as exc:
                report.stopped = str(exc)
                break
            store.record_thumbnail_attempt(attempt)
            if attempt.thumbnail is not None:
                report.made += 1
                report.bytes_stored += len(attempt.thumbnail.image)
            else:
                report.failed += 1
                report.problems.append(f"{paper.id}: {attempt.problem}")
                log.warning("no thumbnail for %s: %s", paper.id, attempt.problem)
    return report


def _attempt(fetcher: Fetcher, url: str, paper_id: str) -> ThumbnailAttempt:
    now = datetime.now(UTC).isoformat(timespec="seconds")
    try:
        response = fetcher.get(url)
    except ResponseTooLarge:
        limit = fetcher.options.max_bytes
        problem = (
            f"the PDF at {url} is larger than {limit:,} bytes (PAPERWIRE_THUMBNAIL_PDF_MAX_BYTES)"
        )
        return ThumbnailAttempt(paper_id, now, problem=problem)
    if response.status != 200:
        return ThumbnailAttempt(paper_id, now, problem=f"GET {url} answered {response.status}")
    try:
        made = render_thumbnail(response.body)
    except BadPdf as exc:
        return ThumbnailAttempt(paper_id, now, problem=f"{url}: {exc}")
    thumb = StoredThumbnail(paper_id, made.image, made.width, made.height, made.digest)
    return ThumbnailAttempt(paper_id, now, thumbnail=thumb)
