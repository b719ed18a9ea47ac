"""Papers in and out of the store: ``import`` (any supported format) and ``export``."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from rich.console import Console
from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TimeRemainingColumn

from paperwire.cli.engine_options import (
    model_option,
    opened_search,
    progress_bar,
    report_index_state,
)
from paperwire.cli.options import db_option, emit_json, json_option, open_cli_store
from paperwire.cli.understanding import understand_changes
from paperwire.ingest import ImportReport, import_paths
from paperwire.ingest.formats.export import write_export
from paperwire.store import PaperStore, StoreLocation

__all__ = ["export_command", "import_command"]

console = Console(stderr=True)


@click.command("import")
@click.argument("files", nargs=-1, required=True, type=click.Path(allow_dash=True))
@click.option("--batch-size", default=1000, show_default=True, help="Records per transaction.")
@click.option(
    "--index/--no-index",
    "update_index",
    default=True,
    show_default=True,
    help=(
        "Bring the search index up to date afterwards: a keyword index is built at once "
        "if there is none; an index with vectors embeds the new papers."
    ),
)
@model_option
@db_option
@json_option
def import_command(
    files: tuple[str, ...],
    batch_size: int,
    update_index: bool,
    model: str | None,
    db_path: StoreLocation | None,
    json_out: str | None,
) -> None:
    """Import papers from FILES ('-' reads standard input); the format is detected from content.

    \b
    Formats: arXiv API Atom (also recorded {"url","status_code","body"} responses),
    OAI-PMH (arXiv, arXivRaw), Hugging Face daily_papers JSON and its normalised
    JSONL, arXiv daily-listing JSONL, BEIR corpus JSONL, paperwire export JSONL;
    any of them gzipped. Re-importing a file changes nothing; community facts
    (upvotes, listing day, stars) are never lost. The exit status is 1 when a
    file could not be read or every record was rejected (the good records of
    the other files are kept).

    \b
    Example:
      paperwire import listing.jsonl.gz hf-daily.json --json report.json
    """
    store = open_cli_store(db_path)
    try:
        report = _run_import(store, files, batch_size)
        _print_report(report)
        if report.new or report.updated or report.deleted:
            understand_changes(store)
    finally:
        store.close()
    if update_index and (report.new or report.updated or report.deleted):
        _update_search_index(db_path, model)
    emit_json(report.figures(), json_out)
    failure = report.failure()
    if failure is not None:  # the good records are kept; the exit status tells cron
        raise click.ClickException(f"{failure} (the rejections above say where and why)")


def _update_search_index(db_path: StoreLocation | None, model: str | None) -> None:
    # A first bulk import gets a keyword index at once (seconds); its vectors are
    # embedded in the background by the service, never here unasked.
    with (
        opened_search(db_path, model, catch_up=False) as service,
        progress_bar("indexing new papers") as progress,
    ):
        indexed = service.catch_up(progress)
        if indexed is not None:
            built = "built" if indexed.rebuilt else "updated"
            console.print(f"search index {built}: {indexed.papers} papers")
        report_index_state(service)


def _run_import(store: PaperStore, files: tuple[str, ...], batch_size: int) -> ImportReport:
    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        DownloadColumn(),
        TimeRemainingColumn(),
    )
    with Progress(*columns, console=console, transient=True) as progress:
        tasks: dict[str, int] = {}

        def on_progress(name: str, done: int, total: int | None) -> None:
            if name not in tasks:
                tasks[name] = progress.add_task(Path(name).name, total=total)
            progress.update(tasks[name], completed=done)

        return import_paths(store, files, batch_size=batch_size, progress=on_progress)


def _print_report(report: ImportReport) -> None:
    for rejection in report.rejections:
        console.print(f"[yellow]rejected[/] {rejection}", markup=True, highlight=False)
    if report.rejected > len(report.rejections):
        console.print(f"... and {report.rejected - len(report.rejections)} more rejections")
    rate = f" ({report.records / report.seconds:,.0f} records/s)" if report.seconds else ""
    console.print(
        f"{report.files} file(s), {report.records} records in {report.seconds:.1f}s{rate}: "
        f"[green]{report.new} new[/], {report.updated} updated, {report.unchanged} unchanged, "
        f"[{'red' if report.rejected else 'green'}]{report.rejected} rejected[/], "
        f"{report.deleted} deleted"
        + (
            f", {report.skipped} deletions of papers not stored here skipped"
            if report.skipped
            else ""
        )
    )


@click.command("export")
@click.argument("out", type=click.Path(dir_okay=False, allow_dash=True), default="-")
@db_option
def export_command(out: str, db_path: StoreLocation | None) -> None:
    """Write every paper as paperwire JSONL to OUT (default: standard output).

    The export round-trips: `paperwire import` of it into an empty store gives
    identical records, community facts and version history included.

    \b
    Example:
      paperwire export backup.jsonl && paperwire --db new.db import backup.jsonl
    """
    store = open_cli_store(db_path)
    try:
        if out == "-":
            count = write_export(store.iter_papers(), sys.stdout)
        else:
            partial = Path(out).with_name(Path(out).name + ".partial")
            with partial.open("w", encoding="utf-8") as handle:
                count = write_export(store.iter_papers(), handle)
            partial.replace(out)
    finally:
        store.close()
    console.print(f"exported {count} papers")
