"""``paperwire eval summaries``: our one-line summaries against Hugging Face's ``ai_summary``.

The papers are the items of the shared Hugging Face daily-papers days saved
exactly as the API returned them (``hf-daily-papers/raw-days``) that carry an
``ai_summary``, read by the product's own importer (so the abstract is the one
a store holds), one per arXiv id. Each method's line is compared with Hugging
Face's by the mean cosine of their bundled MiniLM embeddings and by ROUGE-L F1
(Google's ``rouge-score``, Porter stemming: Lin, 2004, "ROUGE: A Package for
Automatic Evaluation of Summaries"). The baselines, in the same run: the
abstract's first sentence, and the title. Each difference between ours and a
baseline gets a paired bootstrap 95% interval (papers resampled with
replacement; Efron and Tibshirani, 1993). The papers are split in two fixed
halves by arXiv id (``half_of``): rules are tuned on one, reported on the
other; docs/SUMMARIES.md gives the protocol and the figures.
"""

from __future__ import annotations

import gzip
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from paperwire.ingest.formats.huggingface import parse_hf_api
from paperwire.model import Paper
from paperwire.search.embedding import EmbeddingBackend
from paperwire.understanding.sentences import split_sentences
from paperwire.understanding.summaries import summarize

__all__ = [
    "BASELINES",
    "HALVES",
    "OURS",
    "RAW_DAYS",
    "Comparison",
    "HalfResult",
    "MethodScores",
    "SummaryItem",
    "bootstrap_interval",
    "evaluate_summaries",
    "half_of",
    "load_items",
    "rouge_l",
]

RAW_DAYS = "hf-daily-papers/raw-days"
OURS = "paperwire"
HALVES = ("tune", "report")
BOOTSTRAP_SAMPLES = 10_000
BOOTSTRAP_SEED = 20_260_101


@dataclass(frozen=True, slots=True)
class SummaryItem:
    """One paper of the evaluation: its record (title, abstract) and Hugging Face's line."""

    paper: Paper
    reference: str


def _first_sentence(paper: Paper) -> str:
    sentences = split_sentences(paper.abstract)
    return str(sentences[0]) if sentences else ""


def _title(paper: Paper) -> str:
    return " ".join(paper.title.split())


def _ours(paper: Paper) -> str:
    return summarize(paper.title, paper.abstract) or ""


Method = Callable[[Paper], str]
BASELINES: dict[str, Method] = {"first sentence": _first_sentence, "title": _title}


def half_of(arxiv_id: str) -> str:
    """ "tune" for an arXiv id whose last digit is even, "report" for an odd one: a split
    fixed by the id alone, so anyone gets the same halves."""
    return "tune" if int(arxiv_id[-1]) % 2 == 0 else "report"


def load_items(folder: Path) -> list[SummaryItem]:
    """The papers of the saved daily-papers responses in ``folder`` (``*.json.gz``, or
    ``*.json``) that carry an ``ai_summary``, each arXiv id once (its first day's item),
    sorted by id. Raises FileNotFoundError when ``folder`` holds no response."""
    files = sorted([*folder.glob("*.json.gz"), *folder.glob("*.json")])
    if not files:
        raise FileNotFoundError(f"no daily-papers responses (*.json.gz) in {folder}")
    found: dict[str, SummaryItem] = {}
    for path in files:
        opener = gzip.open if path.suffix == ".gz" else open
        with opener(path, "rb") as stream:
            for record in parse_hf_api(stream, str(path)):
                if isinstance(record, Paper) and record.ai_summary and record.abstract:
                    found.setdefault(record.id, SummaryItem(record, record.ai_summary))
    return [found[key] for key in sorted(found)]


def rouge_l(candidates: Sequence[str], references: Sequence[str]) -> np.ndarray:
    """ROUGE-L F1 of each candidate against its reference (``rouge-score``, stemmed)."""
    try:
        from rouge_score import rouge_scorer
    except ImportError as exc:  # a development dependency (pyproject's dev extras)
        raise RuntimeError(
            "ROUGE-L needs the rouge-score package: pip install -e '.[dev]'"
        ) from exc
    scorer = rouge_scorer.RougeScorer(["rougeL"], use_stemmer=True)
    return np.array(
        [
            scorer.score(ref, cand)["rougeL"].fmeasure
            for cand, ref in zip(candidates, references, strict=True)
        ],
        dtype=np.float64,
    )


