"""How the search commands open the store, the embedding model and the engine.

The index of the default store lives in the data folder's index folder; the
index of a store given with --db lives beside it (``<db>.indexes``), so two
stores never share one.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click

from paperwire.cli.options import counted_progress, open_cli_store
from paperwire.config import load_settings
from paperwire.search.embedding import DEFAULT_BACKEND, EmbeddingBackend, load_backend
from paperwire.search.engine import SearchEngine
from paperwire.search.indexer import ProgressCallback
from paperwire.store import PaperStore, StoreLocation

__all__ = [
    "AUTO_UPDATE_LIMIT",
    "CONTEXT",
    "index_dir_for",
    "model_option",
    "open_backend",
    "opened_engine",
    "progress_bar",
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
        default=DEFAULT_BACKEND,
        show_default=True,
        help="Embedding backend; 'none' for keyword (BM25) search only.",
    )(func)


@contextmanager
def progress_bar(label: str) -> Iterator[ProgressCallback]:
    with counted_progress() as bar:
        task = bar.add_task(label, total=None)

        def update(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        yield update


@contextmanager
def opened_engine(
    db_path: StoreLocation | None, model: str, catch_up: bool
) -> Iterator[SearchEngine]:
    store = open_cli_store(db_path)
    try:
        engine = SearchEngine(store, index_dir_for(db_path), open_backend(model))
        if catch_up:
            _catch_up(engine, store)
        yield engine
    finally:
        store.close()


def _catch_up(engine: SearchEngine, store: PaperStore) -> None:
    if engine.live_index_missing():
        raise click.ClickException("no search index yet: run `paperwire reindex` first")
    behind = store.max_seq() - engine.indexed_seq
    if 0 < behind <= AUTO_UPDATE_LIMIT:
        with progress_bar("indexing new papers") as progress:
            engine.update(progress)
    elif behind > AUTO_UPDATE_LIMIT:
        click.echo(
            f"note: {behind} changes are not indexed yet; run `paperwire reindex --catch-up`",
            err=True,
        )
