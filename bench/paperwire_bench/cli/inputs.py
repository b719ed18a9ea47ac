"""What the bench and eval commands share: their input (a shared data set unless one is
given) and the embedding model, each failing as a click error that says what to pass."""

from __future__ import annotations

from pathlib import Path

import click

from paperwire.config import Settings, load_settings
from paperwire.search.embedding import EmbeddingBackend, load_backend
from paperwire_bench.beir import SharedDataMissing, shared_data_dir

__all__ = ["embedding_backend", "input_or_shared", "require_file"]


def input_or_shared(given: Path | None, name: str, flag: str) -> Path:
    """``given``, else the shared data's ``name``; ``flag`` (such as "--data FILE") is
    what the error tells the user to pass when the shared data is absent."""
    if given is not None:
        return given
    try:
        return shared_data_dir() / name
    except SharedDataMissing as exc:
        raise click.ClickException(f"{exc}, or pass {flag}") from exc


def require_file(path: Path) -> Path:
    """``path`` when it is a file; else a click error naming the two ways to give one."""
    if not path.is_file():
        raise click.ClickException(
            f"{path} not found: pass --data FILE or set PAPERWIRE_SHARED_DATA"
        )
    return path


def embedding_backend(model: str, settings: Settings | None = None) -> EmbeddingBackend:
    """The embedding backend ``model`` (``search.embedding.load_backend``), or a click error."""
    try:
        return load_backend(model, settings=settings or load_settings())
    except Exception as exc:  # a missing model package, an unknown name, a broken cache
        raise click.ClickException(f"cannot load the embedding model {model!r}: {exc}") from exc
