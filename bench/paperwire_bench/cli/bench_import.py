"""``paperwire bench import``: import throughput and peak memory of a JSON Lines file."""

from __future__ import annotations

from pathlib import Path

import click

from paperwire.cli.options import json_option, report_figures
from paperwire_bench.importing import bench_import

__all__ = ["bench_import_command"]


@click.command("import", context_settings={"help_option_names": ["-h", "--help"]})
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--repeats", default=3, show_default=True, help="Timed runs; the median is reported.")
@json_option
def bench_import_command(file: Path, repeats: int, json_out: str | None) -> None:
    """Import throughput and peak memory for a JSON Lines FILE (gzipped or not).

    Each run imports FILE into a fresh temporary store (no embeddings). The
    baseline is reading and JSON-decoding the same file in the same run. Peak
    memory is measured on a tenth of the file and on all of it.

    \b
    Example:
      paperwire bench import arxiv_cs_daily.jsonl.gz --json bench-import.json
    """
    figures = bench_import(file, repeats=repeats)
    report_figures("paperwire bench import", figures, json_out)
