"""Trending by code activity: GitHub stars gained this week, with recency.

    gained = stars on the latest recorded day - stars a week before it
    score  = gained / (age_days + offset_days) ** gravity

Hugging Face's trending page ranks papers "by recent GitHub activity along
with their code links"; this is that ordering, read from the star history the
store keeps (``store/code_activity.py``): serving a page makes no network call.
A paper's baseline is its last record at least ``history_days`` before its
latest one; a paper checked for less than that counts from its first record
(and says since when). ``age_days`` runs from the paper's latest listing day to
the reference day (the newest day stars were recorded), so among papers that
gained alike the newer ranks higher, while the gentle ``gravity`` lets a
repository that is taking off lift an older paper. Until the store holds
``history_days`` of history the ordering is not ready (``history_ready``): a
fresh install says so instead of ranking everything at +0.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

__all__ = [
    "DEFAULT_CODE_WEIGHTS",
    "CodeScore",
    "CodeTrendingWeights",
    "StarGain",
    "history_ready",
    "rank_by_code",
    "stars_gained",
]


@dataclass(frozen=True, slots=True)
class CodeTrendingWeights:
    history_days: int = 7  # "this week": the span a gain is measured over
    gravity: float = 0.5  # gentler than the upvote score's: stars come later than votes
    offset_days: float = 2.0
    window_days: int = 30  # papers listed earlier than this are not ranked


DEFAULT_CODE_WEIGHTS = CodeTrendingWeights()


@dataclass(frozen=True, slots=True)
class StarGain:
    """Stars gained from ``since`` to ``as_of``, and the count on ``as_of``."""

    gained: int
    stars: int
    since: date
    as_of: date


@dataclass(frozen=True, slots=True)
class CodeScore:
    paper_id: str
    value: float
    gain: StarGain
    age_days: int
    full_week: bool  # the gain spans at least ``history_days``

    def explain(self) -> str:
        """Why the paper ranks here: "+412 stars this week (1,234 stars as of 2026-11-30)"."""
        span = "this week" if self.full_week else f"since {self.gain.since.isoformat()}"
        sign = "+" if self.gain.gained >= 0 else "−"
        return (
            f"{sign}{abs(self.gain.gained):,} {_noun(self.gain.gained)} {span}"
            f" ({self.gain.stars:,} {_noun(self.gain.stars)} as of {self.gain.as_of.isoformat()}),"
            f" listed {self.age_days} {'day' if self.age_days == 1 else 'days'} ago:"
            f" score {self.value:.2f}"
        )


def stars_gained(
    history: Sequence[tuple[date, int]], reference_day: date, history_days: int = 7
) -> StarGain | None:
    """The gain over the last ``history_days`` of ``history`` ((day, stars), oldest first)
    up to ``reference_day``; None with fewer than two records."""
    upto = [(day, stars) for day, stars in history if day <= reference_day]
    if len(upto) < 2:
        return None
    as_of, stars = upto[-1]
    cutoff = as_of - timedelta(days=history_days)
    before = [entry for entry in upto if entry[0] <= cutoff]
    since, base = before[-1] if before else upto[0]
    return StarGain(stars - base, stars, since, as_of)


def history_ready(
    first: date | None, last: date | None, weights: CodeTrendingWeights = DEFAULT_CODE_WEIGHTS
) -> bool:
    """Whether the store's star history (its first and last day) spans a week."""
    return first is not None and last is not None and (last - first).days >= weights.history_days


def rank_by_code(
    listed: Iterable[tuple[str, date]],
    histories: Mapping[str, Sequence[tuple[date, int]]],
    reference_day: date,
    weights: CodeTrendingWeights = DEFAULT_CODE_WEIGHTS,
) -> list[CodeScore]:
    """Score each (paper id, latest listing day) by its stars gained: highest first,
    papers that gained nothing (or have no history) left out. Ties go to the larger
    gain, then the newer listing, then the larger id."""
    scores = []
    for paper_id, listed_on in listed:
        age = (reference_day - listed_on).days
        if age > weights.window_days:
            continue
        gain = stars_gained(histories.get(paper_id, ()), reference_day, weights.history_days)
        if gain is None or gain.gained <= 0:
            continue
        age = max(0, age)
        value = gain.gained / (age + weights.offset_days) ** weights.gravity
        full = (gain.as_of - gain.since).days >= weights.history_days
        scores.append(CodeScore(paper_id, value, gain, age, full))
    return sorted(
        scores,
        key=lambda s: (-s.value, -s.gain.gained, s.age_days, tuple(-ord(c) for c in s.paper_id)),
    )


def _noun(count: int) -> str:
    return "star" if abs(count) == 1 else "stars"