def cosines(
    backend: EmbeddingBackend, candidates: Sequence[str], references: Sequence[str]
) -> np.ndarray:
    """Cosine of each candidate's embedding with its reference's (rows are L2-normalised)."""
    left = backend.embed(list(candidates))
    right = backend.embed(list(references))
    return np.einsum("ij,ij->i", left, right).astype(np.float64)


def bootstrap_interval(
    differences: np.ndarray, samples: int = BOOTSTRAP_SAMPLES, seed: int = BOOTSTRAP_SEED
) -> tuple[float, float]:
    """The paired bootstrap 95% interval (2.5th and 97.5th percentiles) of the mean of
    ``differences`` (one per paper), papers drawn with replacement ``samples`` times."""
    if differences.size == 0:
        return (float("nan"), float("nan"))
    rng = np.random.default_rng(seed)
    draws = rng.integers(0, differences.size, size=(samples, differences.size))
    means = differences[draws].mean(axis=1)
    low, high = np.percentile(means, [2.5, 97.5])
    return (float(low), float(high))


@dataclass(frozen=True, slots=True)
class MethodScores:
    """One method on one half: its mean cosine and ROUGE-L, and the per-paper values."""

    name: str
    cosine: float
    rouge_l: float
    mean_words: float
    per_paper_cosine: np.ndarray = field(repr=False)
    per_paper_rouge: np.ndarray = field(repr=False)


@dataclass(frozen=True, slots=True)
class Comparison:
    """Ours minus a baseline on one half: mean differences and their 95% intervals."""

    baseline: str
    cosine: float
    cosine_interval: tuple[float, float]
    rouge_l: float
    rouge_l_interval: tuple[float, float]


@dataclass(frozen=True, slots=True)
class HalfResult:
    half: str
    papers: int
    methods: list[MethodScores]
    comparisons: list[Comparison]

    def as_dict(self) -> dict[str, Any]:
        return {
            "half": self.half,
            "papers": self.papers,
            "methods": {
                m.name: {
                    "cosine": round(m.cosine, 4),
                    "rouge_l": round(m.rouge_l, 4),
                    "mean_words": round(m.mean_words, 1),
                }
                for m in self.methods
            },
            "ours_minus": {
                c.baseline: {
                    "cosine": round(c.cosine, 4),
                    "cosine_95": [round(v, 4) for v in c.cosine_interval],
                    "rouge_l": round(c.rouge_l, 4),
                    "rouge_l_95": [round(v, 4) for v in c.rouge_l_interval],
                }
                for c in self.comparisons
            },
        }


def evaluate_summaries(
    items: Sequence[SummaryItem],
    backend: EmbeddingBackend,
    methods: dict[str, Method] | None = None,
    halves: Sequence[str] = HALVES,
) -> list[HalfResult]:
    """Each half's scores of every method (ours first, then the baselines) against
    Hugging Face's lines, and ours minus each baseline with its interval."""
    methods = methods or {OURS: _ours, **BASELINES}
    results = []
    for half in halves:
        chosen = [item for item in items if half_of(item.paper.id) == half]
        references = [item.reference for item in chosen]
        scored = []
        for name, method in methods.items():
            lines = [method(item.paper) for item in chosen]
            cos = cosines(backend, lines, references)
            rouge = rouge_l(lines, references)
            words = float(np.mean([len(line.split()) for line in lines])) if lines else 0.0
            scored.append(MethodScores(name, _mean(cos), _mean(rouge), words, cos, rouge))
        ours, *baselines = scored
        comparisons = [
            Comparison(
                base.name,
                ours.cosine - base.cosine,
                bootstrap_interval(ours.per_paper_cosine - base.per_paper_cosine),
                ours.rouge_l - base.rouge_l,
                bootstrap_interval(ours.per_paper_rouge - base.per_paper_rouge),
            )
            for base in baselines
        ]
        results.append(HalfResult(half, len(chosen), scored, comparisons))
    return results


def _mean(values: np.ndarray) -> float:
    return float(values.mean()) if values.size else float("nan")
