"""``paperwire bench soak``: errors, latency and memory of a server under a steady load."""

from __future__ import annotations

from pathlib import Path

import click
from rich.console import Console

from paperwire.cli.options import filled_db_option, json_option, report_figures
from paperwire_bench.soak import run_soak

__all__ = ["bench_soak_command"]


@click.command("soak", context_settings={"help_option_names": ["-h", "--help"]})
@filled_db_option
@click.option("--seconds", default=300.0, show_default=True, help="How long the load runs.")
@click.option("--rate", default=40.0, show_default=True, help="Requests per second, steady.")
@click.option("--sample-every", default=2.0, show_default=True, help="Seconds between samples.")
@json_option
def bench_soak_command(
    db_path: Path, seconds: float, rate: float, sample_every: float, json_out: str | None
) -> None:
    """A steady load on a real `paperwire serve` (feed, trending, search, paper pages,
    JSON API) for SECONDS: errors, p50/p99 latency, and the server's resident
    memory at start and end with its slope (a leak shows as a steady slope).

    \b
    Example:
      paperwire bench soak --db /tmp/bench.db --seconds 300 --json soak.json
    """
    if seconds <= 0 or rate <= 0 or sample_every <= 0:
        raise click.ClickException("--seconds, --rate and --sample-every must be positive")
    with Console(stderr=True).status(f"loading the server for {seconds:.0f} s"):
        try:
            figures = run_soak(db_path, seconds, rate, sample_every)
        except (ValueError, RuntimeError) as exc:
            raise click.ClickException(str(exc)) from exc
    report_figures("paperwire bench soak", figures, json_out, hidden=("rss_samples",))
