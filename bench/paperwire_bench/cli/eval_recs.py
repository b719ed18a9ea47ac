"""``paperwire eval recs``: precision and nDCG of the "for you" model against a baseline."""

from __future__ import annotations

from pathlib import Path

import click
from rich.console import Console
from rich.table import Table

from paperwire.cli.options import emit_json, json_option, staged_progress
from paperwire.config import load_settings
from paperwire.search.embedding import DEFAULT_BACKEND
from paperwire_bench.cli.inputs import embedding_backend, input_or_shared, require_file
from paperwire_bench.recs_data import ARXIV_CS_FILE, Protocol
from paperwire_bench.recs_eval import evaluate_recs

__all__ = ["eval_recs_command"]

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}
_DEFAULTS = Protocol()  # the documented evaluation run


@click.command("recs", context_settings=CONTEXT)
@click.option(
    "--data",
    "data_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="The arXiv listing set (default: the shared data's arxiv-cs file).",
)
@click.option("--users", default=_DEFAULTS.users, show_default=True, type=click.IntRange(1, 5000))
@click.option(
    "--candidates", default=_DEFAULTS.candidates, show_default=True, type=click.IntRange(50)
)
@click.option("--seed", default=_DEFAULTS.seed, show_default=True, help="Draws the users.")
@click.option(
    "--cache",
    type=click.Path(file_okay=False, path_type=Path),
    help="Where embeddings are kept between runs (default: $PAPERWIRE_HOME/cache/recs-eval).",
)
@click.option("--model", default=DEFAULT_BACKEND, show_default=True, help="Embedding backend.")
@json_option
def eval_recs_command(
    data_file: Path | None,
    users: int,
    candidates: int,
    seed: int,
    cache: Path | None,
    model: str,
    json_out: str | None,
) -> None:
    """precision@20 and nDCG@20 of the "for you" model and of the arxiv-sanity-lite baseline.

    Simulated users, each interested in one or two arXiv categories, give 10
    papers from before the last month; both models rank a sample of the last
    month's papers, on text alone. The protocol: docs/RECOMMENDATIONS.md.

    \b
    Example:
      paperwire eval recs --json recs.json
    """
    data_file = require_file(input_or_shared(data_file, ARXIV_CS_FILE, "--data FILE"))
    settings = load_settings()
    backend = embedding_backend(model, settings)
    protocol = Protocol(seed=seed, users=users, candidates=candidates)
    folder = cache or settings.home / "cache" / "recs-eval"
    try:
        with staged_progress() as progress:
            result = evaluate_recs(data_file, backend, folder, protocol, progress=progress)
    except ValueError as exc:
        raise click.ClickException(str(exc)) from exc
    figures = result.figures
    table = Table(title=f"paperwire eval recs ({users} users, {candidates} candidates)")
    for column in ("model", "precision@20", "nDCG@20"):
        table.add_column(column)
    for name in ("paperwire", "baseline"):
        row = figures[name]
        scores: dict[str, float] = row  # type: ignore[assignment]  # why: figures holds JSON values
        table.add_row(name, f"{scores['precision@20']:.4f}", f"{scores['ndcg@20']:.4f}")
    table.add_row(
        "relative",
        f"{figures['relative_precision@20']:+.1%}",
        f"{figures['relative_ndcg@20']:+.1%}",
    )
    Console(stderr=json_out == "-").print(table)
    emit_json(figures, json_out)
