"""Options shared by many commands (the store to open, JSON output) and how they resolve."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

import click
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn
from rich.table import Table

from paperwire.config import load_settings
from paperwire.store import PaperStore, StoreLocation, is_postgres_url, open_store

__all__ = [
    "STORE",
    "StoreParam",
    "counted_progress",
    "db_option",
    "emit_json",
    "filled_db_option",
    "json_option",
    "open_cli_store",
    "report_figures",
    "staged_progress",
]

F = TypeVar("F", bound=Callable[..., Any])


class StoreParam(click.ParamType):
    """A store on the command line: a SQLite file, or a postgresql:// URL."""

    name = "FILE|URL"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if isinstance(value, Path) or is_postgres_url(value):
            return value
        if "://" in str(value):
            self.fail(f"{value!r} is neither a SQLite file nor a postgresql:// URL", param, ctx)
        return Path(value)


STORE = StoreParam()


def db_option(func: F) -> F:
    return click.option(
        "--db",
        "db_path",
        type=STORE,
        envvar="PAPERWIRE_DB",
        help="SQLite file, or postgresql:// URL, to use instead of the configured store.",
    )(func)


def filled_db_option(func: F) -> F:
    """A benchmark's store: an existing SQLite file, already filled and indexed."""
    return click.option(
        "--db",
        "db_path",
        required=True,
        type=click.Path(exists=True, dir_okay=False, path_type=Path),
        help="A filled store (with its search index beside it, from `paperwire reindex --db`).",
    )(func)


def json_option(func: F) -> F:
    return click.option(
        "--json",
        "json_out",
        is_flag=False,
        flag_value="-",
        default=None,
        metavar="OUT",
        help="Also write the figures as JSON to OUT ('--json' alone: standard output).",
    )(func)


def open_cli_store(db_path: StoreLocation | None) -> PaperStore:
    try:
        return open_store(load_settings(), db_path)
    except (ValueError, RuntimeError, OSError) as exc:
        raise click.ClickException(str(exc)) from exc


def emit_json(figures: dict[str, Any], json_out: str | None) -> None:
    """Write ``figures`` as JSON to a file, or to standard output for '-'."""
    if json_out is None:
        return
    text = json.dumps(figures, indent=2, ensure_ascii=False, default=str) + "\n"
    if json_out == "-":
        sys.stdout.write(text)
    else:
        Path(json_out).write_text(text, encoding="utf-8")


def report_figures(
    title: str, figures: dict[str, Any], json_out: str | None, hidden: tuple[str, ...] = ()
) -> None:
    """A benchmark's figures as a two-column table (on standard error when the JSON
    goes to standard output), and as JSON where ``--json`` asks."""
    table = Table(title=title, show_header=False)
    for name, value in figures.items():
        if name not in hidden:
            table.add_row(name, str(value))
    Console(stderr=json_out == "-").print(table)
    emit_json(figures, json_out)


def counted_progress() -> Progress:
    """The progress bar of long jobs that count items (done of total), on standard error."""
    return Progress(
        "[progress.description]{task.description}",
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=Console(stderr=True),
        transient=True,
    )


@contextmanager
def staged_progress() -> Iterator[Callable[[str, int, int], None]]:
    """A ``progress(stage, done, total)`` callback: one counted bar per stage, on standard error."""
    with counted_progress() as bar:
        tasks: dict[str, Any] = {}

        def update(stage: str, done: int, total: int) -> None:
            if stage not in tasks:
                tasks[stage] = bar.add_task(stage, total=total)
            bar.update(tasks[stage], completed=done, total=total)

        yield update
