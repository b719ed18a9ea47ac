"""``paperwire bench embed``: embedding throughput and fidelity of the bundled model."""

from __future__ import annotations

from pathlib import Path

import click
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)
from rich.table import Table

from paperwire.cli.options import emit_json, json_option
from paperwire.ingest import UnknownFormat
from paperwire.search.embedding import load_backend
from paperwire.search.minilm import ModelNotInstalled
from paperwire_bench.beir import resolve_dataset
from paperwire_bench.dense_eval import dense_ndcg
from paperwire_bench.embed import DEFAULT_COUNT, bench_embed, default_abstracts_file, read_texts
from paperwire_bench.embed import TARGETS as EMBED_TARGETS

__all__ = ["bench_embed_command"]

PUBLISHED_SCIFACT_NDCG = 0.645  # all-MiniLM-L6-v2, SciFact test, nDCG@10


@click.command("embed", context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--input",
    "input_path",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Papers to embed (any format paperwire imports). Default: the shared arXiv cs file.",
)
@click.option(
    "--count",
    default=DEFAULT_COUNT,
    show_default=True,
    type=click.IntRange(min=1),
    help="How many abstracts to embed per run.",
)
@click.option(
    "--batch-size",
    default=16,
    show_default=True,
    type=click.IntRange(min=1),
    help="Abstracts per model call.",
)
@click.option("--threads", type=click.IntRange(min=1), help="CPU threads (default: all cores).")
@click.option(
    "--repeats",
    default=3,
    show_default=True,
    type=click.IntRange(min=1),
    help="Timed runs per variant; the median is reported.",
)
@click.option(
    "--beir",
    "beir_set",
    metavar="SET",
    help="Also measure dense-only nDCG@10 of int8 and fp32 on a BEIR set "
    "(scifact, cranfield, cisi or a folder): a few minutes each.",
)
@json_option
def bench_embed_command(
    input_path: Path | None,
    count: int,
    batch_size: int,
    threads: int | None,
    repeats: int,
    beir_set: str | None,
    json_out: str | None,
) -> None:
    """Embedding speed of the bundled model, int8 against fp32, on real abstracts.

    Both variants embed the same COUNT abstracts (title and abstract, truncated
    at 256 tokens) after a warm-up; timed runs alternate between them and the
    median of each is reported, with the int8/fp32 ratio, the tokens per
    abstract and the cosine between the int8 and fp32 vectors. The model is
    built and cached on first use.

    \b
    Example:
      paperwire bench embed --count 512 --json bench-embed.json
      paperwire bench embed --beir scifact --json bench-embed.json
    """
    console = Console(stderr=json_out == "-")
    path = input_path or default_abstracts_file()
    if path is None:
        console.print(
            "[yellow]skipped:[/] no abstracts to embed: the shared arXiv cs file is absent "
            "(set PAPERWIRE_SHARED_DATA) and no --input FILE was given"
        )
        emit_json({"skipped": "no input: shared arXiv cs file absent, no --input"}, json_out)
        return
    try:
        texts = read_texts(path, count)
    except (UnknownFormat, ValueError, OSError) as exc:
        raise click.ClickException(f"cannot read abstracts from {path}: {exc}") from exc
    with _progress(console) as progress:
        task = progress.add_task("starting", total=None)
        try:
            result = bench_embed(
                texts,
                batch_size=batch_size,
                threads=threads,
                repeats=repeats,
                progress=lambda step: progress.update(task, description=step),
            )
        except ModelNotInstalled as exc:
            raise click.ClickException(str(exc)) from exc
    figures = {"input": str(path), **result.figures()}
    if beir_set is not None:
        figures["dense_ndcg_at_10"] = _dense_figures(console, beir_set, threads, batch_size)
    console.print(_table(figures))
    emit_json(figures, json_out)


def _progress(console: Console) -> Progress:
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=True,
    )


def _dense_figures(
    console: Console, beir_set: str, threads: int | None, batch_size: int
) -> dict[str, object]:
    try:
        folder = resolve_dataset(beir_set)
    except FileNotFoundError as exc:
        raise click.ClickException(str(exc)) from exc
    figures: dict[str, object] = {"set": str(folder), "split": "test"}
    for name in ("minilm-int8", "minilm-fp32"):
        try:
            backend = load_backend(name, threads=threads, batch_size=batch_size)
        except ModelNotInstalled as exc:
            raise click.ClickException(str(exc)) from exc
        with _progress(console) as progress:
            task = progress.add_task(f"{name}: embedding {folder.name}", total=None)

            def tick(done: int, total: int, task: TaskID = task) -> None:
                progress.update(task, completed=done, total=total)

            result = dense_ndcg(backend, folder, progress=tick)
        figures[name] = round(result.ndcg, 4)
        figures[f"{name}_seconds"] = round(result.seconds, 1)
    figures["queries"] = result.queries
    figures["documents"] = result.documents
    if folder.name == "scifact":
        figures["published"] = PUBLISHED_SCIFACT_NDCG
    return figures


def _table(figures: dict[str, object]) -> Table:
    table = Table(title="paperwire bench embed", show_header=False)
    for name, value in figures.items():
        if isinstance(value, dict) and name != "targets":
            for inner, inner_value in value.items():
                table.add_row(f"{name}.{inner}", str(inner_value))
        elif name != "targets":
            target = EMBED_TARGETS.get(name)
            note = f"   (target ≥ {target:g})" if target is not None else ""
            table.add_row(name, f"{value}{note}")
    return table
