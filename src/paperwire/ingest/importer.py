"""Import files into a store: detect each file's format, stream its records,
upsert them in batches, and count what happened.

A ``Deletion`` (an OAI-PMH deleted record) marks the stored paper deleted and
keeps it (``store.merge`` says when a deletion applies); one for a paper the
store does not hold is counted as skipped.

Each batch is one transaction (its deletions a second one), so an import killed
at any point leaves the store consistent, and running it again completes it
(upserts and deletions are idempotent).
Memory stays flat: records are read, merged and written a batch at a time.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from paperwire.ingest.detect import FORMATS, UnknownFormat, detect_format
from paperwire.ingest.reader import Source, open_source
from paperwire.ingest.records import Deletion, Record, Rejection
from paperwire.ingest.xml import XmlError
from paperwire.model import Paper
from paperwire.store.base import DeletionCounts, PaperStore, UpsertCounts

__all__ = ["ImportReport", "ProgressCallback", "import_paths", "import_records"]

ProgressCallback = Callable[[str, int, int | None], None]
"""Called as (file name, bytes read so far, total bytes or None)."""

KEEP_REJECTIONS = 1000  # reported in full up to this many; counted beyond


@dataclass
class ImportReport:
    files: int = 0
    records: int = 0
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0
    deleted: int = 0  # stored papers this import marked deleted
    skipped: int = 0  # deletions of papers this store does not hold
    unread_files: int = 0  # files that could not be opened, recognised or read at all
    seconds: float = 0.0
    rejections: list[Rejection] = field(default_factory=list)
    formats: dict[str, str] = field(default_factory=dict)

    def add_counts(self, counts: UpsertCounts) -> None:
        self.new += counts.new
        self.updated += counts.updated
        self.unchanged += counts.unchanged

    def add_deletions(self, counts: DeletionCounts) -> None:
        self.deleted += counts.deleted
        self.unchanged += counts.unchanged  # known already, or older than the paper's last version
        self.skipped += counts.unknown

    def reject(self, rejection: Rejection) -> None:
        self.rejected += 1
        if len(self.rejections) < KEEP_REJECTIONS:
            self.rejections.append(rejection)

    @property
    def accepted(self) -> int:
        """Records read and applied, or found already applied (every count but rejected)."""
        return self.new + self.updated + self.unchanged + self.deleted + self.skipped

    def failure(self) -> str | None:
        """Why the run as a whole failed, or None: a file could not be read, or every
        record was rejected (so that ``import && reindex`` and cron see it)."""
        if self.unread_files:
            return f"{self.unread_files} of {self.files} file(s) could not be read"
        if self.rejected and not self.accepted:
            return "every record was rejected: nothing was imported"
        return None

    def figures(self) -> dict[str, object]:
        return {
            "files": self.files,
            "records": self.records,
            "new": self.new,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "rejected": self.rejected,
            "deleted": self.deleted,
            "skipped": self.skipped,
            "unread_files": self.unread_files,
            "seconds": round(self.seconds, 3),
            "papers_per_second": round(self.records / self.seconds, 1) if self.seconds else None,
            "formats": self.formats,
            "rejections": [str(r) for r in self.rejections],
        }


def import_paths(
    store: PaperStore,
    paths: Iterable[str | Path],
    *,
    batch_size: int = 1000,
    progress: ProgressCallback | None = None,
) -> ImportReport:
    """Import every file; a file that cannot be read is one rejection, not the end."""
    report = ImportReport()
    started = time.perf_counter()
    for path in paths:
        report.files += 1
        try:
            source = open_source(path)
        except OSError as exc:
            report.reject(Rejection(str(path), f"cannot open: {exc.strerror or exc}"))
            report.unread_files += 1
            continue
        try:
            _import_source(store, source, report, batch_size, progress)
        finally:
            source.close()
    report.seconds = time.perf_counter() - started
    return report


def import_records(
    store: PaperStore,
    records: Iterable[Record],
    batch_size: int = 1000,
    *,
    listed_in: Collection[str] | None = None,
) -> ImportReport:
    """Import already-parsed records (from a client, say) with the same batching and counts.

    ``listed_in``: the arXiv categories whose listings the records were asked for
    (a sync's query); each record's listing day is held in those of its categories
    only (``PaperStore.upsert_papers``). None: in every one.
    """
    report = ImportReport()
    started = time.perf_counter()
    _upsert_stream(store, records, report, batch_size, lambda: None, listed_in)
    report.seconds = time.perf_counter() - started
    return report


def _import_source(
    store: PaperStore,
    source: Source,
    report: ImportReport,
    batch_size: int,
    progress: ProgressCallback | None,
) -> None:
    try:
        fmt = detect_format(source.head())
    except UnknownFormat as exc:
        report.reject(Rejection(source.name, str(exc)))
        report.unread_files += 1
        return
    except (OSError, EOFError) as exc:
        report.reject(Rejection(source.name, f"unreadable: {exc}"))
        report.unread_files += 1
        return
    report.formats[source.name] = fmt
    records = FORMATS[fmt](source.stream, source.name)

    def tick() -> None:
        if progress:
            progress(source.name, source.bytes_read, source.size)

    try:
        _upsert_stream(store, records, report, batch_size, tick)
    except XmlError as exc:
        report.reject(Rejection(source.name, str(exc)))
    except (OSError, EOFError) as exc:
        # A truncated gzip stream: what was read before the damage is kept.
        report.reject(Rejection(source.name, f"unreadable past byte {source.bytes_read}: {exc}"))
    tick()


def _upsert_stream(
    store: PaperStore,
    records: Iterable[Record],
    report: ImportReport,
    batch_size: int,
    tick: Callable[[], None],
    listed_in: Collection[str] | None = None,
) -> None:
    batch: list[Paper] = []
    deletions: list[Deletion] = []
    try:
        for record in records:
            if isinstance(record, Rejection):
                report.reject(record)
                continue
            if isinstance(record, Deletion):
                deletions.append(record)
            else:
                report.records += 1
                batch.append(record)
            if len(batch) + len(deletions) >= batch_size:
                _write(store, batch, deletions, report, listed_in)
                batch, deletions = [], []
                tick()
    finally:
        # Records read before a malformed tail are good: keep them.
        _write(store, batch, deletions, report, listed_in)


def _write(
    store: PaperStore,
    batch: list[Paper],
    deletions: list[Deletion],
    report: ImportReport,
    listed_in: Collection[str] | None,
) -> None:
    # Papers first, so a deletion finds a paper stored earlier in its own batch; the
    # outcome does not depend on the order otherwise (see ``store.merge``).
    if batch:
        report.add_counts(store.upsert_papers(batch, listed_in=listed_in))
    if deletions:
        report.add_deletions(store.mark_deleted((d.paper_id, d.day) for d in deletions))
