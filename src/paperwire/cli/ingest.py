"""Commands that pull papers from the network: ``sync``, ``fetch``, ``harvest``."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime

import click
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn
from rich.table import Table

from paperwire.cli.options import db_option, emit_json, json_option, open_cli_store
from paperwire.config import Settings, SettingsError, load_settings, without_password
from paperwire.ids import InvalidArxivId
from paperwire.ingest.fetch import PaperNotFound, fetch_paper
from paperwire.ingest.formats.atom import ArxivApiError
from paperwire.ingest.harvest import HarvestError, HarvestReport, HarvestSpec, harvest
from paperwire.ingest.http import FetchError
from paperwire.ingest.oai_client import PREFIXES, OaiClient
from paperwire.ingest.sync import ALL_SOURCES, SOURCES, SyncReport, sync
from paperwire.ingest.sync_report import record_sync_report
from paperwire.store import PaperStore, StoreLocation
from paperwire.store.locks import JobBusy

__all__ = ["fetch_command", "harvest_command", "sync_command"]

console = Console(stderr=True)
DAY = click.DateTime(formats=["%Y-%m-%d"])


@click.command("sync")
@click.option(
    "--source",
    "sources",
    multiple=True,
    type=click.Choice(ALL_SOURCES),
    help="Sync only this source (repeatable; default: arxiv and hf). 'listing' reads "
    "arXiv's new listings, which show an announcement from 20:00 US Eastern.",
)
@click.option(
    "--backfill-days",
    type=click.IntRange(0, 366),
    default=None,
    help="Days a first sync pulls (default: $PAPERWIRE_BACKFILL_DAYS, else 7).",
)
@click.option(
    "--since",
    type=DAY,
    default=None,
    help="Fill every announcement day from this day (YYYY-MM-DD) on that the store does "
    "not hold, with no limit.",
)
@db_option
@json_option
def sync_command(
    sources: tuple[str, ...],
    backfill_days: int | None,
    since: datetime | None,
    db_path: StoreLocation | None,
    json_out: str | None,
) -> None:
    """Pull what arXiv announced and Hugging Face listed since the newest day held.

    arXiv: the configured categories ($PAPERWIRE_CATEGORIES); Hugging Face: the
    daily papers with their upvotes. Each category goes on from the newest
    listing day the store holds for it (an imported archive counts), at most
    $PAPERWIRE_SYNC_FILL_DAYS announcement days (default 60); an older rest is
    reported with the command that fills it. A store that holds nothing yet
    pulls the last --backfill-days days. Safe to run from cron: a second sync
    started while one runs stops at once, and a sync with nothing new changes
    nothing. `paperwire status` lists the days still missing.

    \b
    Example:
      paperwire sync --json sync-report.json
      paperwire sync --source arxiv --since 2026-07-02
    """
    settings = _settings()
    if backfill_days is not None:
        settings = replace(settings, backfill_days=backfill_days)
    store = open_cli_store(db_path)
    try:
        with console.status("syncing") as status:
            report = sync(
                store,
                settings,
                sources=sources or SOURCES,
                since=_date(since),
                progress=lambda message: status.update(message),
            )
        record_sync_report(store, report)  # for /status, as the scheduled sync does
    except JobBusy as exc:
        raise click.ClickException(str(exc)) from exc
    finally:
        store.close()
    _print_sync(report)
    for unfilled in report.unfilled:
        advice = unfilled.describe(report.fill_limit) + _db_words(db_path)
        console.print(f"[yellow]not filled[/] {advice}", highlight=False, soft_wrap=True)
    emit_json(report.figures(), json_out)
    if not report.ok:
        failed = "; ".join(f"{s.source}: {s.error}" for s in report.steps if s.error)
        raise click.ClickException(f"sync incomplete ({failed}); run it again later")


def _print_sync(report: SyncReport) -> None:
    table = Table(title="sync", show_lines=False)
    for column in ("source", "covered", "new", "updated", "unchanged", "rejected", "result"):
        table.add_column(column)
    for step in report.steps:
        result = "[red]failed[/]" if step.error else "[green]ok[/]"
        numbers = (step.new, step.updated, step.unchanged, step.rejected)
        table.add_row(step.source, step.covered, *map(str, numbers), result)
    console.print(table)
    for step in report.steps:
        for rejection in step.rejections:
            console.print(f"[yellow]rejected[/] {rejection}", highlight=False)


@click.command("fetch")
@click.argument("paper")
@db_option
@json_option
def fetch_command(paper: str, db_path: StoreLocation | None, json_out: str | None) -> None:
    """Fetch one paper from the arXiv API, by id or URL, and store it.

    \b
    Example:
      paperwire fetch https://arxiv.org/abs/1706.03762
    """
    settings = _settings()
    store = open_cli_store(db_path)
    try:
        found = fetch_paper(store, paper, settings)
    except (InvalidArxivId, PaperNotFound, ArxivApiError, FetchError) as exc:
        raise click.ClickException(str(exc)) from exc
    finally:
        store.close()
    version = f"v{found.version}" if found.version else ""
    console.print(f"stored {found.id}{version}: {found.title}", highlight=False)
    emit_json(found.to_dict(), json_out)


@click.command("harvest")
@click.option("--set", "set_spec", help="OAI-PMH set, e.g. cs, math, physics:hep-th.")
@click.option("--from", "from_day", type=DAY, help="First datestamp (YYYY-MM-DD).")
@click.option("--until", type=DAY, help="Last datestamp (YYYY-MM-DD).")
@click.option("--prefix", type=click.Choice(PREFIXES), default="arXiv", show_default=True)
@click.option("--restart", is_flag=True, help="Ignore the checkpoint and start from page 1.")
@db_option
@json_option
def harvest_command(
    set_spec: str | None,
    from_day: datetime | None,
    until: datetime | None,
    prefix: str,
    restart: bool,
    db_path: StoreLocation | None,
    json_out: str | None,
) -> None:
    """Harvest arXiv metadata in bulk over OAI-PMH, resumably.

    A checkpoint is stored after every page: when a harvest is interrupted,
    running the same command again resumes it where it stopped, with no gap
    and no duplicate. arXivRaw gives the full version history.

    \b
    Example:
      paperwire harvest --set cs --from 2025-01-01 --prefix arXivRaw
    """
    settings = _settings()
    spec = HarvestSpec(prefix, set_spec, _date(from_day), _date(until))
    store = open_cli_store(db_path)
    try:
        report = _run_harvest(store, settings, spec, restart)
    except HarvestError as exc:
        _print_harvest(exc.report)
        emit_json(exc.report.figures(), json_out)
        raise click.ClickException(str(exc)) from exc
    finally:
        store.close()
    _print_harvest(report)
    emit_json(report.figures(), json_out)


def _run_harvest(
    store: PaperStore, settings: Settings, spec: HarvestSpec, restart: bool
) -> HarvestReport:
    columns = (
        SpinnerColumn(),
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
    )
    with Progress(*columns, console=console, transient=True) as progress:
        task = progress.add_task("harvesting", total=None)

        def on_page(report: HarvestReport) -> None:
            description = f"page {report.total_pages}, {report.new} new"
            progress.update(
                task,
                description=description,
                completed=report.total_records,
                total=report.complete_size,
            )

        with OaiClient.from_settings(settings) as client:
            return harvest(store, client, spec, restart=restart, progress=on_page)


def _skipped(skipped: int) -> str:
    return f", {skipped} deletions of papers not stored here skipped" if skipped else ""


def _print_harvest(report: HarvestReport) -> None:
    for rejection in report.rejections:
        console.print(f"[yellow]rejected[/] {rejection}", highlight=False)
    resumed = f" (resumed at page {report.resumed_at_page})" if report.resumed_at_page else ""
    state = "complete" if report.complete else "[red]incomplete[/]"
    console.print(
        f"harvest {report.key} {state}{resumed}: {report.pages} pages, {report.records} records "
        f"this run ([green]{report.new} new[/], {report.updated} updated, "
        f"{report.unchanged} unchanged, {report.rejected} rejected, {report.deleted} deleted"
        f"{_skipped(report.skipped)}); "
        f"{report.total_records} records in {report.total_pages} pages in all",
        highlight=False,
    )


def _db_words(db_path: StoreLocation | None) -> str:
    """The ``--db`` part of a suggested command, for a store named on this command line."""
    return f" --db {without_password(str(db_path))}" if db_path is not None else ""


def _settings() -> Settings:
    try:
        return load_settings()
    except SettingsError as exc:
        raise click.ClickException(str(exc)) from exc


def _date(value: datetime | None) -> date | None:
    return value.date() if value else None
