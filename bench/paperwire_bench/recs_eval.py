"""``paperwire eval recs``: the per-user model against the arxiv-sanity-lite baseline.

Both rank the same candidates for the same simulated users in the same run
(``recs_data``; the protocol is docs/RECOMMENDATIONS.md). The baseline is
arxiv-sanity-lite's recommender as it describes itself: tf-idf of title and
abstract (unigrams and bigrams, sublinear tf, English stop words, words seen
in at least 5 and at most 10% of the papers, 20,000 at most) and a linear SVM
(C=0.01, balanced class weights) of the user's papers against every other
paper, ranked by its decision value. Metrics: precision@20 and nDCG@20 with
binary gains, a candidate being relevant when it carries one of the user's
categories; means over users.
"""

from __future__ import annotations

import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import scipy.sparse as sp
from sklearn.exceptions import ConvergenceWarning
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.svm import LinearSVC

from paperwire.rank.features import FeatureSet, build_features, paper_words
from paperwire.rank.usermodel import DEFAULT_PARAMS, ModelParams, score_candidates
from paperwire.search.embedding import EmbeddingBackend
from paperwire.search.metrics import ndcg_at_k
from paperwire_bench.recs_cache import cached_embeddings
from paperwire_bench.recs_data import EvalSet, EvalUser, Protocol, build_eval_set

__all__ = ["RecsEval", "baseline_features", "baseline_scores", "evaluate_recs", "precision_at_k"]

Progress = Callable[[str, int, int], None]  # (stage, done, total)
Ranker = Callable[[EvalUser], np.ndarray]  # scores aligned with EvalSet.candidates


@dataclass(slots=True)
class RecsEval:
    figures: dict[str, object]


def precision_at_k(ranked: list[str], relevant: set[str], k: int) -> float:
    return sum(1 for paper_id in ranked[:k] if paper_id in relevant) / k


def baseline_features(texts: list[str]) -> sp.csr_matrix:
    vectorizer = TfidfVectorizer(
        strip_accents="unicode",
        lowercase=True,
        analyzer="word",
        stop_words="english",
        token_pattern=r"(?u)\b[a-zA-Z_][a-zA-Z0-9_]+\b",
        ngram_range=(1, 2),
        max_features=20_000,
        norm="l2",
        use_idf=True,
        smooth_idf=True,
        sublinear_tf=True,
        max_df=0.1,
        min_df=5,
    )
    return vectorizer.fit_transform(texts).tocsr()


def baseline_scores(
    matrix: sp.csr_matrix, positives: list[int], candidates: list[int]
) -> np.ndarray:
    rows = [*positives, *[c for c in candidates if c not in set(positives)]]
    labels = np.array([1] * len(positives) + [0] * (len(rows) - len(positives)))
    classifier = LinearSVC(C=0.01, class_weight="balanced", max_iter=10_000, tol=1e-6)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        classifier.fit(matrix[rows], labels)
    return np.asarray(classifier.decision_function(matrix[candidates]), dtype=np.float64)


def evaluate_recs(
    data_file: Path,
    backend: EmbeddingBackend,
    cache_folder: Path,
    protocol: Protocol | None = None,
    params: ModelParams = DEFAULT_PARAMS,
    progress: Progress | None = None,
) -> RecsEval:
    started = time.perf_counter()
    data = build_eval_set(data_file, protocol or Protocol())
    papers = [data.papers[i] for i in sorted(data.papers)]
    embed_progress = None if progress is None else (lambda d, n: progress("embed", d, n))
    vectors = cached_embeddings(papers, backend, cache_folder, embed_progress)
    loaded = time.perf_counter()
    features = build_features(papers, dict(zip([p.id for p in papers], vectors, strict=True)))
    baseline = baseline_features([paper_words(p) for p in papers])
    rows = features.row_of()
    candidates = [rows[i] for i in data.candidates]

    def ours(user: EvalUser) -> np.ndarray:
        return score_candidates(features, [rows[i] for i in user.positives], candidates, (), params)

    def theirs(user: EvalUser) -> np.ndarray:
        return baseline_scores(baseline, [rows[i] for i in user.positives], candidates)

    results = {}
    for name, ranker in (("paperwire", ours), ("baseline", theirs)):
        results[name] = _score_users(data, ranker, name, progress)
    precision = results["paperwire"]["precision@20"], results["baseline"]["precision@20"]
    figures: dict[str, object] = {
        **results,
        "relative_precision@20": round(precision[0] / precision[1] - 1.0, 4),
        "relative_ndcg@20": round(
            results["paperwire"]["ndcg@20"] / results["baseline"]["ndcg@20"] - 1.0, 4
        ),
        "protocol": _protocol_figures(data, features),
        "params": {
            "embedding_weight": params.embedding_weight,
            "c": params.c,
            "feedback": params.feedback,
            "feedback_weight": params.feedback_weight,
        },
        "embedding_model": backend.name,
        "seconds": {
            "load_and_embed": round(loaded - started, 1),
            "rank": round(time.perf_counter() - loaded, 1),
        },
    }
    return RecsEval(figures)


def _score_users(
    data: EvalSet, ranker: Ranker, name: str, progress: Progress | None
) -> dict[str, float]:
    k = data.protocol.k
    precisions, ndcgs = [], []
    for done, user in enumerate(data.users, start=1):
        scores = ranker(user)
        order = np.argsort(-scores, kind="stable")[:k]
        ranked = [data.candidates[i] for i in order]
        relevant = data.relevant(user)
        precisions.append(precision_at_k(ranked, relevant, k))
        ndcgs.append(ndcg_at_k(ranked, dict.fromkeys(relevant, 1.0), k))
        if progress is not None:
            progress(name, done, len(data.users))
    return {
        f"precision@{k}": round(float(np.mean(precisions)), 4),
        f"ndcg@{k}": round(float(np.mean(ndcgs)), 4),
    }


def _protocol_figures(data: EvalSet, features: FeatureSet) -> dict[str, object]:
    p = data.protocol
    categories = sorted({c for u in data.users for c in u.categories})
    return {
        "seed": p.seed,
        "candidate_seed": p.candidate_seed,
        "users": len(data.users),
        "users_with_two_categories": sum(1 for u in data.users if len(u.categories) == 2),
        "positives_per_user": p.positives,
        "candidates": len(data.candidates),
        "window": f"{data.window_start.isoformat()}..{data.window_end.isoformat()}",
        "categories": categories,
        "mean_relevant_per_user": round(
            float(np.mean([len(data.relevant(u)) for u in data.users])), 1
        ),
        "embedded": int(features.has_embedding.sum()),
    }
