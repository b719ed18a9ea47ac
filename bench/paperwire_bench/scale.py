"""``paperwire bench scale-up``: a large store grown from a real one, for search at scale.

The real papers are copied with their stored embeddings. Synthetic papers
are then added until the wanted count, each recombined from two real papers
A and B drawn at random:

- text: the first half of A's title words with the second half of B's; the
  first half of A's abstract sentences with the second half of B's;
- facts: A's authors, categories, listing date, organisation and code links;
- vector: the stored vectors of A and B, weighted by the share of the
  abstract each gave, plus Gaussian noise (``noise`` per dimension), then
  L2-normalised. It is stored under the model's name with the hash of the
  synthetic text, so ``paperwire reindex`` indexes it without embedding.

How close such vectors are to what the model makes of the recombined text is
measured, not assumed: ``check_vectors`` embeds a sample of synthetic texts
and reports the cosine to their synthetic vectors.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from itertools import chain

import numpy as np

from paperwire.model import Paper
from paperwire.search.embedding import EmbeddingBackend, paper_text
from paperwire.search.indexer import text_hash
from paperwire.store.base import PaperStore, StoredEmbedding

__all__ = [
    "NOISE",
    "ScaleError",
    "ScaleReport",
    "check_vectors",
    "recombine",
    "scale_up",
    "synthetic_id",
]

NOISE = 0.02  # per dimension: a noise vector of norm 0.02 * sqrt(384), about 0.39
_BATCH = 1000
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")

Progress = Callable[[int, int], None]  # (papers written, papers wanted)


class ScaleError(ValueError):
    """The stores cannot be scaled as asked; the message says what to do."""


@dataclass(frozen=True, slots=True)
class ScaleReport:
    real: int  # real papers copied with their vectors
    synthetic: int  # recombined papers added
    model: str
    noise: float
    seed: int
    seconds: float

    def figures(self) -> dict[str, object]:
        return {
            "papers": self.real + self.synthetic,
            "real": self.real,
            "synthetic": self.synthetic,
            "model": self.model,
            "noise_per_dimension": self.noise,
            "seed": self.seed,
            "seconds": round(self.seconds, 1),
        }


@dataclass(frozen=True, slots=True)
class _Source:
    papers: list[Paper]
    vectors: np.ndarray  # row i is the stored vector of papers[i]


def synthetic_id(number: int) -> str:
    """Synthetic papers live in their own namespace: never mistaken for arXiv ones."""
    return f"scale:{number:07d}"


def recombine(
    number: int, a: Paper, b: Paper, va: np.ndarray, vb: np.ndarray, noise: np.ndarray
) -> tuple[Paper, np.ndarray]:
    """Synthetic paper ``number`` from A and B, and its vector (``noise`` already drawn)."""
    title_head, title_tail = _halves(a.title.split(), b.title.split())
    title = " ".join(title_head + title_tail)
    head, tail = _halves(_sentences(a.abstract), _sentences(b.abstract))
    abstract = " ".join(head + tail)
    share_a = len(" ".join(head)) / max(1, len(abstract))
    vector = share_a * va + (1 - share_a) * vb + noise
    vector = (vector / np.linalg.norm(vector)).astype(np.float32)
    paper = Paper(
        id=synthetic_id(number),
        title=title,
        abstract=abstract,
        authors=list(a.authors),
        categories=list(a.categories),
        primary_category=a.primary_category,
        published=a.published,
        listed_on=a.listed_on,
        github_repos=list(a.github_repos),
        project_pages=list(a.project_pages),
        organization=a.organization,
        source="listing",
    )
    return paper, vector


def scale_up(
    source: PaperStore,
    target: PaperStore,
    papers: int,
    model: str,
    *,
    seed: int = 7,
    noise: float = NOISE,
    progress: Progress | None = None,
) -> ScaleReport:
    """Fill the empty ``target`` with ``source``'s embedded papers, then synthetic ones
    up to ``papers`` in all."""
    started = time.perf_counter()
    if target.stats().papers:
        raise ScaleError("the target store is not empty: give a new file or an empty database")
    real = _embedded_papers(source, model)
    if len(real.papers) < 2:
        raise ScaleError(
            f"the source store has {len(real.papers)} papers embedded with {model}: "
            f"run `paperwire reindex --db SOURCE --model {model}` first"
        )
    rng = np.random.default_rng(seed)
    wanted = max(papers, len(real.papers))
    done = 0
    batches = chain(
        _batches(real, _BATCH), _synthetic_batches(real, wanted - len(real.papers), rng, noise)
    )
    for batch, vectors in batches:
        _write(target, batch, vectors, model)
        if done == 0 or done == len(real.papers):  # the first real and first synthetic batch
            _check_unchanged(target, batch)
        done += len(batch)
        if progress is not None:
            progress(done, wanted)
    return ScaleReport(
        real=len(real.papers),
        synthetic=wanted - len(real.papers),
        model=model,
        noise=noise,
        seed=seed,
        seconds=time.perf_counter() - started,
    )


def check_vectors(
    store: PaperStore, backend: EmbeddingBackend, sample: int, synthetic: int, seed: int = 7
) -> dict[str, float | int]:
    """Cosine between ``sample`` synthetic vectors and the model's own embedding of
    their text; for scale, also the mean cosine between unrelated papers."""
    numbers = np.random.default_rng(seed).permutation(synthetic)[:sample] + 1
    ids = [synthetic_id(int(n)) for n in numbers]
    found = store.get_papers(ids)
    stored = store.get_embeddings(list(found), backend.name)
    chosen = [found[i] for i in ids if i in found and i in stored]
    if not chosen:
        return {"sampled": 0}
    fresh = backend.embed([paper_text(p) for p in chosen])
    made = np.vstack([stored[p.id].vector for p in chosen])
    cosines = np.sum(fresh * made, axis=1)
    unrelated = np.sum(fresh * np.roll(fresh, 1, axis=0), axis=1)
    return {
        "sampled": len(chosen),
        "cosine_mean": round(float(cosines.mean()), 4),
        "cosine_min": round(float(cosines.min()), 4),
        "unrelated_cosine_mean": round(float(unrelated.mean()), 4),
    }


def _embedded_papers(store: PaperStore, model: str) -> _Source:
    """The papers whose stored vector was made from their current text."""
    stored = {e.paper_id: e for e in store.iter_embeddings(model)}
    papers = [
        p
        for p in store.iter_papers()
        if (e := stored.get(p.id)) is not None and e.text_hash == text_hash(paper_text(p))
    ]
    if not papers:
        return _Source([], np.zeros((0, 0), np.float32))
    return _Source(papers, np.vstack([stored[p.id].vector for p in papers]).astype(np.float32))


def _batches(source: _Source, size: int) -> Iterator[tuple[list[Paper], np.ndarray]]:
    for start in range(0, len(source.papers), size):
        yield source.papers[start : start + size], source.vectors[start : start + size]


def _synthetic_batches(
    source: _Source, count: int, rng: np.random.Generator, noise: float
) -> Iterator[tuple[list[Paper], np.ndarray]]:
    dim = source.vectors.shape[1]
    total = len(source.papers)
    for start in range(0, count, _BATCH):
        size = min(_BATCH, count - start)
        pairs = rng.integers(0, total, size=(size, 2))
        pairs[:, 1] = np.where(pairs[:, 0] == pairs[:, 1], (pairs[:, 1] + 1) % total, pairs[:, 1])
        noises = rng.normal(0.0, noise, size=(size, dim)).astype(np.float32)
        made = [
            recombine(
                start + row + 1,
                source.papers[i],
                source.papers[j],
                source.vectors[i],
                source.vectors[j],
                noises[row],
            )
            for row, (i, j) in enumerate(pairs.tolist())
        ]
        yield [p for p, _ in made], np.vstack([v for _, v in made])


def _write(target: PaperStore, papers: list[Paper], vectors: np.ndarray, model: str) -> None:
    target.upsert_papers(papers)
    seq = target.max_seq()
    target.put_embeddings(
        StoredEmbedding(p.id, model, text_hash(paper_text(p)), seq, vector)
        for p, vector in zip(papers, vectors, strict=True)
    )


def _check_unchanged(target: PaperStore, papers: list[Paper]) -> None:
    """The store keeps the text as written, so the indexer will reuse every vector
    (a changed text would be embedded again: hours at a million papers)."""
    stored = target.get_papers([p.id for p in papers])
    for paper in papers:
        if paper_text(stored[paper.id]) != paper_text(paper):
            raise ScaleError(f"the store changed the text of {paper.id}: its vector would not fit")


def _halves(first: list[str], second: list[str]) -> tuple[list[str], list[str]]:
    """The first half of ``first`` (the middle item included) and the second of ``second``."""
    return first[: (len(first) + 1) // 2], second[len(second) // 2 :]


def _sentences(text: str) -> list[str]:
    return [s for s in _SENTENCE_END.split(" ".join(text.split())) if s]
