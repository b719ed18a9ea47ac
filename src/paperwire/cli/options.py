"""Options shared by many commands (the store to open, JSON output) and how they resolve."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

from paperwire.config import load_settings
from paperwire.store import SQLiteStore, open_store

__all__ = ["counted_progress", "db_option", "emit_json", "json_option", "open_cli_store"]

F = TypeVar("F", bound=Callable[..., Any])


def db_option(func: F) -> F:
    return click.option(
        "--db",
        "db_path",
        type=click.Path(dir_okay=False, path_type=Path),
        envvar="PAPERWIRE_DB",
        help="SQLite file to use instead of the one in $PAPERWIRE_HOME.",
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


def open_cli_store(db_path: Path | None) -> SQLiteStore:
    try:
        return open_store(load_settings(), db_path)
    except (NotImplementedError, RuntimeError, OSError) as exc:
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
