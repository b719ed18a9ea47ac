"""A paper's keyphrases: candidates from its title and abstract, ranked by a small scorer.

The candidates come from the rule-based chunker (``candidates.py``); an acronym
and its expansion merge into one keyphrase under the expansion's key (the
expansion the paper gives, else the one most arXiv cs papers give,
``tables.py``). Each keyphrase is then described by a few cheap features of
where and how it occurs (position, title, frequency, the words' document
frequency in arXiv cs, length, shape) and scored by a logistic regression
whose weights (``data/scorer.json``) were fitted on the tuning half of Hugging
Face's keywords; docs/KEYPHRASES.md gives the protocol and the measurements.
No embedding is computed per candidate, so extraction costs far less than
embedding the paper.
"""

from __future__ import annotations

import itertools
import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources

from paperwire.phrases import phrase_key
from paperwire.understanding.candidates import (
    GENERIC_WORDS,
    Candidate,
    acronym_definitions,
    candidates,
    is_acronym,
)
from paperwire.understanding.tables import Tables, load_tables

__all__ = [
    "FEATURES",
    "Keyphrase",
    "Scorer",
    "candidate_features",
    "extract_keyphrases",
    "load_scorer",
    "scored_candidates",
]

TOP_K = 10

FEATURES = (
    "bias",
    "log_freq",
    "first_position",
    "in_title",
    "words_1",
    "words_2",
    "words_3",
    "words_4",
    "idf_min",
    "idf_mean",
    "idf_last",
    "acronym",
    "digit",
    "mixed_case",
    "capitalised",
    "whole_chunk",
    "defined",
    "generic_last",
    "generic_share",
    "hyphen",
    "parent_share",
    "title_words_2plus",
)


@dataclass(frozen=True, slots=True)
class Keyphrase:
    """One keyphrase of a paper: what is shown, its normalised key, its score."""

    phrase: str
    key: str
    score: float


@dataclass(frozen=True, slots=True)
class Scorer:
    """A logistic regression over ``FEATURES``: ``weights[i]`` multiplies feature ``i``."""

    weights: tuple[float, ...]

    def score(self, features: Sequence[float]) -> float:
        """The linear score (the log-odds of being a keyphrase)."""
        return sum(w * x for w, x in zip(self.weights, features, strict=True))


@cache
def load_scorer() -> Scorer:
    """The packaged scorer. Raises ``ValueError`` if its features are not ``FEATURES``."""
    path = resources.files("paperwire.understanding") / "data" / "scorer.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    if tuple(data["features"]) != FEATURES:
        raise ValueError(f"{path}: its features {data['features']} are not {list(FEATURES)}")
    return Scorer(tuple(float(w) for w in data["weights"]))


def merged_candidates(
    title: str, abstract: str, tables: Tables | None = None
) -> tuple[dict[str, Candidate], set[str]]:
    """The paper's candidates with each acronym merged into its expansion.

    Returns the candidates by key and the keys that are an acronym the paper
    defines or the expansion it gives.
    """
    tables = tables or load_tables()
    found = candidates(title, abstract)
    defined = {
        acronym: phrase_key(expansion)
        for acronym, expansion in acronym_definitions(f"{title}. {abstract}").items()
    }
    marked = set(defined) | set(defined.values())
    for key in [k for k in found if " " not in k or k in tables.acronyms or k in defined]:
        expansion = defined.get(key) or tables.acronyms.get(key)
        if not expansion or expansion == key or key not in found:
            continue
        acronym = found.pop(key)
        target = found.get(expansion)
        if target is None:
            acronym.key = expansion
            acronym.words = len(expansion.split())
            found[expansion] = acronym
            continue
        for form, count in acronym.forms.items():
            target.forms[form] = target.forms.get(form, 0) + count
        target.positions.extend(acronym.positions)
        target.in_title = target.in_title or acronym.in_title
        target.whole_chunk = target.whole_chunk or acronym.whole_chunk
        target.capitalised = target.capitalised or acronym.capitalised
        if key in marked:
            marked.add(expansion)
    for expansion in set(defined.values()):
        _drop_inner_pieces(found, expansion)
    return found, marked


