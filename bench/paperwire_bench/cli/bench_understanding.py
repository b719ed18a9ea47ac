"""``paperwire bench understanding``: keyphrase throughput against paper embedding."""

from __future__ import annotations

from pathlib import Path

import click

from paperwire.cli.options import json_option, report_figures
from paperwire.search.embedding import DEFAULT_BACKEND
from paperwire_bench.cli.inputs import embedding_backend, input_or_shared
from paperwire_bench.recs_data import ARXIV_CS_FILE
from paperwire_bench.understanding import DEFAULT_COUNT, bench_understanding

__all__ = ["bench_understanding_command"]


@click.command("understanding", context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--input",
    "input_path",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="An arXiv listing file (default: the shared data's arxiv-cs file).",
)
@click.option(
    "--count",
    default=DEFAULT_COUNT,
    show_default=True,
    type=click.IntRange(min=1),
    help="How many of its first papers to use.",
)
@click.option("--model", default=DEFAULT_BACKEND, show_default=True, help="Embedding backend.")
@click.option(
    "--vectors/--no-vectors",
    default=True,
    show_default=True,
    help="Also time an import with vector indexing (it embeds every paper).",
)
@json_option
def bench_understanding_command(
    input_path: Path | None, count: int, model: str, vectors: bool, json_out: str | None
) -> None:
    """Keyphrase throughput against the paper-embedding throughput, in one run.

    Also what understanding adds to an import plus indexing of the same
    papers (a ratio; the target is at most 1.5), with vectors and keyword
    only. Targets: docs/KEYPHRASES.md.

    \b
    Example:
      paperwire bench understanding --count 2000 --json bench-understanding.json
    """
    input_path = input_or_shared(input_path, ARXIV_CS_FILE, "--input FILE")
    backend = embedding_backend(model)
    try:
        figures = bench_understanding(
            input_path,
            backend,
            count,
            tell=lambda step: click.echo(f"{step}...", err=True),
            vectors=vectors,
        )
    except ValueError as exc:
        raise click.ClickException(str(exc)) from exc
    report_figures("paperwire bench understanding", figures, json_out)
