"""The "for you" feed: recent papers ranked for one reader, each with the reason why.

Candidates are the papers listed in the last ``days`` listing days (up to the
newest listing day, so a store filled from an archive works too), less every
paper the reader saved, upvoted, dismissed, has seen or was emailed. With at
least one saved or upvoted paper, the per-user model (``usermodel``) ranks
them on stored embeddings and tf-idf; a paper matching one of the reader's
follows is lifted above the model's ranking. With none (a cold start), the
follows alone decide: papers matching more follows first, newest first.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import date, timedelta

import numpy as np

from paperwire.model import Paper
from paperwire.rank.features import FeatureSet, build_features
from paperwire.rank.follows import follow_matches
from paperwire.rank.usermodel import DEFAULT_PARAMS, ModelParams, score_candidates
from paperwire.rank.why import closest_positive, explain
from paperwire.search.embedding import DEFAULT_BACKEND
from paperwire.store.base import PaperStore
from paperwire.store.personal_records import Follow, Signals

__all__ = ["DEFAULT_DAYS", "ForYou", "Recommendation", "recommend_for_user"]

DEFAULT_DAYS = 7
_MAX_CANDIDATES = 5000
_MAX_POSITIVES = 300  # the newest; older interests fade
_MAX_NEGATIVES = 300
_FOLLOW_LIFT = 1.0  # added to the model's standardised score per matched follow (two at most)


@dataclass(frozen=True, slots=True)
class Recommendation:
    paper: Paper
    score: float
    why: str
    follows: list[Follow] = field(default_factory=list)


@dataclass(slots=True)
class ForYou:
    items: list[Recommendation]
    first_day: date | None
    last_day: date | None
    cold_start: bool  # True when no saved or upvoted paper was there to learn from
    candidates: int = 0


def recommend_for_user(
    store: PaperStore,
    user_id: int,
    *,
    today: date | None = None,
    days: int = DEFAULT_DAYS,
    limit: int = 50,
    exclude: Collection[str] = (),
    model: str = DEFAULT_BACKEND,
    params: ModelParams = DEFAULT_PARAMS,
) -> ForYou:
    """The reader's recommendations, best first; ``exclude`` hides more papers."""
    signals = store.user_signals(user_id)
    last = store.latest_listed_day(today)
    if last is None:
        return ForYou([], None, None, not signals.positives)
    first = last - timedelta(days=max(days, 1) - 1)
    hidden = signals.hidden | set(exclude)
    listed = store.listed_papers(first, last, order="published", limit=_MAX_CANDIDATES)
    candidates = [item.paper for item in listed.items if item.paper.id not in hidden]
    if not candidates:
        return ForYou([], first, last, not signals.positives)
    positives = _papers(store, signals.positives[:_MAX_POSITIVES])
    if not positives:
        items = _cold_start(candidates, signals.follows, limit)
        return ForYou(items, first, last, True, len(candidates))
    negatives = _papers(store, signals.not_interested[:_MAX_NEGATIVES])
    items = _ranked(store, signals, candidates, positives, negatives, model, params, limit)
    return ForYou(items, first, last, False, len(candidates))


def _papers(store: PaperStore, ids: list[str]) -> list[Paper]:
    found = store.get_papers(ids)
    return [found[i] for i in ids if i in found]


def _ranked(
    store: PaperStore,
    signals: Signals,
    candidates: list[Paper],
    positives: list[Paper],
    negatives: list[Paper],
    model: str,
    params: ModelParams,
    limit: int,
) -> list[Recommendation]:
    papers = [*positives, *negatives, *candidates]
    stored = store.get_embeddings([p.id for p in papers], model)
    features = build_features(papers, {i: e.vector for i, e in stored.items()})
    pos_rows = list(range(len(positives)))
    neg_rows = list(range(len(positives), len(positives) + len(negatives)))
    cand_rows = list(range(len(positives) + len(negatives), len(papers)))
    scores = score_candidates(features, pos_rows, cand_rows, neg_rows, params)
    scores = (scores - scores.mean()) / (scores.std() or 1.0)
    matched = [follow_matches(p, signals.follows) for p in candidates]
    lifted = scores + _FOLLOW_LIFT * np.array([min(len(m), 2) for m in matched])
    order = np.argsort(-lifted, kind="stable")[:limit]
    saved = set(signals.saved)
    return [
        _recommendation(features, papers, positives, saved, candidates, matched, cand_rows, i, s)
        for i, s in ((int(i), float(lifted[i])) for i in order)
    ]


def _recommendation(
    features: FeatureSet,
    papers: list[Paper],
    positives: list[Paper],
    saved: set[str],
    candidates: list[Paper],
    matched: list[list[Follow]],
    cand_rows: list[int],
    index: int,
    score: float,
) -> Recommendation:
    nearest = papers[closest_positive(features, cand_rows[index], range(len(positives)))]
    why = explain(matched[index], nearest.title, nearest.id in saved)
    return Recommendation(candidates[index], score, why, matched[index])


def _cold_start(candidates: list[Paper], follows: list[Follow], limit: int) -> list[Recommendation]:
    scored = []
    for paper in candidates:
        matched = follow_matches(paper, follows)
        if matched:
            scored.append(Recommendation(paper, float(len(matched)), explain(matched), matched))
    newest = sorted(
        scored,
        key=lambda r: (max(r.paper.listing_days(), default=date.min), r.paper.id),
        reverse=True,
    )
    return sorted(newest, key=lambda r: -r.score)[:limit]
