"""Embedding backends: the protocol every one follows, and choosing one by name.

The protocol (``EmbeddingBackend``) is small on purpose:

``name: str``
    Identifies the vector space: the store and the index keep vectors under
    this name, so two backends share a name only if their vectors are
    interchangeable.
``dim: int``
    The length of every vector.
``embed(texts: Sequence[str]) -> numpy.ndarray``
    One float32 row of length ``dim`` per text, in order, each row
    L2-normalised (so a dot product is the cosine). An empty sequence gives an
    array of shape ``(0, dim)``; an empty string is a valid text.

Built in: ``minilm-int8`` (the default; all-MiniLM-L6-v2, onnxruntime, int8
weights) and ``minilm-fp32`` (the same graph, unquantised). Another backend, a
GPU one for a large backfill, say, is added with ``register_backend`` and then
loaded by name like these: ``load_backend("name")``.

A paper is embedded as ``paper_text(paper)``: its title, then its abstract.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

import numpy as np

from paperwire.config import DEFAULT_EMBEDDING_MODEL, Settings, load_settings
from paperwire.model import Paper
from paperwire.search.minilm import MiniLMBackend

__all__ = [
    "DEFAULT_BACKEND",
    "BackendFactory",
    "BackendOptions",
    "EmbeddingBackend",
    "UnknownBackend",
    "backend_names",
    "load_backend",
    "paper_text",
    "register_backend",
]

DEFAULT_BACKEND = DEFAULT_EMBEDDING_MODEL


@runtime_checkable
class EmbeddingBackend(Protocol):
    name: str
    dim: int

    def embed(self, texts: Sequence[str]) -> np.ndarray: ...


@dataclass(frozen=True, slots=True)
class BackendOptions:
    """What any backend may be given when it loads; each uses what applies to it."""

    settings: Settings
    threads: int | None = None  # CPU threads; None: all available cores
    batch_size: int = 16  # texts per model call


BackendFactory = Callable[[BackendOptions], EmbeddingBackend]


class UnknownBackend(ValueError):
    """No backend is registered under the name asked for; the message lists them."""


def _minilm(variant: str) -> BackendFactory:
    def factory(options: BackendOptions) -> EmbeddingBackend:
        return MiniLMBackend(
            variant,
            settings=options.settings,
            threads=options.threads,
            batch_size=options.batch_size,
        )

    return factory


_REGISTRY: dict[str, BackendFactory] = {
    "minilm-int8": _minilm("int8"),
    "minilm-fp32": _minilm("fp32"),
}


def register_backend(name: str, factory: BackendFactory, *, replace: bool = False) -> None:
    """Make ``load_backend(name)`` call ``factory``."""
    if name in _REGISTRY and not replace:
        raise ValueError(f"an embedding backend is already registered as {name!r}")
    _REGISTRY[name] = factory


def backend_names() -> list[str]:
    return sorted(_REGISTRY)


def load_backend(
    name: str = DEFAULT_BACKEND,
    *,
    settings: Settings | None = None,
    threads: int | None = None,
    batch_size: int = 16,
) -> EmbeddingBackend:
    """The backend registered as ``name``, loaded (and its model built if need be)."""
    factory = _REGISTRY.get(name)
    if factory is None:
        raise UnknownBackend(
            f"unknown embedding backend {name!r}: choose one of {', '.join(backend_names())}"
        )
    options = BackendOptions(settings or load_settings(), threads, batch_size)
    return factory(options)


def paper_text(paper: Paper) -> str:
    """What a paper is embedded as: "Title. Abstract" (no extra stop after ? or !)."""
    title = " ".join(paper.title.split())
    abstract = " ".join(paper.abstract.split())
    if not abstract:
        return title
    if not title:
        return abstract
    joiner = " " if title[-1] in ".?!" else ". "
    return title + joiner + abstract