def _drop_inner_pieces(found: dict[str, Candidate], expansion: str) -> None:
    # "group relative policy" only ever inside "group relative policy optimization":
    # a piece of a defined expansion that never occurs on its own is no keyphrase.
    whole = found.get(expansion)
    if whole is None:
        return
    words = expansion.split()
    spelled_out = sum(n for f, n in whole.forms.items() if len(f.split()) == len(words))
    for size in range(1, len(words)):
        for start in range(len(words) - size + 1):
            piece = " ".join(words[start : start + size])
            inner = found.get(piece)
            if inner is not None and len(inner.positions) <= spelled_out:
                del found[piece]


def candidate_features(
    found: dict[str, Candidate], marked: set[str], tables: Tables
) -> dict[str, list[float]]:
    """``FEATURES`` of every candidate, by key."""
    total = max((max(c.positions) for c in found.values()), default=0) + 1
    parents: dict[str, int] = {}
    for candidate in found.values():
        words = candidate.key.split()
        if len(words) > 1:
            count = len(candidate.positions)
            for child in (" ".join(words[:-1]), " ".join(words[1:])):
                parents[child] = max(parents.get(child, 0), count)
    rows: dict[str, list[float]] = {}
    for key, candidate in found.items():
        words = key.split()
        idfs = [tables.idf(w) for w in words]
        form = candidate.form
        form_words = form.split()
        count = len(candidate.positions)
        n = min(len(words), 4)
        rows[key] = [
            1.0,
            math.log1p(count),
            min(candidate.positions) / total,
            float(candidate.in_title),
            float(n == 1),
            float(n == 2),
            float(n == 3),
            float(n == 4),
            min(idfs) / 10,
            sum(idfs) / len(idfs) / 10,
            idfs[-1] / 10,
            float(any(_shape(w)[0] for w in form_words)),
            float(any(_shape(w)[1] for w in form_words)),
            float(any(_shape(w)[2] for w in form_words)),
            float(candidate.capitalised),
            float(candidate.whole_chunk),
            float(key in marked),
            float(words[-1] in GENERIC_WORDS),
            sum(w in GENERIC_WORDS for w in words) / len(words),
            float("-" in form),
            min(parents.get(key, 0) / count, 1.0),
            float(candidate.in_title and n >= 2),
        ]
    return rows


@lru_cache(maxsize=65536)
def _shape(word: str) -> tuple[bool, bool, bool]:
    # (an acronym, holds a digit, mixed case): asked for every word of every candidate.
    return is_acronym(word), any(c.isdigit() for c in word), _mixed_case(word)


def _mixed_case(word: str) -> bool:
    # "ConvLLaVA", "ScreenSpot", "GPT-4o": a capital after a lowercase letter.
    return any(a.islower() and b.isupper() for a, b in itertools.pairwise(word))


def scored_candidates(
    title: str, abstract: str, scorer: Scorer | None = None, tables: Tables | None = None
) -> list[Keyphrase]:
    """Every candidate of the paper as a ``Keyphrase``, best first (ties by key)."""
    tables = tables or load_tables()
    scorer = scorer or load_scorer()
    found, marked = merged_candidates(title, abstract, tables)
    features = candidate_features(found, marked, tables)
    ranked = [
        Keyphrase(_shown(found[key]), key, scorer.score(row)) for key, row in features.items()
    ]
    ranked.sort(key=lambda k: (-k.score, k.key))
    return ranked


def _shown(candidate: Candidate) -> str:
    # The paper's own most used spelling; lowercase unless it is a name or an acronym.
    form = candidate.form
    words = form.split()
    if any(any(_shape(w)) for w in words):
        return form
    return form if candidate.capitalised and len(words) == 1 else form.lower()


def extract_keyphrases(title: str, abstract: str, k: int = TOP_K) -> list[Keyphrase]:
    """The paper's ``k`` best keyphrases, best first, each key once.

    ``title`` and ``abstract`` are plain text (TeX already converted); an empty
    abstract gives the title's keyphrases, and empty text gives none.
    """
    return scored_candidates(title, abstract)[:k]
