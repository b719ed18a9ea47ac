"""``paperwire bench web``: page server times and feed throughput on real servers."""

from __future__ import annotations

from pathlib import Path

import click
from rich.console import Console
from rich.table import Table

from paperwire.cli.options import emit_json, filled_db_option, json_option
from paperwire_bench.web import bench_web

__all__ = ["bench_web_command"]


@click.command("web", context_settings={"help_option_names": ["-h", "--help"]})
@filled_db_option
@click.option("--samples", default=60, show_default=True, help="Requests per page for the p50s.")
@click.option("--seconds", default=10.0, show_default=True, help="Length of each load run.")
@click.option("--connections", default=16, show_default=True, help="Concurrent connections.")
@click.option("--workers", default=2, show_default=True, help="Server processes under load.")
@json_option
def bench_web_command(
    db_path: Path,
    samples: int,
    seconds: float,
    connections: int,
    workers: int,
    json_out: str | None,
) -> None:
    """Server time (p50) of the main pages, uncached and cached, the bytes each page puts
    on the wire uncompressed, with gzip and with brotli, and requests per second for
    the daily feed under a loopback load generator; a static file is the baseline.

    \b
    Example:
      paperwire bench web --db /tmp/bench.db --json bench-web.json
    """
    try:
        figures = bench_web(db_path, samples, seconds, connections, workers)
    except (ValueError, RuntimeError) as exc:
        raise click.ClickException(str(exc)) from exc
    table = Table(title="paperwire bench web", show_header=True)
    table.add_column("page")
    table.add_column("p50 ms, uncached", justify="right")
    table.add_column("p50 ms, cached", justify="right")
    table.add_column("bytes sent", justify="right")
    table.add_column("gzip", justify="right")
    table.add_column("brotli", justify="right")
    uncached = figures["server_p50_ms_uncached"]
    cached = figures["server_p50_ms_cached"]
    sent = figures["transferred_bytes"]
    assert isinstance(uncached, dict) and isinstance(cached, dict) and isinstance(sent, dict)
    for page, value in uncached.items():
        size = sent.get(page, {})
        table.add_row(
            page,
            str(value),
            str(cached.get(page)),
            *(f"{size.get(name, 0):,.0f}" for name in ("identity", "gzip", "br")),
        )
    console = Console(stderr=json_out == "-")
    console.print(table)
    for name in ("load_feed", "load_static_baseline"):
        load = figures[name]
        assert isinstance(load, dict)
        console.print(
            f"{name}: {load['requests_per_second']} req/s on {load['path']} "
            f"({load['connections']} connections, {workers} workers, "
            f"p50 {load['latency_p50_ms']} ms)"
        )
    emit_json(figures, json_out)
