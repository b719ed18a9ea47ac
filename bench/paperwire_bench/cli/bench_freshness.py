"""``paperwire bench freshness``: delay from each arXiv announcement to the served site."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import click
from rich.console import Console

from paperwire.cli.options import json_option, report_figures
from paperwire_bench.beir import SharedDataMissing, shared_data_dir
from paperwire_bench.freshness import run_freshness
from paperwire_bench.recs_data import ARXIV_CS_FILE

__all__ = ["bench_freshness_command"]


@click.command("freshness", context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--start",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default="2026-11-22",
    show_default=True,
    help="The simulated week's first day (the default week holds Thanksgiving).",
)
@click.option("--days", type=click.IntRange(3, 31), default=8, show_default=True)
@click.option(
    "--papers", type=click.IntRange(1, 500), default=60, show_default=True,
    help="Papers per announcement.",
)  # fmt: skip
@click.option(
    "--late-minutes", type=click.FloatRange(0, 600), default=40.0, show_default=True,
    help="How late the week's third announcement comes.",
)  # fmt: skip
@click.option(
    "--listings",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    help="arXiv daily-listing JSONL whose papers fill the week (default: the shared "
    "arXiv listings where present, else made-up papers).",
)
@click.option("--synthetic", is_flag=True, help="Made-up papers, even where real ones are present.")
@json_option
def bench_freshness_command(
    start: datetime,
    days: int,
    papers: int,
    late_minutes: float,
    listings: Path | None,
    synthetic: bool,
    json_out: str | None,
) -> None:
    """Replay a simulated week of arXiv announcements (holidays, one late) and Hugging
    Face lists on loopback, each source publishing when arXiv says it does, and run
    the real scheduler, sync and web site by a simulated clock: the delay from each
    announcement until its papers can be read on `/` and in `/api/daily_papers`,
    p50 and maximum, for the polling schedule and, as the baseline, the schedule
    before it (20:30 ET feed and API, Hugging Face hourly), in the same run.

    \b
    Example:
      paperwire bench freshness --json freshness.json
    """
    first: date = start.date()
    if listings is None and not synthetic:
        try:
            found = shared_data_dir() / ARXIV_CS_FILE
            listings = found if found.is_file() else None
        except SharedDataMissing:
            listings = None
    with Console(stderr=True).status(f"replaying {days} days from {first}"):
        try:
            figures = run_freshness(
                first, days, papers, late_minutes, None if synthetic else listings
            )
        except (ValueError, RuntimeError) as exc:
            raise click.ClickException(str(exc)) from exc
    report_figures("paperwire bench freshness", figures, json_out, hidden=("schedules",))
