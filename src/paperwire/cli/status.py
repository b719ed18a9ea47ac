"""``paperwire status``: the announcement days the store lacks, and each source's last sync."""

from __future__ import annotations

from datetime import date

import click
from rich.console import Console
from rich.table import Table

from paperwire.cli.options import db_option, emit_json, json_option, open_cli_store
from paperwire.config import SettingsError, load_settings
from paperwire.ingest.coverage import CategoryCoverage, StoreStatus, store_status
from paperwire.store import StoreLocation

__all__ = ["status_command"]

SHOWN_RANGES = 12  # runs of missing days printed per category; --json lists them all


@click.command("status")
@click.option(
    "--max-age",
    type=click.FloatRange(min=0),
    default=None,
    metavar="HOURS",
    help="A source whose last successful sync is older is stale "
    "(default: $PAPERWIRE_SYNC_MAX_AGE_HOURS, else 96).",
)
@db_option
@json_option
def status_command(
    max_age: float | None, db_path: StoreLocation | None, json_out: str | None
) -> None:
    """Missing announcement days per category, and each source's last successful sync.

    For each category a sync follows (the arXiv categories of $PAPERWIRE_CATEGORIES,
    and Hugging Face's daily papers): every past announcement day, from the oldest
    listing day the store holds for that source to today, of which the store holds
    no papers. Weekends (and the days arXiv announces nothing) are not announcement
    days. Runs of days are shown as ranges; --json lists every day. Exits with 1
    when a source is stale (its last successful sync older than --max-age hours,
    or none), so monitoring notices; `paperwire sync --since DAY` fills the days.

    \b
    Example:
      paperwire status --max-age 48 --json status.json
    """
    try:
        settings = load_settings()
    except SettingsError as exc:
        raise click.ClickException(str(exc)) from exc
    store = open_cli_store(db_path)
    try:
        status = store_status(store, settings, max_age_hours=max_age)
    finally:
        store.close()
    _print_status(status, Console(stderr=json_out == "-"))
    emit_json(status.figures(), json_out)
    if status.stale:
        raise click.ClickException("stale: " + "; ".join(_staleness(status)))


def _print_status(status: StoreStatus, console: Console) -> None:
    syncs = Table(title="last successful sync")
    for column in ("source", "when", "hours ago", "state"):
        syncs.add_column(column)
    for source in status.sources:
        when = source.last_success.isoformat() if source.last_success else "never"
        age = "-" if source.age_hours is None else f"{source.age_hours:.1f}"
        state = "[red]stale[/]" if source.stale else "[green]ok[/]"
        syncs.add_row(source.source, when, age, state)
    console.print(syncs)
    days = Table(title=f"missing announcement days, to {status.at.date()}")
    for column in ("category", "held from", "missing", "days"):
        days.add_column(column)
    for category in status.categories:
        held_from = category.first.isoformat() if category.first else "nothing held"
        days.add_row(category.label, held_from, str(len(category.missing)), _ranges(category))
    console.print(days)


def _ranges(category: CategoryCoverage) -> str:
    runs = category.ranges
    shown = [_run(first, last) for first, last in runs[:SHOWN_RANGES]]
    if len(runs) > SHOWN_RANGES:
        shown.append(f"and {len(runs) - SHOWN_RANGES} more runs (--json lists every day)")
    return "\n".join(shown) or "-"


def _run(first: date, last: date) -> str:
    return first.isoformat() if first == last else f"{first}..{last}"


def _staleness(status: StoreStatus) -> list[str]:
    words = []
    for source in status.stale:
        if source.age_hours is None:
            words.append(f"{source.source} never synced successfully")
        else:
            words.append(
                f"{source.source} last synced successfully {source.age_hours:.1f} hours ago "
                f"(more than {status.max_age_hours:g})"
            )
    return words
