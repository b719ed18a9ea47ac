"""``paperwire bench scale-up``: grow a benchmark store of N papers from a real, embedded one."""

from __future__ import annotations

import click

from paperwire.cli.engine_options import open_backend
from paperwire.cli.options import STORE, counted_progress, json_option, report_figures
from paperwire.search.embedding import DEFAULT_BACKEND
from paperwire.store import StoreLocation, open_store_at
from paperwire_bench.scale import NOISE, ScaleError, check_vectors, scale_up

__all__ = ["bench_scale_command"]


@click.command("scale-up", context_settings={"help_option_names": ["-h", "--help"]})
@click.argument("source", type=STORE)
@click.argument("target", type=STORE)
@click.option(
    "--papers",
    default=1_000_000,
    show_default=True,
    type=click.IntRange(min=1),
    help="Papers in TARGET, real ones included.",
)
@click.option(
    "--model",
    default=DEFAULT_BACKEND,
    show_default=True,
    help="Whose stored vectors to copy and recombine (SOURCE must be reindexed with it).",
)
@click.option("--seed", default=7, show_default=True, help="Seed of the random recombination.")
@click.option(
    "--noise",
    default=NOISE,
    show_default=True,
    type=click.FloatRange(min=0.0),
    help="Standard deviation of the noise added to each vector dimension.",
)
@click.option(
    "--check",
    "check_sample",
    default=200,
    show_default=True,
    type=click.IntRange(min=0),
    help="Synthetic papers to embed with the model, to compare with their synthetic "
    "vectors (0: skip).",
)
@json_option
def bench_scale_command(
    source: StoreLocation,
    target: StoreLocation,
    papers: int,
    model: str,
    seed: int,
    noise: float,
    check_sample: int,
    json_out: str | None,
) -> None:
    """Make TARGET a store of PAPERS papers for `bench search` at scale.

    SOURCE's papers are copied with their stored vectors; recombined papers
    fill up the rest. Each takes half its title and abstract from one real
    paper and half from another, with the first one's authors, categories and
    date; its vector is the two stored vectors weighted by their share of the
    text, plus noise, normalised. `paperwire reindex` then indexes TARGET
    without embedding anything. Each store is a SQLite file or a
    postgresql:// URL; TARGET must be empty.

    \b
    Example:
      paperwire reindex --db arxiv.db
      paperwire bench scale-up arxiv.db million.db --papers 1000000
      paperwire reindex --db million.db
      paperwire bench search --db million.db --json bench-search-1m.json
    """
    src, dst = open_store_at(source), open_store_at(target)
    try:
        with counted_progress() as progress:
            task = progress.add_task(f"writing {papers:,} papers", total=papers)
            report = scale_up(
                src,
                dst,
                papers,
                model,
                seed=seed,
                noise=noise,
                progress=lambda done, total: progress.update(task, completed=done, total=total),
            )
        figures = report.figures()
        backend = open_backend(model) if check_sample and report.synthetic else None
        if backend is not None:
            figures["vector_check"] = check_vectors(
                dst, backend, check_sample, report.synthetic, seed
            )
    except ScaleError as exc:
        raise click.ClickException(str(exc)) from exc
    finally:
        src.close()
        dst.close()
    report_figures("paperwire bench scale-up", figures, json_out)
