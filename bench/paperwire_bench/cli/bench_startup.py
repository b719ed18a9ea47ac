"""``paperwire bench startup``: how fast the command line starts, and how much memory."""

from __future__ import annotations

import click

from paperwire.cli.options import STORE, json_option, report_figures
from paperwire.store import StoreLocation
from paperwire_bench.startup import bench_startup

__all__ = ["bench_startup_command"]


@click.command("startup", context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--db", "db_path", type=STORE, required=True, help="The store `paperwire stats` reads."
)
@click.option("--repeats", default=5, show_default=True, type=click.IntRange(1, 100))
@json_option
def bench_startup_command(db_path: StoreLocation, repeats: int, json_out: str | None) -> None:
    """Wall time and peak memory of `paperwire --help` and `paperwire stats`.

    Each runs in a fresh interpreter REPEATS times; the medians are compared with
    `python -c "import click, rich"` run alongside (the ratios).

    \b
    Example:
      paperwire bench startup --db bench.db --json startup.json
    """
    try:
        figures = bench_startup(db_path, repeats)
    except RuntimeError as exc:
        raise click.ClickException(str(exc)) from exc
    report_figures("paperwire bench startup", figures, json_out)
