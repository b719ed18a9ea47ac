"""Topics over time: papers per week of one keyphrase, and the topics rising this week.

A topic is a keyphrase's key (``paperwire.phrases.topic_key``). Weeks are the
seven days ending on a reference day (the newest listing day, as trending
uses), and the weeks before it. A topic rises when this week's papers (or
their upvotes) exceed the mean of the ``BASELINE_WEEKS`` before: its growth
is the smoothed ratio ``(this week + s) / (mean before + s)``, ``s`` being 1
paper or 10 upvotes, so that a topic new this week with a few papers does
not outrank one that doubled from twenty; the larger of the two ratios ranks
it. A topic needs ``MIN_PAPERS`` papers this week to count at all.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta

from paperwire.store.keyphrase_records import KeyphraseStore

__all__ = [
    "BASELINE_WEEKS",
    "MIN_PAPERS",
    "RisingTopic",
    "WeekCount",
    "rising_topics",
    "weekly_counts",
]

BASELINE_WEEKS = 4
MIN_PAPERS = 5
_PAPER_SMOOTHING = 1.0
_UPVOTE_SMOOTHING = 10.0


@dataclass(frozen=True, slots=True)
class WeekCount:
    """The papers of a topic first listed in the week starting on ``start`` (Monday),
    and, when known, how many of arXiv's listing days of that week the store holds
    (``held_days``) of those arXiv announced (``listing_days``)."""

    start: date
    papers: int
    held_days: int | None = None
    listing_days: int | None = None

    @property
    def partial(self) -> bool:
        """Whether the store lacks some of the week's arXiv listings: its count is short
        because of the store, not the topic."""
        return (
            self.held_days is not None
            and self.listing_days is not None
            and self.held_days < self.listing_days
        )


@dataclass(frozen=True, slots=True)
class RisingTopic:
    """A topic this week against the weekly mean of the weeks before."""

    key: str
    papers: int
    upvotes: int
    papers_before: float  # weekly mean over BASELINE_WEEKS
    upvotes_before: float

    @property
    def paper_growth(self) -> float:
        return (self.papers + _PAPER_SMOOTHING) / (self.papers_before + _PAPER_SMOOTHING)

    @property
    def upvote_growth(self) -> float:
        return (self.upvotes + _UPVOTE_SMOOTHING) / (self.upvotes_before + _UPVOTE_SMOOTHING)

    @property
    def growth(self) -> float:
        """What ranks it: the larger of the two growth ratios."""
        return max(self.paper_growth, self.upvote_growth)

    @property
    def measure(self) -> str:
        """What grew most, and so ranks it: "papers" or "upvotes"."""
        return "upvotes" if self.upvote_growth > self.paper_growth else "papers"

    def explain(self) -> str:
        """What is compared, in words: "15 papers this week, 12.8 a week on average
        over the 4 weeks before (×1.2)"; an upvote row says "upvotes" the same way.
        The count this week is whole; the weekly mean before it need not be."""
        if self.measure == "upvotes":
            now, before, ratio = self.upvotes, self.upvotes_before, self.upvote_growth
        else:
            now, before, ratio = self.papers, self.papers_before, self.paper_growth
        return (
            f"{now} {self.measure} this week, {before:.1f} a week on average"
            f" over the {BASELINE_WEEKS} weeks before (×{ratio:.1f})"
        )


def weekly_counts(days: list[date], last: date | None = None, weeks: int = 26) -> list[WeekCount]:
    """Papers per ISO week (Monday first) for the ``weeks`` weeks ending with ``last``'s
    week (default: the newest day given), empty weeks included; [] without days."""
    if not days:
        return []
    end = last or max(days)
    end_monday = end - timedelta(days=end.weekday())
    first_monday = end_monday - timedelta(weeks=weeks - 1)
    counts = Counter(d - timedelta(days=d.weekday()) for d in days if d <= end)
    return [
        WeekCount(
            first_monday + timedelta(weeks=i), counts.get(first_monday + timedelta(weeks=i), 0)
        )
        for i in range(weeks)
    ]


def rising_topics(
    store: KeyphraseStore,
    reference: date,
    limit: int = 10,
    min_papers: int = MIN_PAPERS,
) -> list[RisingTopic]:
    """The topics that grew most in the week ending on ``reference``, most first.

    Only topics with at least ``min_papers`` papers that week, and that grew
    (a growth ratio above 1).
    """
    week_start = reference - timedelta(days=6)
    this_week = store.topic_counts(week_start, reference, min_papers=min_papers)
    if not this_week:
        return []
    before_start = week_start - timedelta(weeks=BASELINE_WEEKS)
    before = {
        t.key: t
        for t in store.topic_counts(
            before_start, week_start - timedelta(days=1), keys=[t.key for t in this_week]
        )
    }
    found = []
    for topic in this_week:
        earlier = before.get(topic.key)
        found.append(
            RisingTopic(
                topic.key,
                topic.papers,
                topic.upvotes,
                (earlier.papers if earlier else 0) / BASELINE_WEEKS,
                (earlier.upvotes if earlier else 0) / BASELINE_WEEKS,
            )
        )
    rising = [t for t in found if t.growth > 1.0]
    rising.sort(key=lambda t: (-t.growth, -t.papers, t.key))
    return rising[:limit]
