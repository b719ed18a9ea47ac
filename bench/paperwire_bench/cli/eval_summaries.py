"""``paperwire eval summaries``: our one-line summaries against Hugging Face's ``ai_summary``."""

from __future__ import annotations

from pathlib import Path

import click
from rich.console import Console
from rich.table import Table

from paperwire.cli.options import emit_json, json_option
from paperwire.search.embedding import DEFAULT_BACKEND
from paperwire_bench.cli.inputs import embedding_backend, input_or_shared
from paperwire_bench.summary_eval import RAW_DAYS, HalfResult, evaluate_summaries, load_items

__all__ = ["eval_summaries_command"]

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


@click.command("summaries", context_settings=CONTEXT)
@click.option(
    "--data",
    "folder",
    type=click.Path(file_okay=False, path_type=Path),
    help="Saved daily-papers responses (default: the shared data's hf-daily-papers/raw-days).",
)
@click.option("--model", default=DEFAULT_BACKEND, show_default=True, help="Embedding backend.")
@json_option
def eval_summaries_command(folder: Path | None, model: str, json_out: str | None) -> None:
    """Mean MiniLM cosine and ROUGE-L of our summaries against Hugging Face's.

    On the papers whose saved daily-papers item carries an ai_summary, split in
    two fixed halves by arXiv id (tune: last digit even; report: odd). The
    baselines, in the same run: the abstract's first sentence, and the title;
    each difference with its paired bootstrap 95% interval. The protocol:
    docs/SUMMARIES.md.

    \b
    Example:
      paperwire eval summaries --json summaries.json
    """
    folder = input_or_shared(folder, RAW_DAYS, "--data DIR")
    try:
        items = load_items(folder)
    except FileNotFoundError as exc:
        raise click.ClickException(f"{exc}: pass --data DIR or set PAPERWIRE_SHARED_DATA") from exc
    if not items:
        raise click.ClickException(f"no item in {folder} carries an ai_summary")
    backend = embedding_backend(model)
    try:
        results = evaluate_summaries(items, backend)
    except RuntimeError as exc:  # rouge-score missing
        raise click.ClickException(str(exc)) from exc
    console = Console(stderr=json_out == "-")
    for result in results:
        console.print(_table(result))
    emit_json(
        {"papers": len(items), "model": model, "halves": [r.as_dict() for r in results]}, json_out
    )


def _table(result: HalfResult) -> Table:
    table = Table(title=f"{result.half} half: {result.papers} papers")
    for column in (
        "method",
        "cosine",
        "ROUGE-L",
        "words",
        "ours − it: cosine [95%]",
        "ROUGE-L [95%]",
    ):
        table.add_column(column)
    differences = {c.baseline: c for c in result.comparisons}
    for method in result.methods:
        diff = differences.get(method.name)
        table.add_row(
            method.name,
            f"{method.cosine:.4f}",
            f"{method.rouge_l:.4f}",
            f"{method.mean_words:.1f}",
            _interval(diff.cosine, diff.cosine_interval) if diff else "",
            _interval(diff.rouge_l, diff.rouge_l_interval) if diff else "",
        )
    return table


def _interval(value: float, interval: tuple[float, float]) -> str:
    return f"{value:+.4f} [{interval[0]:+.4f}, {interval[1]:+.4f}]"
