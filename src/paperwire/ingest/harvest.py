"""Bulk harvest of arXiv over OAI-PMH, resumable page by page.

Each page's records are stored first and the checkpoint (the resumption
token of the next page) second, each in its own transaction. A harvest
killed anywhere therefore resumes at the first page whose checkpoint was not
written: at worst it fetches one page again, and storing a page twice changes
nothing (upserts are idempotent), so the result has no gap and no duplicate.

A harvest is named by its arguments (format, set, from, until): running the
same command again resumes it; once complete, running it again starts over.
An expired resumption token also starts it over, for the same reason.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from paperwire.ingest.http import FetchError
from paperwire.ingest.importer import ImportReport, import_records
from paperwire.ingest.oai_client import OaiClient, OaiError, OaiPage, OaiTruncated
from paperwire.ingest.records import Rejection
from paperwire.store.base import HarvestCheckpoint, PaperStore

__all__ = ["HarvestError", "HarvestReport", "HarvestSpec", "harvest"]


@dataclass(frozen=True, slots=True)
class HarvestSpec:
    prefix: str = "arXiv"
    set_spec: str | None = None
    from_day: date | None = None
    until: date | None = None

    @property
    def key(self) -> str:
        parts = (self.prefix, self.set_spec, self.from_day, self.until)
        return "oai:" + ":".join(str(p) if p else "*" for p in parts)


@dataclass
class HarvestReport:
    key: str
    pages: int = 0  # fetched by this run
    records: int = 0
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0
    deleted: int = 0  # stored papers OAI-PMH deleted records marked deleted
    skipped: int = 0  # deleted records of papers this store does not hold
    resumed_at_page: int | None = None
    restarted: bool = False
    complete: bool = False
    total_pages: int = 0  # over every run of this harvest
    total_records: int = 0
    complete_size: int | None = None
    rejections: list[Rejection] = field(default_factory=list)

    def add(self, page: OaiPage, imported: ImportReport) -> None:
        self.records += imported.records
        self.new += imported.new
        self.updated += imported.updated
        self.unchanged += imported.unchanged
        self.rejected += imported.rejected
        self.deleted += imported.deleted
        self.skipped += imported.skipped
        self.rejections.extend(imported.rejections[: max(0, 100 - len(self.rejections))])
        if page.complete_size is not None:
            self.complete_size = page.complete_size

    def figures(self) -> dict[str, object]:
        figures = {k: v for k, v in vars(self).items() if k != "rejections"}
        figures["rejections"] = [str(r) for r in self.rejections]
        return figures


class HarvestError(RuntimeError):
    """A harvest stopped before its end; ``report`` says how far it got."""

    def __init__(self, message: str, report: HarvestReport) -> None:
        super().__init__(message)
        self.report = report


ProgressCallback = Callable[[HarvestReport], None]


def harvest(
    store: PaperStore,
    client: OaiClient,
    spec: HarvestSpec,
    *,
    restart: bool = False,
    progress: ProgressCallback | None = None,
    batch_size: int = 1000,
) -> HarvestReport:
    """Harvest ``spec`` into ``store``, resuming from its checkpoint unless ``restart``."""
    report = HarvestReport(spec.key)
    checkpoint = None if restart else store.get_harvest_checkpoint(spec.key)
    if checkpoint is None or checkpoint.complete:
        checkpoint = HarvestCheckpoint(spec.key)
    else:
        report.resumed_at_page = checkpoint.pages + 1
    while True:
        page = _next_page(store, client, spec, checkpoint, report, batch_size)
        report.add(page, import_records(store, page.records, batch_size))
        report.pages += 1
        checkpoint.pages += 1
        checkpoint.records += page.papers
        checkpoint.token = page.token
        checkpoint.complete = page.token is None
        store.save_harvest_checkpoint(checkpoint)
        report.total_pages, report.total_records = checkpoint.pages, checkpoint.records
        report.complete = checkpoint.complete
        if progress:
            progress(report)
        if checkpoint.complete:
            return report


def _next_page(
    store: PaperStore,
    client: OaiClient,
    spec: HarvestSpec,
    checkpoint: HarvestCheckpoint,
    report: HarvestReport,
    batch_size: int,
) -> OaiPage:
    try:
        return _fetch(client, spec, checkpoint.token)
    except OaiError as exc:
        if exc.code != "badResumptionToken" or not checkpoint.token or report.restarted:
            message = f"harvest stopped at page {checkpoint.pages + 1}: {exc}"
            raise HarvestError(message, report) from None
        # The token expired (arXiv keeps them for hours): start again from the first page.
        report.restarted = True
        checkpoint.token, checkpoint.pages, checkpoint.records = None, 0, 0
        return _next_page(store, client, spec, checkpoint, report, batch_size)
    except OaiTruncated as exc:
        kept = import_records(store, exc.partial.records, batch_size)
        report.add(exc.partial, kept)
        raise HarvestError(
            f"harvest stopped at page {checkpoint.pages + 1}: {exc} (stored: {kept.records}); "
            "run the same command again to fetch the page again",
            report,
        ) from None
    except FetchError as exc:
        raise HarvestError(
            f"harvest stopped at page {checkpoint.pages + 1}: {exc}; run the same command "
            "again to resume from there",
            report,
        ) from None


def _fetch(client: OaiClient, spec: HarvestSpec, token: str | None) -> OaiPage:
    if token:
        return client.list_records(token=token)
    return client.list_records(
        prefix=spec.prefix, set_spec=spec.set_spec, from_day=spec.from_day, until=spec.until
    )
