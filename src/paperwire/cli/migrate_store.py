"""``paperwire migrate-store SRC DST``: copy a whole store between SQLite and PostgreSQL."""

from __future__ import annotations

import click
from rich.console import Console
from rich.table import Table

from paperwire.cli.options import STORE, counted_progress, emit_json, json_option
from paperwire.store import StoreLocation, open_store_at
from paperwire.store.papers import PapersMixin
from paperwire.store.transfer import TABLES, StoreNotEmpty, TransferReport, copy_store

__all__ = ["migrate_store_command"]

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


@click.command("migrate-store", context_settings=CONTEXT)
@click.argument("source", type=STORE)
@click.argument("destination", type=STORE)
@json_option
def migrate_store_command(
    source: StoreLocation, destination: StoreLocation, json_out: str | None
) -> None:
    """Copy everything from SOURCE to the empty DESTINATION, then verify the copy.

    Papers, embeddings, users and sessions, votes, libraries, follows,
    subscribers and the outbox: every table, in one transaction on the
    destination (a failed copy leaves it empty). Each store is a SQLite file
    or a postgresql:// URL. Afterwards every table's row count and checksum
    are compared; any difference exits with status 1. Stop the service first:
    rows written during the copy are not in it.

    \b
    Example:
      paperwire migrate-store ~/.local/share/paperwire/paperwire.db \\
          postgresql://paperwire@localhost/paperwire
    """
    src = _open(source)
    try:
        dst = _open(destination)
        try:
            report = _copy(src, dst)
        finally:
            dst.close()
    finally:
        src.close()
    _print(report)
    emit_json(_figures(report), json_out)
    if not report.identical:
        raise click.ClickException(
            f"the copy differs from the source in {', '.join(report.differences())}"
        )


def _open(location: StoreLocation) -> PapersMixin:
    try:
        return open_store_at(location)
    except (ValueError, RuntimeError, OSError) as exc:
        raise click.ClickException(str(exc)) from exc


def _copy(src: PapersMixin, dst: PapersMixin) -> TransferReport:
    with counted_progress() as progress:
        tasks: dict[str, int] = {}

        def advance(table: str, copied: int) -> None:
            if table not in tasks:
                tasks[table] = progress.add_task(f"copying {table}", total=None)
            progress.update(tasks[table], completed=copied)

        try:
            return copy_store(src, dst, advance)
        except (StoreNotEmpty, RuntimeError) as exc:
            raise click.ClickException(str(exc)) from exc


def _print(report: TransferReport) -> None:
    table = Table(title="migrate-store: rows and checksums")
    for column in ("table", "rows", "source checksum", "copy"):
        table.add_column(column, justify="right" if column == "rows" else "left")
    for name in TABLES:
        src, dst = report.source[name], report.destination[name]
        verdict = "identical" if src == dst else f"DIFFERS ({dst.rows} rows)"
        table.add_row(name, str(src.rows), src.checksum[:16], verdict)
    Console().print(table)


def _figures(report: TransferReport) -> dict[str, object]:
    return {
        "identical": report.identical,
        "tables": {
            name: {
                "rows": report.source[name].rows,
                "checksum": report.source[name].checksum,
                "copy_rows": report.destination[name].rows,
                "copy_checksum": report.destination[name].checksum,
            }
            for name in TABLES
        },
    }
