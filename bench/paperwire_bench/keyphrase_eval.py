"""Keyphrases against Hugging Face's ``ai_keywords``: P, R and F1 at 10, ours and two baselines.

The papers are the hf-daily-papers items that carry ``ai_keywords`` (each arXiv
id once, its first item). They are split in two fixed halves by arXiv id: the
*tuning* half (the id's last digit is even) fits the scorer, the *report* half
(odd) is the one the figures are quoted on. docs/KEYPHRASES.md is the protocol.

Every method's top 10 and the gold keywords pass through one normaliser,
``paperwire.phrases.phrase_key``; duplicates after it count
once. Exact match compares keys; partial match also counts a key whose words
hold the other's words as a contiguous run ("semantic encoder" and
"contrastive semantic encoder").
"""

from __future__ import annotations

import gzip
import json
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from paperwire.phrases import phrase_key
from paperwire.search.embedding import EmbeddingBackend
from paperwire.understanding.keyphrases import (
    FEATURES,
    Scorer,
    candidate_features,
    extract_keyphrases,
    merged_candidates,
    scored_candidates,
)
from paperwire.understanding.tables import load_tables

__all__ = [
    "HF_FILE",
    "EvalPaper",
    "Scores",
    "embedding_mmr_method",
    "evaluate",
    "fit_scorer",
    "frequency_position_scorer",
    "hand_weighted_scorer",
    "ours_method",
    "read_papers",
    "score_method",
    "split",
    "tfidf_method",
    "training_rows",
    "write_scorer",
    "yake_method",
]

HF_FILE = "hf-daily-papers/hf_daily_papers_2024-05-27_to_2026-08-21.normalized.jsonl.gz"
K = 10

Method = Callable[[Sequence["EvalPaper"]], list[list[str]]]


@dataclass(frozen=True, slots=True)
class EvalPaper:
    arxiv_id: str
    title: str
    abstract: str
    keywords: tuple[str, ...]  # Hugging Face's ai_keywords


@dataclass(frozen=True, slots=True)
class Scores:
    """Mean per-paper precision, recall and F1 at 10, exact and partial."""

    precision: float
    recall: float
    f1: float
    partial_precision: float
    partial_recall: float
    partial_f1: float
    papers: int
    seconds: float

    def as_dict(self) -> dict[str, float | int]:
        return {
            "precision@10": round(self.precision, 4),
            "recall@10": round(self.recall, 4),
            "f1@10": round(self.f1, 4),
            "partial_precision@10": round(self.partial_precision, 4),
            "partial_recall@10": round(self.partial_recall, 4),
            "partial_f1@10": round(self.partial_f1, 4),
            "papers": self.papers,
            "papers_per_second": round(self.papers / self.seconds, 1) if self.seconds else 0.0,
        }


def read_papers(path: Path) -> list[EvalPaper]:
    """The items with ``ai_keywords``, each arXiv id once (its first item), in file order.

    Raises ``ValueError`` naming the line of a record that is not a daily-papers item.
    """
    seen: set[str] = set()
    papers = []
    with gzip.open(path, "rt", encoding="utf-8") as lines:
        for number, line in enumerate(lines, start=1):
            try:
                record = json.loads(line)
                keywords = record.get("ai_keywords") or []
                arxiv_id = record["arxiv_id"]
                title, abstract = record["title"], record.get("summary") or ""
            except (ValueError, KeyError, TypeError) as exc:
                raise ValueError(f"{path}:{number}: not a daily-papers item ({exc})") from exc
            if not keywords or arxiv_id in seen:
                continue
            seen.add(arxiv_id)
            papers.append(EvalPaper(arxiv_id, " ".join(title.split()), abstract, tuple(keywords)))
    return papers


def split(papers: Iterable[EvalPaper]) -> tuple[list[EvalPaper], list[EvalPaper]]:
    """(tuning half, report half): an arXiv id ending in an even digit tunes."""
    tune, report = [], []
    for paper in papers:
        (tune if int(paper.arxiv_id[-1]) % 2 == 0 else report).append(paper)
    return tune, report


def _keys(phrases: Iterable[str]) -> list[str]:
    keys: list[str] = []
    for phrase in phrases:
        key = phrase_key(phrase)
        if key and key not in keys:
            keys.append(key)
    return keys


def _contains(longer: str, shorter: str) -> bool:
    return f" {shorter} " in f" {longer} "


def _partial(a: str, b: str) -> bool:
    return _contains(a, b) or _contains(b, a)


def score_method(predicted: list[list[str]], papers: Sequence[EvalPaper], seconds: float) -> Scores:
    """Mean per-paper P/R/F1 at ``K`` of ``predicted`` (one list per paper, best first)."""
    sums = [0.0] * 6
    for phrases, paper in zip(predicted, papers, strict=True):
        guess = _keys(phrases)[:K]
        gold = _keys(paper.keywords)
        hits = len(set(guess) & set(gold))
        partial_p = sum(any(_partial(g, t) for t in gold) for g in guess)
        partial_r = sum(any(_partial(g, t) for g in guess) for t in gold)
        for offset, (right_guesses, found_gold) in ((0, (hits, hits)), (3, (partial_p, partial_r))):
            p = right_guesses / len(guess) if guess else 0.0
            r = found_gold / len(gold) if gold else 0.0
            sums[offset] += p
            sums[offset + 1] += r
            sums[offset + 2] += 2 * p * r / (p + r) if p + r else 0.0
    n = max(len(papers), 1)
    means = [s / n for s in sums]
    return Scores(*means, papers=len(papers), seconds=seconds)


