"""The recommender's own tf-idf and linear SVM agree with scikit-learn's, used here as
the reference implementation (a development dependency; the product does not need it)."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.svm import LinearSVC

from paperwire.rank.features import JoinedRows
from paperwire.rank.linear_svm import _Problem, train_linear_svm
from paperwire.rank.tfidf import STOP_WORDS, SparseRows, TfidfSettings, tfidf_rows

TEXTS = [
    "Diffusion transformers for video generation at scale",
    "Scaling diffusion models with transformers; video and image synthesis",
    "Protein structure prediction with language models",
    "Large language models for protein design and folding",
    "Speech recognition with self-supervised audio transformers",
    "Graph neural networks for molecules: a survey of message passing",
    "Reinforcement learning from human feedback for large language models",
    "Café society: naïve Bayes for résumé screening, revisited",
    "The of and to",  # function words only: a zero row
    "Video transformers learn motion; motion learns video",
]


def dense(rows: SparseRows) -> np.ndarray:
    return np.vstack([rows.dense_row(r) for r in range(rows.shape[0])])


@pytest.mark.parametrize(
    "settings",
    [TfidfSettings(), TfidfSettings(min_df=2, max_df=0.5), TfidfSettings(max_features=1000)],
)
def test_tfidf_is_scikit_learns_weighting(settings: TfidfSettings) -> None:
    ours = tfidf_rows(TEXTS, settings)
    reference = TfidfVectorizer(
        strip_accents="unicode",
        lowercase=True,
        stop_words=sorted(STOP_WORDS),
        ngram_range=(1, 2),
        sublinear_tf=True,
        min_df=settings.min_df,
        max_df=settings.max_df,
        max_features=settings.max_features,
        dtype=np.float32,
    )
    expected = reference.fit_transform(TEXTS).toarray()
    assert ours.shape == expected.shape
    np.testing.assert_allclose(dense(ours), expected, atol=1e-6)
    assert not dense(ours)[8].any() and ours.shape[1] == len(reference.vocabulary_)


def test_sparse_rows_products_match_dense_ones() -> None:
    rows = tfidf_rows(TEXTS)
    matrix = dense(rows)
    rng = np.random.default_rng(3)
    weights, values = rng.normal(size=rows.width), rng.normal(size=len(TEXTS))
    np.testing.assert_allclose(rows.dot(weights), matrix @ weights, atol=1e-9)
    np.testing.assert_allclose(rows.tdot(values), matrix.T @ values, atol=1e-9)
    picked = rows.take([7, 0, 7])
    np.testing.assert_allclose(dense(picked), matrix[[7, 0, 7]])


def test_the_svm_reaches_liblinears_boundary() -> None:
    rng = np.random.default_rng(11)
    n, width = 400, 30
    points = rng.normal(size=(n, width)).astype(np.float32)
    labels = (points[:, :3].sum(axis=1) + 0.5 * rng.normal(size=n) > 1.0).astype(int)
    weights = rng.uniform(0.5, 3.0, size=n)
    features = JoinedRows(points, tfidf_rows([""] * n))
    balance = np.where(labels == 1, n / (2.0 * labels.sum()), n / (2.0 * (n - labels.sum())))
    costs = 0.05 * balance * weights
    model = train_linear_svm(features, np.where(labels == 1, 1.0, -1.0), costs, tolerance=1e-8)
    reference = LinearSVC(C=0.05, class_weight="balanced", tol=1e-10, max_iter=200_000)
    reference.fit(points, labels, sample_weight=weights)
    ours, theirs = model.decision(features), reference.decision_function(points)
    # The same objective, at least as low as LIBLINEAR gets it, and the same ranking.
    problem = _Problem(features, np.where(labels == 1, 1.0, -1.0), costs)
    found = np.concatenate([model.weights, [model.bias]])
    liblinear = np.concatenate([reference.coef_[0], [0.0], reference.intercept_])
    assert problem.objective(found) <= problem.objective(liblinear) * (1 + 1e-9)
    assert np.corrcoef(ours, theirs)[0, 1] > 0.9999
    assert set(np.argsort(-ours)[:20]) == set(np.argsort(-theirs)[:20])
