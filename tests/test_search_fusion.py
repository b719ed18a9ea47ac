"""Fusion maths: reciprocal rank fusion, min-max normalisation and the convex combination."""

from __future__ import annotations

import pytest

from paperwire.search.fusion import (
    FusionParams,
    convex_fusion,
    fuse,
    min_max_normalise,
    reciprocal_rank_fusion,
)


def test_rrf_scores_are_weighted_reciprocal_ranks() -> None:
    fused = dict(reciprocal_rank_fusion([["a", "b"], ["b", "c"]], [1.0, 2.0], k=10))
    assert fused["a"] == pytest.approx(1 / 11)
    assert fused["b"] == pytest.approx(1 / 12 + 2 / 11)
    assert fused["c"] == pytest.approx(2 / 12)


def test_rrf_orders_best_first() -> None:
    ranked = reciprocal_rank_fusion([["a", "b", "c"], ["c", "b", "a"]], [1.0, 1.0], k=1)
    # a and c: 1/2 + 1/4 = 0.75 (a tie, broken by id); b: 1/3 + 1/3 = 0.67.
    assert [doc for doc, _ in ranked] == ["a", "c", "b"]


def test_min_max_normalise() -> None:
    assert min_max_normalise({"a": 2.0, "b": 4.0, "c": 3.0}) == {"a": 0.0, "b": 1.0, "c": 0.5}
    assert min_max_normalise({"a": 5.0, "b": 5.0}) == {"a": 1.0, "b": 1.0}
    assert min_max_normalise({}) == {}


def test_convex_fusion_combines_normalised_scores() -> None:
    lexical = {"a": 10.0, "b": 0.0}
    dense = {"a": 0.2, "b": 0.6, "c": 0.4}
    fused = dict(convex_fusion(lexical, dense, dense_weight=0.25))
    assert fused["a"] == pytest.approx(0.75 * 1.0 + 0.25 * 0.0)
    assert fused["b"] == pytest.approx(0.75 * 0.0 + 0.25 * 1.0)
    assert fused["c"] == pytest.approx(0.25 * 0.5)  # missing lexical score counts as 0


@pytest.mark.parametrize(("weight", "winner"), [(0.0, "a"), (1.0, "b")])
def test_weight_extremes_follow_one_side(weight: float, winner: str) -> None:
    ranked = fuse({"a": 3.0, "b": 1.0}, {"a": 0.1, "b": 0.9}, FusionParams("convex", weight))
    assert ranked[0][0] == winner


def test_fuse_dispatches_on_method() -> None:
    params = FusionParams("rrf", dense_weight=0.5, rrf_k=60)
    assert fuse({"a": 3.0}, {"b": 0.5}, params) == reciprocal_rank_fusion(
        [["a"], ["b"]], [0.5, 0.5], 60
    )


@pytest.mark.parametrize(
    "kwargs",
    [{"method": "max"}, {"dense_weight": 1.5}, {"dense_weight": -0.1}, {"rrf_k": 0}],
)
def test_bad_params_rejected(kwargs: dict[str, object]) -> None:
    with pytest.raises(ValueError):
        FusionParams(**kwargs)  # type: ignore[arg-type]
