"""The trending score: community upvotes decayed by age, GitHub stars as a second signal.

    points = upvotes + star_weight * log2(1 + stars)
    score  = points / (age_days + offset_days) ** gravity

``upvotes`` is what a page shows: the imported Hugging Face count plus votes
cast on this site. Stars count through a logarithm so a famous repository
lifts a paper a little, never past one the community voted for: 310 stars
are worth about 8 upvotes. ``age_days`` is counted from the latest day the
paper was listed (a paper featured again is as fresh as that day) to the
reference day (the newest listing day, so a store filled from an archive
still has a meaningful "trending"). Only papers listed within
``window_days`` of the reference day are ranked; older ones have decayed
out of sight anyway. The web, the API, the feeds and the digests all call
``trending_score`` and ``rank_trending``, so every surface agrees.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from paperwire.store.records import TrendingRow

__all__ = [
    "DEFAULT_WEIGHTS",
    "TrendingScore",
    "TrendingWeights",
    "rank_trending",
    "trending_score",
    "window_start",
]


@dataclass(frozen=True, slots=True)
class TrendingWeights:
    gravity: float = 1.5  # how fast age pulls a paper down
    offset_days: float = 2.0  # keeps a paper listed today from dividing by ~0
    star_weight: float = 1.0  # points per doubling of GitHub stars
    window_days: int = 14  # papers listed earlier than this are not ranked


DEFAULT_WEIGHTS = TrendingWeights()


@dataclass(frozen=True, slots=True)
class TrendingScore:
    paper_id: str
    value: float
    upvotes: int
    local_votes: int  # part of ``upvotes`` cast on this site
    stars: int
    age_days: int
    points: float

    def explain(self) -> str:
        """Why the paper ranks where it does, in words: "42 upvotes, 2 days old, 310 stars"."""
        parts = [_plural(self.upvotes, "upvote")]
        if self.local_votes:
            parts[0] += f" ({self.local_votes} here)"
        parts.append(f"{_plural(self.age_days, 'day')} old")
        if self.stars:
            parts.append(_plural(self.stars, "GitHub star"))
        return ", ".join(parts) + f": score {self.value:.2f}"


def trending_score(
    paper_id: str,
    upvotes: int,
    stars: int,
    age_days: int,
    local_votes: int = 0,
    weights: TrendingWeights = DEFAULT_WEIGHTS,
) -> TrendingScore:
    """The score of one paper; ``upvotes`` already includes ``local_votes``."""
    age = max(0, age_days)
    points = max(0, upvotes) + weights.star_weight * math.log2(1 + max(0, stars))
    value = points / (age + weights.offset_days) ** weights.gravity
    return TrendingScore(paper_id, value, upvotes, local_votes, stars, age, points)


def rank_trending(
    rows: Iterable[TrendingRow], reference_day: date, weights: TrendingWeights = DEFAULT_WEIGHTS
) -> list[TrendingScore]:
    """Score ``rows`` against ``reference_day``: highest first, papers with no signal left out.

    Ties go to the newer listing, then the larger id (the newer arXiv paper).
    """
    scores = []
    for row in rows:
        if not (row.upvotes or row.local_votes or row.github_stars):
            continue
        age = (reference_day - row.listed_on).days
        if age > weights.window_days:
            continue
        shown = row.upvotes + row.local_votes
        scores.append(
            trending_score(row.paper_id, shown, row.github_stars, age, row.local_votes, weights)
        )
    return sorted(scores, key=lambda s: (-s.value, s.age_days, _reversed(s.paper_id)))


def window_start(reference_day: date, weights: TrendingWeights = DEFAULT_WEIGHTS) -> date:
    """The first listing day ``rank_trending`` considers for ``reference_day``."""
    return date.fromordinal(reference_day.toordinal() - weights.window_days)


def _reversed(paper_id: str) -> tuple[int, ...]:
    return tuple(-ord(c) for c in paper_id)


def _plural(count: int, noun: str) -> str:
    return f"{count:,} {noun}" + ("" if count == 1 else "s")
