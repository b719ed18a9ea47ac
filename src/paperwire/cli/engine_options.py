"""How the search commands open the store and its search service.

The index of the default store lives in the data folder's index folder; the
index of a store given with --db lives beside it (``<db>.indexes``), so two
stores never share one. The embedding model comes from the index
(``SearchService``); ``--model`` only checks it, or chooses it for
``reindex`` and for an index not built yet.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click

from paperwire.cli.options import counted_progress, open_cli_store
from paperwire.config import load_settings
from paperwire.search.embedding import EmbeddingBackend, load_backend
from paperwire.search.indexer import ProgressCallback
from paperwire.search.service import EmbeddingUnavailable, IndexModelMismatch, SearchService
from paperwire.store import StoreLocation

__all__ = [
    "AUTO_UPDATE_LIMIT",
    "CONTEXT",
    "index_dir_for",
    "model_option",
    "open_backend",
    "opened_search",
    "progress_bar",
    "report_index_state",
]

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}
AUTO_UPDATE_LIMIT = 2000  # a search first indexes up to this many pending changes


def index_dir_for(db_path: StoreLocation | None) -> Path:
    return load_settings().index_dir_for(db_path)


def open_backend(name: str) -> EmbeddingBackend | None:
    if name == "none":
        return None
    try:
        return load_backend(name)
    except Exception as exc:  # a missing model package, an unknown name, a broken cache
        raise click.ClickException(
            f"cannot load the embedding model {name!r}: {exc}. "
            "Install it, or pass --model none for keyword search only."
        ) from exc


def model_option(func: Any) -> Any:
    return click.option(
        "--model",
        default=None,
        help=(
            "Embedding model; 'none' for keyword (BM25) search only. Default: the one "
            "the index was built with ($PAPERWIRE_EMBEDDING_MODEL for a new index)."
        ),
    )(func)


@contextmanager
def progress_bar(label: str) -> Iterator[ProgressCallback]:
    with counted_progress() as bar:
        task = bar.add_task(label, total=None)

        def update(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        yield update


@contextmanager
def opened_search(
    db_path: StoreLocation | None,
    model: str | None,
    *,
    catch_up: bool,
    rebuilding: bool = False,
) -> Iterator[SearchService]:
    """The store's search service; with ``catch_up``, its index built (keyword, at
    once) or brought up to date first. Model problems become advice."""
    store = open_cli_store(db_path)
    try:
        service = SearchService(
            store, load_settings(), index_dir_for(db_path), model=model, rebuilding=rebuilding
        )
        if catch_up:
            _catch_up(service)
        yield service
    except (IndexModelMismatch, EmbeddingUnavailable) as exc:
        raise click.ClickException(str(exc)) from exc
    finally:
        store.close()


def report_index_state(service: SearchService) -> None:
    """Say, on standard error, when search answers with keywords only and why."""
    status = service.status(fresh=True)
    if status.vectors_coming:
        click.echo(
            f"note: semantic search is on its way ({status.embedded:,} of {status.papers:,} "
            f"papers embedded with {status.pending_model}); until then search "
            "answers with keywords (BM25). "
            "A running `paperwire serve` or `paperwire worker` embeds the rest in the "
            "background; `paperwire reindex` does it now.",
            err=True,
        )


def _catch_up(service: SearchService) -> None:
    if service.engine.live_index_missing():
        with progress_bar("building the search index") as progress:
            service.catch_up(progress)
        return
    behind = service.store.max_seq() - service.engine.indexed_seq
    keyword_only = service.engine.backend is None  # nothing to embed: always quick
    if behind > 0 and (keyword_only or behind <= AUTO_UPDATE_LIMIT):
        with progress_bar("indexing new papers") as progress:
            service.catch_up(progress)
    elif behind > AUTO_UPDATE_LIMIT:
        click.echo(
            f"note: {behind} changes are not indexed yet; run `paperwire reindex --catch-up`",
            err=True,
        )
