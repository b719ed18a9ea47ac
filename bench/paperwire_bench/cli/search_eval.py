"""``paperwire eval search`` (quality on BEIR sets) and ``paperwire bench search`` (latency).

Both hang under the groups of other modules: ``eval.eval_group`` and ``bench.bench``.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import click
from rich.console import Console
from rich.table import Table

from paperwire.cli.engine_options import (
    CONTEXT,
    model_option,
    open_backend,
    opened_search,
    progress_bar,
)
from paperwire.cli.options import db_option, emit_json, json_option, report_figures
from paperwire.search.embedding import DEFAULT_BACKEND, EmbeddingBackend
from paperwire.search.engine import SearchEngine
from paperwire.search.fusion import DEFAULT_FUSION, FusionParams
from paperwire.store import StoreLocation
from paperwire_bench.beir import BeirSet, load_beir, resolve_dataset, shared_data_dir
from paperwire_bench.eval_sets import EvalSet, beir_sets, topical_set
from paperwire_bench.search_eval import (
    MODES,
    collect,
    open_eval_engine,
    score,
    tune,
    tune_adaptive,
)
from paperwire_bench.search_latency import bench_search, sample_queries

__all__ = ["bench_search_command", "eval_all_command", "eval_search_command"]


@click.command("search", context_settings=CONTEXT)
@click.option(
    "--dataset",
    default="scifact",
    show_default=True,
    help="scifact, cranfield, cisi or a BEIR folder.",
)
@click.option("--split", default="test", show_default=True)
@click.option(
    "--work",
    type=click.Path(file_okay=False, path_type=Path),
    help="Keep the store and index here (reruns reuse the embeddings).",
)
@click.option("--tune", is_flag=True, help="Grid-search the fusion parameters (use a train split).")
@model_option
@json_option
def eval_search_command(
    dataset: str,
    split: str,
    work: Path | None,
    tune: bool,
    model: str | None,
    json_out: str | None,
) -> None:
    """nDCG@10, recall@100 and MRR@10 of bm25, dense and hybrid on a BEIR data set.

    The corpus is imported into a fresh store and indexed by the same code as
    your papers; all three modes rank the same candidates of each query.

    \b
    Example:
      paperwire eval search --dataset scifact --split test --json scifact.json
      paperwire eval search --dataset scifact --split train --tune
    """
    try:
        beir = load_beir(resolve_dataset(dataset), split)
    except FileNotFoundError as exc:
        raise click.ClickException(str(exc)) from exc
    backend = open_backend(model or DEFAULT_BACKEND)
    if backend is None:
        raise click.ClickException("the evaluation compares dense and hybrid: it needs a model")
    with tempfile.TemporaryDirectory(prefix="paperwire-eval-") as tmp:
        with progress_bar(f"indexing {beir.name}") as progress:
            engine = open_eval_engine(beir, work or Path(tmp), backend, progress)
        figures = _evaluate(engine, beir, tune)
        engine.store.close()
    emit_json(figures, json_out)


@click.command("all", context_settings=CONTEXT)
@click.option(
    "--work",
    type=click.Path(file_okay=False, path_type=Path),
    help="Keep each set's store and index here (reruns reuse the embeddings).",
)
@click.option(
    "--topical/--no-topical",
    default=True,
    show_default=True,
    help="Also run the topical set built from Hugging Face's ai_keywords.",
)
@model_option
@json_option
def eval_all_command(
    work: Path | None, topical: bool, model: str | None, json_out: str | None
) -> None:
    """Every BEIR-layout set of the shared data (test splits), and the topical set.

    One table per set: nDCG@10, recall@100 and MRR@10 of bm25, dense and hybrid.
    `paperwire eval` with no command runs this.

    \b
    Example:
      paperwire eval all --work ~/paperwire-eval --json eval.json
    """
    try:
        shared = shared_data_dir()
    except FileNotFoundError as exc:
        raise click.ClickException(str(exc)) from exc
    backend = open_backend(model or DEFAULT_BACKEND)
    if backend is None:
        raise click.ClickException("the evaluation compares dense and hybrid: it needs a model")
    results = []
    with tempfile.TemporaryDirectory(prefix="paperwire-eval-") as tmp:
        folder = work or Path(tmp)
        sets = beir_sets(shared)
        extra = topical_set(shared, folder) if topical else None
        for chosen in [*sets, *([extra] if extra else [])]:
            results.append(_evaluate_set(chosen, folder, backend))
    emit_json({"sets": results}, json_out)


def _evaluate_set(chosen: EvalSet, work: Path, backend: EmbeddingBackend) -> dict[str, Any]:
    beir = load_beir(chosen.folder, chosen.split)
    with progress_bar(f"indexing {beir.name}") as progress:
        engine = open_eval_engine(beir, work, backend, progress)
    try:
        return _evaluate(engine, beir, False)
    finally:
        engine.store.close()


def _evaluate(engine: SearchEngine, beir: BeirSet, tuning: bool) -> dict[str, Any]:
    figures: dict[str, Any] = {
        "dataset": beir.name,
        "split": beir.split,
        "queries": len(beir.queries),
    }
    fusion = DEFAULT_FUSION
    if tuning:
        best = tune(engine, beir, on_step=lambda line: click.echo(line, err=True))
        fusion = best.fusion
        engine.live_lexical().title_boost = best.title_boost
        figures["tuned"] = {
            "method": fusion.method,
            "dense_weight": fusion.dense_weight,
            "rrf_k": fusion.rrf_k,
            "title_boost": best.title_boost,
            "settings_tried": best.tried,
        }
        adaptive, tried = tune_adaptive(collect(engine, beir), beir)
        figures["tuned_adaptive"] = {
            "chosen": _fusion_figures(adaptive),
            "best": [
                {**_fusion_figures(p), "neighbourhood_ndcg@10": near, "ndcg@10": own}
                for p, near, own in tried[:15]
            ],
        }
    scores = score(collect(engine, beir), beir, fusion, MODES)
    table = Table(title=f"{beir.name} ({beir.split}, {len(beir.queries)} queries)")
    for column in ("mode", "nDCG@10", "recall@100", "MRR@10"):
        table.add_column(column)
    for mode, value in scores.items():
        figures[mode] = value.figures()
        table.add_row(mode, *(f"{number:.4f}" for number in figures[mode].values()))
    figures["fusion"] = _fusion_figures(fusion)
    Console(stderr=True).print(table)
    return figures


def _fusion_figures(fusion: FusionParams) -> dict[str, Any]:
    return {
        "method": fusion.method,
        "dense_weight": fusion.dense_weight,
        "rrf_k": fusion.rrf_k,
        "length_weight": fusion.length_weight,
        "peak_weight": fusion.peak_weight,
        "agreement_weight": fusion.agreement_weight,
    }


@click.command("search", context_settings=CONTEXT)
@click.option("--queries", default=200, show_default=True, type=click.IntRange(10, 10_000))
@model_option
@db_option
@json_option
def bench_search_command(
    queries: int, model: str | None, db_path: StoreLocation | None, json_out: str | None
) -> None:
    """Search latency (p50/p95/p99) of bm25, dense and hybrid on your indexed papers.

    Each query runs the whole search path, query embedding included. Build
    the index first with `paperwire reindex`.

    \b
    Example:
      paperwire bench search --queries 300 --json bench-search.json
    """
    with opened_search(db_path, model, catch_up=True) as service:
        engine = service.engine
        figures = bench_search(engine, engine.store, sample_queries(engine.store, queries))
    report_figures("paperwire bench search", figures, json_out)
