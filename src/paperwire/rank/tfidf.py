"""Tf-idf of title-and-abstract words, as sparse rows, with numpy alone.

The weighting is the textbook one that arxiv-sanity uses (through
scikit-learn): accents folded, lowercase, tokens of two or more word
characters, English function words dropped, unigrams and bigrams of what
remains, sublinear term frequency ``1 + ln(tf)``, smoothed inverse document
frequency ``ln((1 + n) / (1 + df)) + 1`` (Manning, Raghavan and Schütze,
*Introduction to Information Retrieval*, ch. 6), terms kept within a
document-frequency band and up to a vocabulary size (the most frequent
first), and every row scaled to unit length.

``SparseRows`` is the compressed-row matrix the per-user model trains on:
the few products it needs (rows, ``X @ w``, ``X.T @ v``) in vectorised numpy.
"""

from __future__ import annotations

import itertools
import math
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

__all__ = ["STOP_WORDS", "SparseRows", "TfidfSettings", "tfidf_rows"]

_TOKEN = re.compile(r"\b\w\w+\b")

# English function words (articles, pronouns, prepositions, conjunctions,
# auxiliaries and the commonest adverbs): they say nothing of a paper's topic.
_FUNCTION_WORDS = """
    a about above after again against all almost along also although am among an and
    another any are around as at be because been before being below between both but by can
    cannot could did do does doing done down during each either else enough even ever every
    few for from further had has have having he her here hers herself him himself his how
    however if in into is it its itself just less many may me might more most much must my
    myself neither no nor not now of off often on once one only onto or other others
    otherwise our ours ourselves out over own per perhaps rather same several she should
    since so some such than that the their theirs them themselves then there therefore
    these they this those though through thus to too toward towards under until up upon us
    very via was we well were what whatever when whenever where whereas whether which while
    who whom whose why will with within without would yet you your yours yourself
    yourselves
"""
STOP_WORDS = frozenset(_FUNCTION_WORDS.split())


@dataclass(frozen=True, slots=True)
class TfidfSettings:
    """Which terms count: document-frequency band (``min_df`` documents at least,
    ``max_df`` share at most) and the largest vocabulary kept."""

    min_df: int = 1
    max_df: float = 1.0
    max_features: int = 50_000


@dataclass(slots=True)
class SparseRows:
    """A float32 matrix of ``len(indptr) - 1`` rows and ``width`` columns in
    compressed-row form: row ``r`` holds ``data[indptr[r]:indptr[r+1]]`` at the
    columns ``indices[indptr[r]:indptr[r+1]]``."""

    indptr: np.ndarray  # (rows + 1,) int64
    indices: np.ndarray  # (nnz,) int64
    data: np.ndarray  # (nnz,) float32
    width: int

    @property
    def shape(self) -> tuple[int, int]:
        return len(self.indptr) - 1, self.width

    def take(self, rows: Sequence[int] | np.ndarray) -> SparseRows:
        """The rows ``rows``, in that order."""
        rows = np.asarray(rows, dtype=np.int64)
        starts, ends = self.indptr[rows], self.indptr[rows + 1]
        lengths = ends - starts
        indptr = np.zeros(len(rows) + 1, dtype=np.int64)
        np.cumsum(lengths, out=indptr[1:])
        picks = np.repeat(starts - indptr[:-1], lengths) + np.arange(indptr[-1])
        return SparseRows(indptr, self.indices[picks], self.data[picks], self.width)

    def dot(self, vector: np.ndarray) -> np.ndarray:
        """``X @ vector``: one float64 value per row."""
        products = self.data.astype(np.float64) * vector[self.indices]
        rows = np.repeat(np.arange(self.shape[0]), np.diff(self.indptr))
        sums = np.bincount(rows, weights=products, minlength=self.shape[0])
        return sums.astype(np.float64, copy=False)  # no entries at all: bincount gives ints

    def tdot(self, vector: np.ndarray) -> np.ndarray:
        """``X.T @ vector``: one float64 value per column."""
        weights = np.repeat(np.asarray(vector, dtype=np.float64), np.diff(self.indptr))
        sums = np.bincount(self.indices, weights=self.data * weights, minlength=self.width)
        return sums.astype(np.float64, copy=False)

    def dense_row(self, row: int) -> np.ndarray:
        out = np.zeros(self.width, dtype=np.float64)
        start, end = self.indptr[row], self.indptr[row + 1]
        out[self.indices[start:end]] = self.data[start:end]
        return out


def tfidf_rows(texts: Sequence[str], settings: TfidfSettings = TfidfSettings()) -> SparseRows:
    """One unit-length tf-idf row per text; a text with no counted term is a zero row."""
    counted = [Counter(_terms(text)) for text in texts]
    vocabulary = _vocabulary(counted, settings)
    idf = _idf(counted, vocabulary, len(texts))
    indptr = [0]
    indices: list[int] = []
    data: list[float] = []
    for counts in counted:
        row = sorted(
            (vocabulary[t], (1.0 + math.log(n)) * idf[vocabulary[t]])
            for t, n in counts.items()
            if t in vocabulary
        )
        norm = math.sqrt(sum(value * value for _, value in row)) or 1.0
        indices.extend(column for column, _ in row)
        data.extend(value / norm for _, value in row)
        indptr.append(len(indices))
    return SparseRows(
        np.asarray(indptr, dtype=np.int64),
        np.asarray(indices, dtype=np.int64),
        np.asarray(data, dtype=np.float32),
        max(len(vocabulary), 1),
    )


def _terms(text: str) -> Iterable[str]:
    folded = unicodedata.normalize("NFKD", text.lower())
    plain = "".join(c for c in folded if not unicodedata.combining(c))
    words = [w for w in _TOKEN.findall(plain) if w not in STOP_WORDS]
    yield from words
    yield from (f"{a} {b}" for a, b in itertools.pairwise(words))


def _vocabulary(counted: list[Counter[str]], settings: TfidfSettings) -> dict[str, int]:
    df: Counter[str] = Counter()
    total: Counter[str] = Counter()
    for counts in counted:
        df.update(counts.keys())
        total.update(counts)
    ceiling = settings.max_df * len(counted)
    kept = [t for t, n in df.items() if settings.min_df <= n <= ceiling]
    kept.sort(key=lambda t: (-total[t], t))  # the most frequent first; ties by the term
    return {term: column for column, term in enumerate(sorted(kept[: settings.max_features]))}


def _idf(counted: list[Counter[str]], vocabulary: dict[str, int], documents: int) -> np.ndarray:
    df = np.zeros(max(len(vocabulary), 1), dtype=np.float64)
    for counts in counted:
        for term in counts:
            column = vocabulary.get(term)
            if column is not None:
                df[column] += 1
    return np.log((1.0 + documents) / (1.0 + df)) + 1.0
