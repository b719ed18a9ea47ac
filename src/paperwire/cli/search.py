"""``paperwire search``, ``similar`` and ``reindex``: thin adapters over the engine.

Each opens the store and the engine (``engine_options``), runs, and prints a
table, or JSON with --json.
"""

from __future__ import annotations

from typing import Any

import click
from rich.console import Console
from rich.table import Table

from paperwire.cli.engine_options import (
    CONTEXT,
    model_option,
    opened_search,
    progress_bar,
    report_index_state,
)
from paperwire.cli.options import db_option, emit_json, json_option, open_cli_store
from paperwire.cli.understanding import understand_changes
from paperwire.ids import InvalidArxivId, parse_arxiv_id
from paperwire.search.engine import SORTS
from paperwire.search.indexer import IndexReport
from paperwire.search.query import QueryError
from paperwire.search.results import SearchResults
from paperwire.store import StoreLocation

__all__ = ["reindex_command", "search_command", "similar_command"]


@click.command("search", context_settings=CONTEXT)
@click.argument("query")
@click.option("--page", default=1, show_default=True, type=int)
@click.option("--per-page", default=20, show_default=True, type=int)
@click.option("--sort", type=click.Choice(SORTS), default="relevance", show_default=True)
@click.option(
    "--mode", type=click.Choice(["hybrid", "bm25", "dense"]), default="hybrid", show_default=True
)
@model_option
@db_option
@json_option
def search_command(
    query: str,
    page: int,
    per_page: int,
    sort: str,
    mode: str,
    model: str | None,
    db_path: StoreLocation | None,
    json_out: str | None,
) -> None:
    """Search the papers: words, "a phrase", an arXiv id or URL, and filters.

    Filters: author:"Yann LeCun"  cat:cs.LG  org:NAME  year:2024  from:2024-03
    to:2024-06-30  has:code  kw:"speculative decoding" (a keyphrase, any
    spelling). Pending changes are indexed first; a store without an index
    gets a keyword index at once (semantic vectors follow).

    \b
    Example:
      paperwire search 'diffusion "image editing" cat:cs.CV year:2025' --sort upvotes
    """
    with opened_search(db_path, model, catch_up=True) as service:
        try:
            results = service.engine.search(
                query, page=page, per_page=per_page, sort=sort, mode=mode
            )
        except QueryError as exc:
            raise click.ClickException(f"bad query: {exc}") from exc
        if results.mode != mode:
            report_index_state(service)
        _print_results(results, json_out)
        emit_json(_results_json(results), json_out)


@click.command("similar", context_settings=CONTEXT)
@click.argument("paper_id")
@click.option("--limit", default=10, show_default=True, type=click.IntRange(1, 100))
@model_option
@db_option
@json_option
def similar_command(
    paper_id: str,
    limit: int,
    model: str | None,
    db_path: StoreLocation | None,
    json_out: str | None,
) -> None:
    """Papers most like PAPER_ID (an arXiv id or URL), by their embeddings.

    On an index without vectors (keyword only, or vectors still coming) the
    papers sharing the most words with it are shown instead, and it says so.

    \b
    Example:
      paperwire similar 2401.12345 --limit 5
    """
    with opened_search(db_path, model, catch_up=True) as service:
        try:
            results = service.engine.similar(_paper_id(paper_id), limit)
        except QueryError as exc:
            raise click.ClickException(f"{exc}: check the id with `paperwire show`") from exc
        if results.mode == "bm25":
            click.echo(
                "note: this index has no vectors: these papers share the most words "
                "(lexical similarity), not meaning",
                err=True,
            )
            report_index_state(service)
        _print_results(results, json_out)
        emit_json(_results_json(results), json_out)


@click.command("reindex", context_settings=CONTEXT)
@click.option(
    "--catch-up", is_flag=True, help="Only index what changed since the last run (no rebuild)."
)
@model_option
@db_option
@json_option
def reindex_command(
    catch_up: bool, model: str | None, db_path: StoreLocation | None, json_out: str | None
) -> None:
    """Rebuild the search indexes from the store (stored embeddings are reused).

    Keyphrases and one-line summaries are brought up to date too: every paper's
    again when their rules changed since, else those of the papers changed since.
    The new indexes are built aside and swapped in at the end: an interrupted
    reindex leaves the old ones serving.
    --model chooses the embedding model: by default the index keeps its own (a new index takes
    $PAPERWIRE_EMBEDDING_MODEL, minilm-int8); --model none builds a keyword-only
    index and embeds nothing. With --catch-up, only the papers changed since the
    last run are indexed, with the index's own model.

    \b
    Example:
      paperwire reindex
    """
    with (
        opened_search(db_path, model, catch_up=False, rebuilding=not catch_up) as service,
        progress_bar("indexing") as bar,
    ):
        report = (
            (service.catch_up(bar) or IndexReport(seq=service.engine.indexed_seq))
            if catch_up
            else service.rebuild(bar)
        )
    store = open_cli_store(db_path)
    try:
        understood = understand_changes(store, everything=not catch_up)
    finally:
        store.close()
    figures = {
        "papers": report.papers,
        "embedded": report.embedded,
        "reused_embeddings": report.reused,
        "seq": report.seq,
        "rebuilt": report.rebuilt,
        "seconds": round(report.seconds, 1),
        "keyphrase_papers": understood.papers if understood else None,
        "keyphrase_seconds": round(understood.seconds, 1) if understood else None,
    }
    click.echo(
        f"indexed {report.papers} papers ({report.embedded} embedded, {report.reused} reused) "
        f"up to change {report.seq} in {report.seconds:.1f} s",
        err=json_out == "-",
    )
    emit_json(figures, json_out)


def _paper_id(text: str) -> str:
    try:
        return parse_arxiv_id(text).id
    except InvalidArxivId:
        return text.strip()


def _print_results(results: SearchResults, json_out: str | None) -> None:
    console = Console(stderr=json_out == "-")
    if not results.hits:
        console.print("no results")
        return
    table = Table(
        title=f"{results.total} results, page {results.page} of {results.pages}",
        show_lines=False,
    )
    for column in ("#", "id", "date", "title", "upvotes"):
        table.add_column(column, overflow="fold")
    first = (results.page - 1) * results.per_page
    for number, hit in enumerate(results.hits, start=first + 1):
        paper = hit.paper
        day = (paper.published or paper.listed_on) if paper else None
        table.add_row(
            str(number),
            hit.paper_id,
            day.isoformat() if day else "",
            (("(withdrawn) " if paper.withdrawn else "") + paper.title) if paper else "",
            str(paper.upvotes) if paper and paper.upvotes is not None else "",
        )
    console.print(table)


def _results_json(results: SearchResults) -> dict[str, Any]:
    return {
        "query": results.query,
        "total": results.total,
        "page": results.page,
        "per_page": results.per_page,
        "mode": results.mode,
        "sort": results.sort,
        "hits": [
            {
                "id": hit.paper_id,
                "score": hit.score,
                "exact_id_match": hit.exact_id_match,
                "title": hit.paper.title if hit.paper else None,
                "withdrawn": hit.paper.withdrawn if hit.paper else False,
                "snippet": hit.snippet.text if hit.snippet else None,
                "highlights": hit.snippet.highlights if hit.snippet else [],
            }
            for hit in results.hits
        ],
    }
