"""``paperwire eval keyphrases``: our keyphrases, YAKE and tf-idf against Hugging Face's."""

from __future__ import annotations

from pathlib import Path

import click
from rich.console import Console
from rich.table import Table

from paperwire.cli.options import emit_json, json_option
from paperwire.search.embedding import DEFAULT_BACKEND
from paperwire_bench.cli.inputs import embedding_backend, input_or_shared, require_file
from paperwire_bench.keyphrase_eval import (
    HF_FILE,
    embedding_mmr_method,
    evaluate,
    frequency_position_scorer,
    hand_weighted_scorer,
    ours_method,
    read_papers,
    split,
    tfidf_method,
    yake_method,
)

__all__ = ["eval_keyphrases_command"]

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}
_HALVES = ("report", "tune", "all")
EMBEDDING_SAMPLE = 300  # papers the embedding alternative ranks (it is slow)


@click.command("keyphrases", context_settings=CONTEXT)
@click.option(
    "--data",
    "data_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="The daily-papers set (default: the shared data's hf-daily-papers file).",
)
@click.option(
    "--half",
    type=click.Choice(_HALVES),
    default="report",
    show_default=True,
    help="Which papers: the report half (odd last digit of the arXiv id), the tuning half, all.",
)
@click.option("--limit", type=click.IntRange(1), help="Only the first N papers of the half.")
@click.option(
    "--alternatives",
    is_flag=True,
    help="Also rank the candidates by hand-set weights, by frequency and position, and "
    "(on the first 300 papers) by MiniLM similarity with MMR.",
)
@json_option
def eval_keyphrases_command(
    data_file: Path | None, half: str, limit: int | None, alternatives: bool, json_out: str | None
) -> None:
    """Precision, recall and F1 at 10 against Hugging Face's ai_keywords.

    paperwire's keyphrases and two baselines on the same papers in the same
    run: YAKE (n-grams up to 3, top 10) and tf-idf (top 10). Exact match after
    one shared normaliser (case, accents, plurals, hyphen and space), and
    partial match (one key's words a run of the other's). The protocol:
    docs/KEYPHRASES.md.

    \b
    Example:
      paperwire eval keyphrases --json keyphrases.json
    """
    data_file = require_file(input_or_shared(data_file, HF_FILE, "--data FILE"))
    try:
        import sklearn  # noqa: F401  # why: the tf-idf baseline
        import yake  # noqa: F401  # why: the YAKE baseline
    except ImportError as exc:
        raise click.ClickException(
            f"the baselines need the development extras ({exc.name} is missing): "
            "pip install -e '.[dev]'"
        ) from exc
    try:
        papers = read_papers(data_file)
    except ValueError as exc:
        raise click.ClickException(str(exc)) from exc
    tune, report = split(papers)
    chosen = {"report": report, "tune": tune, "all": papers}[half][:limit]
    if not chosen:
        raise click.ClickException(f"{data_file}: no papers with ai_keywords in the {half} half")
    methods = {"paperwire": ours_method(), "yake": yake_method, "tfidf": tfidf_method}
    if alternatives:
        methods["hand weights"] = ours_method(hand_weighted_scorer())
        methods["frequency+position"] = ours_method(frequency_position_scorer())
    results = evaluate(chosen, methods)
    if alternatives:
        sample = chosen[:EMBEDDING_SAMPLE]
        backend = embedding_backend(DEFAULT_BACKEND)
        on_sample = evaluate(
            sample,
            {
                f"paperwire, first {len(sample)}": ours_method(),
                f"MiniLM + MMR, first {len(sample)}": embedding_mmr_method(backend),
            },
        )
        results.update(on_sample)
    figures: dict[str, object] = {"half": half, "papers": len(chosen)}
    figures.update({name: scores.as_dict() for name, scores in results.items()})
    figures["f1@10_vs_yake"] = round(results["paperwire"].f1 / max(results["yake"].f1, 1e-9), 2)
    table = Table(title=f"paperwire eval keyphrases ({half} half, {len(chosen)} papers)")
    for column in ("method", "P@10", "R@10", "F1@10", "partial P", "partial R", "partial F1"):
        table.add_column(column)
    table.add_column("papers", justify="right")
    table.add_column("papers/s", justify="right")
    for name, scores in results.items():
        table.add_row(
            name,
            *(
                f"{v:.4f}"
                for v in (
                    scores.precision,
                    scores.recall,
                    scores.f1,
                    scores.partial_precision,
                    scores.partial_recall,
                    scores.partial_f1,
                )
            ),
            str(scores.papers),
            f"{scores.papers / scores.seconds:.1f}" if scores.seconds else "-",
        )
    Console(stderr=json_out == "-").print(table)
    emit_json(figures, json_out)
