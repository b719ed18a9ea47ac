"""The per-user model: a linear classifier of "papers like the ones I keep" over both features.

Trained afresh for every request (a few hundred milliseconds for a week of
listings): the user's positives (saved and upvoted papers) against the
candidates themselves as unlabelled negatives, as arxiv-sanity does, plus the
papers the user marked "not interested" as negatives that weigh more. The
features are the paper's embedding and its tf-idf words side by side
(``FeatureSet.joined``), so meaning and exact terms both count.

An optional second round (``feedback``) adds the first round's top
candidates as weak positives and trains again; measured, it did not pay for
its doubled time, so it is off. Every number here was chosen on evaluation
users drawn apart from the reported ones (docs/RECOMMENDATIONS.md).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from paperwire.rank.features import FeatureSet, JoinedRows
from paperwire.rank.linear_svm import train_linear_svm

__all__ = ["DEFAULT_PARAMS", "ModelParams", "score_candidates"]


@dataclass(frozen=True, slots=True)
class ModelParams:
    embedding_weight: float = 1.0  # scale of the embedding block against tf-idf
    c: float = 0.02  # the classifier's regularisation: small C, smooth boundary
    negative_weight: float = 3.0  # an explicit "not interested" against an unlabelled paper
    feedback: int = 0  # top candidates taken as weak positives in a second round; 0: none
    feedback_weight: float = 0.2


DEFAULT_PARAMS = ModelParams()


def score_candidates(
    features: FeatureSet,
    positives: Sequence[int],
    candidates: Sequence[int],
    negatives: Sequence[int] = (),
    params: ModelParams = DEFAULT_PARAMS,
) -> np.ndarray:
    """A score for each candidate row, higher is better; needs at least one positive."""
    if not positives:
        raise ValueError("the model needs at least one positive paper")
    matrix = features.joined(params.embedding_weight)
    cand = np.asarray(candidates, dtype=np.int64)
    scores = _fit_and_score(matrix, positives, cand, negatives, (), params)
    if params.feedback and len(cand) > params.feedback * 2:
        top = [int(r) for r in cand[np.argsort(-scores, kind="stable")[: params.feedback]]]
        scores = _fit_and_score(matrix, positives, cand, negatives, top, params)
    return scores


def _fit_and_score(
    matrix: JoinedRows,
    positives: Sequence[int],
    candidates: np.ndarray,
    negatives: Sequence[int],
    weak: Sequence[int],
    params: ModelParams,
) -> np.ndarray:
    known = set(positives) | set(negatives) | set(weak)
    unlabelled = [int(r) for r in candidates if int(r) not in known]
    groups = [
        (list(positives), 1, 1.0),
        (list(weak), 1, params.feedback_weight),
        (list(negatives), 0, params.negative_weight),
        (unlabelled, 0, 1.0),
    ]
    rows = np.array([r for group, _, _ in groups for r in group], dtype=np.int64)
    labels = np.array([label for group, label, _ in groups for _ in group])
    weights = np.array([w for group, _, w in groups for _ in group], dtype=np.float64)
    if labels.min() == labels.max():  # nothing to tell apart: rank by likeness instead
        mean = np.full(len(positives), 1.0 / len(positives))
        return matrix.take(candidates).dot(matrix.take(list(positives)).tdot(mean))
    # Each class weighs as much as the other in all ("balanced", as arxiv-sanity does).
    balance = np.where(labels == 1, len(labels) / (2.0 * labels.sum()), 0.0)
    balance[labels == 0] = len(labels) / (2.0 * (labels == 0).sum())
    model = train_linear_svm(
        matrix.take(rows), np.where(labels == 1, 1.0, -1.0), params.c * balance * weights
    )
    return model.decision(matrix.take(candidates))