def ours_method(scorer: Scorer | None = None) -> Method:
    """paperwire's extractor (the packaged scorer unless ``scorer`` is given)."""

    def run(papers: Sequence[EvalPaper]) -> list[list[str]]:
        if scorer is None:
            return [[k.phrase for k in extract_keyphrases(p.title, p.abstract)] for p in papers]
        return [
            [k.phrase for k in scored_candidates(p.title, p.abstract, scorer)[:K]] for p in papers
        ]

    return run


def hand_weighted_scorer() -> Scorer:
    """The alternative with weights set by hand: frequency, title, idf, whole chunk, for;
    a generic head word and a late first position, against."""
    return _weights(
        log_freq=1, in_title=1, idf_mean=1, whole_chunk=1, generic_last=-1, first_position=-1
    )


def frequency_position_scorer() -> Scorer:
    """The alternative that reads only how often and how early a candidate occurs."""
    return _weights(log_freq=1, first_position=-1)


def _weights(**given: float) -> Scorer:
    unknown = set(given) - set(FEATURES)
    if unknown:
        raise ValueError(f"no such features: {sorted(unknown)}")
    return Scorer(tuple(float(given.get(f, 0.0)) for f in FEATURES))


def embedding_mmr_method(
    backend: EmbeddingBackend, pool: int = 40, diversity: float = 0.3
) -> Method:
    """The alternative the issue suggested: the document and the scorer's top ``pool``
    candidates embedded, ten picked by maximal marginal relevance (Carbonell and
    Goldstein, 1998) with ``1 - diversity`` weight on similarity to the document."""

    def run(papers: Sequence[EvalPaper]) -> list[list[str]]:
        found = []
        for paper in papers:
            pooled = scored_candidates(paper.title, paper.abstract)[:pool]
            if not pooled:
                found.append([])
                continue
            texts = [f"{paper.title}. {paper.abstract}", *(c.phrase for c in pooled)]
            vectors = np.asarray(backend.embed(texts), dtype=np.float32)
            document, phrases = vectors[0], vectors[1:]
            relevance = phrases @ document
            chosen: list[int] = []
            while len(chosen) < min(K, len(pooled)):
                redundancy = (
                    (phrases @ phrases[chosen].T).max(axis=1) if chosen else np.zeros(len(pooled))
                )
                value = (1 - diversity) * relevance - diversity * redundancy
                value[chosen] = -np.inf
                chosen.append(int(np.argmax(value)))
            found.append([pooled[i].phrase for i in chosen])
        return found

    return run


def yake_method(papers: Sequence[EvalPaper]) -> list[list[str]]:
    """YAKE (Campos et al., 2020), the PyPI ``yake`` package: n-grams up to 3, top 10."""
    import yake  # a development dependency: the baseline only

    extractor = yake.KeywordExtractor(lan="en", n=3, top=K)
    return [[k for k, _ in extractor.extract_keywords(_text(p))] for p in papers]


def tfidf_method(papers: Sequence[EvalPaper]) -> list[list[str]]:
    """Tf-idf top 10: scikit-learn's 1- to 3-grams with its English stop words, the
    document frequencies over the same papers, sublinear tf."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    vectorizer = TfidfVectorizer(ngram_range=(1, 3), stop_words="english", sublinear_tf=True)
    matrix = vectorizer.fit_transform([_text(p) for p in papers]).tocsr()
    terms = vectorizer.get_feature_names_out()
    found = []
    for row in range(matrix.shape[0]):
        start, end = matrix.indptr[row], matrix.indptr[row + 1]
        order = sorted(range(start, end), key=lambda i: -matrix.data[i])[:K]
        found.append([str(terms[matrix.indices[i]]) for i in order])
    return found


def _text(paper: EvalPaper) -> str:
    return f"{paper.title}. {paper.abstract}"


def evaluate(papers: Sequence[EvalPaper], methods: dict[str, Method]) -> dict[str, Scores]:
    """Each method's ``Scores`` on ``papers``, timed."""
    results = {}
    for name, method in methods.items():
        started = time.perf_counter()
        predicted = method(papers)
        results[name] = score_method(predicted, papers, time.perf_counter() - started)
    return results


def training_rows(papers: Sequence[EvalPaper]) -> tuple[list[list[float]], list[int]]:
    """Every candidate's features and whether its key is one of the paper's gold keys."""
    tables = load_tables()
    rows: list[list[float]] = []
    labels: list[int] = []
    for paper in papers:
        gold = set(_keys(paper.keywords))
        found, marked = merged_candidates(paper.title, paper.abstract, tables)
        for key, row in candidate_features(found, marked, tables).items():
            rows.append(row)
            labels.append(int(key in gold))
    return rows, labels


def fit_scorer(papers: Sequence[EvalPaper], c: float = 1.0) -> Scorer:
    """A logistic regression (scikit-learn, L2 with strength ``1/c``) fitted on ``papers``."""
    from sklearn.linear_model import LogisticRegression

    rows, labels = training_rows(papers)
    model = LogisticRegression(C=c, fit_intercept=False, max_iter=2000)
    model.fit(rows, labels)
    return Scorer(tuple(float(w) for w in model.coef_[0]))


def write_scorer(scorer: Scorer, path: Path, note: str) -> None:
    """Writes ``scorer`` as the packaged ``scorer.json``, with ``note`` saying how it was fitted."""
    data = {
        "note": note,
        "features": list(FEATURES),
        "weights": [round(w, 6) for w in scorer.weights],
    }
    path.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
