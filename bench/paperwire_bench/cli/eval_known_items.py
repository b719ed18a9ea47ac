"""``paperwire eval known-items``: top-1 and top-3 of typed titles, per form and mode."""

from __future__ import annotations

import click
from rich.console import Console
from rich.table import Table

from paperwire.cli.engine_options import CONTEXT, model_option, opened_search
from paperwire.cli.options import db_option, emit_json, json_option
from paperwire.store import StoreLocation
from paperwire_bench.known_items import FORMS, MODES, SanityRanker, build_queries, evaluate

__all__ = ["eval_known_items_command"]


@click.command("known-items", context_settings=CONTEXT)
@click.option(
    "--papers",
    default=1000,
    show_default=True,
    type=click.IntRange(1, 100_000),
    help="Titles drawn (each asked three ways).",
)
@click.option(
    "--baseline/--no-baseline",
    default=True,
    show_default=True,
    help="Also rank by arxiv-sanity-lite's rule, in the same run.",
)
@model_option
@db_option
@json_option
def eval_known_items_command(
    papers: int,
    baseline: bool,
    model: str | None,
    db_path: StoreLocation | None,
    json_out: str | None,
) -> None:
    """Known-item search on your papers: does a typed title bring its paper first?

    Titles drawn from the store with a fixed seed, each asked as its first
    five words, whole, and whole with one typo, in bm25, dense and hybrid
    mode and by arxiv-sanity-lite's ranking rule.

    \\b
    Example:
      paperwire eval known-items --json known-items.json
    """
    with opened_search(db_path, model, catch_up=True) as service:
        engine = service.engine
        queries = build_queries(engine.store, papers)
        sanity = SanityRanker(engine.store.iter_papers()) if baseline else None
        figures = evaluate(engine, queries, sanity)
    table = Table(title=f"known items ({figures['papers']} titles, seed {figures['seed']})")
    for column in ("form", "mode", "top-1", "top-3"):
        table.add_column(column)
    for form in FORMS:
        for mode in MODES:
            row = figures.get(f"{form}.{mode}")
            if isinstance(row, dict):
                table.add_row(form, mode, f"{row['top1']:.3f}", f"{row['top3']:.3f}")
    Console(stderr=True).print(table)
    emit_json(figures, json_out)
