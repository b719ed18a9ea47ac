"""What goes in one subscriber's digest: top trending, "for you", and alert hits.

Each paper appears at most once per subscriber, ever: papers already
emailed to them are skipped, and a paper in an earlier section is not
repeated in a later one. A paper arXiv deleted is never sent (the store's
listings leave it out, and ``_item`` callers skip one read since); a
withdrawn one is sent marked. Each paper comes with its one-line summary
(Hugging Face's, else ours), marked with whose. "For you" and alerts need an account (the
subscriber's user); an address alone gets trending. A digest with nothing
new is not sent.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta

from paperwire.mail.compose import DigestItem, DigestSection
from paperwire.mail.links import SiteLinks
from paperwire.model import Paper
from paperwire.rank.follows import describe_follow, follow_matches
from paperwire.rank.recommend import recommend_for_user
from paperwire.rank.trending import DEFAULT_WEIGHTS, rank_trending, window_start
from paperwire.store.base import PaperStore
from paperwire.store.mail_records import Subscriber
from paperwire.store.records import SummaryLine, summary_line

__all__ = ["DEFAULT_LIMITS", "DigestLimits", "digest_sections", "period_key"]

_AUTHORS_SHOWN = 4


@dataclass(frozen=True, slots=True)
class DigestLimits:
    trending: int = 5
    for_you: int = 5
    alerts: int = 10
    alert_days: int = 7  # alerts look at papers listed this many days back


DEFAULT_LIMITS = DigestLimits()


def period_key(frequency: str, today: date) -> str:
    """The period a digest covers: the day (daily) or the ISO week (weekly)."""
    if frequency == "weekly":
        year, week, _ = today.isocalendar()
        return f"{year}-W{week:02d}"
    return today.isoformat()


def digest_sections(
    store: PaperStore,
    subscriber: Subscriber,
    links: SiteLinks,
    today: date,
    limits: DigestLimits = DEFAULT_LIMITS,
) -> list[DigestSection]:
    """The digest's non-empty sections; an empty list means there is nothing new to send."""
    taken = set(store.emailed_paper_ids(subscriber.id))
    sections = [_trending(store, links, today, taken, limits.trending)]
    if subscriber.user_id is not None:
        sections.append(_for_you(store, subscriber.user_id, links, today, taken, limits.for_you))
        sections.append(_alerts(store, subscriber.user_id, links, today, taken, limits))
    return [_with_summaries(store, s) for s in sections if s.items]


def _with_summaries(store: PaperStore, section: DigestSection) -> DigestSection:
    """``section`` with our one-line summary on each item Hugging Face gave none."""
    wanted = [item.paper_id for item in section.items if item.summary is None]
    ours = store.get_summaries(wanted) if wanted else {}
    items = [
        replace(item, summary=SummaryLine(ours[item.paper_id], "paperwire"))
        if item.summary is None and item.paper_id in ours
        else item
        for item in section.items
    ]
    return DigestSection(section.heading, items)


def _item(paper: Paper, why: str, links: SiteLinks) -> DigestItem:
    names = [a.name for a in paper.authors]
    authors = ", ".join(names[:_AUTHORS_SHOWN]) + (" et al." if len(names) > _AUTHORS_SHOWN else "")
    title = " ".join(paper.title.split())
    return DigestItem(
        paper.id,
        title,
        authors,
        why,
        links.paper(paper.id),
        paper.withdrawn,
        summary_line(paper, None),  # Hugging Face's; ours is read for the rest at once
    )


def _trending(
    store: PaperStore, links: SiteLinks, today: date, taken: set[str], limit: int
) -> DigestSection:
    last = store.latest_listed_day(today)
    items: list[DigestItem] = []
    if last is not None:
        ranked = rank_trending(store.trending_rows(window_start(last), last), last, DEFAULT_WEIGHTS)
        fresh = [s for s in ranked if s.paper_id not in taken][:limit]
        papers = store.get_papers(s.paper_id for s in fresh)
        for score in fresh:
            paper = papers.get(score.paper_id)
            if paper is not None and not paper.deleted:
                items.append(_item(paper, score.explain(), links))
    taken.update(i.paper_id for i in items)
    return DigestSection("Trending", items)


def _for_you(
    store: PaperStore, user_id: int, links: SiteLinks, today: date, taken: set[str], limit: int
) -> DigestSection:
    found = recommend_for_user(store, user_id, today=today, limit=limit, exclude=taken)
    items = [_item(r.paper, r.why, links) for r in found.items]
    taken.update(i.paper_id for i in items)
    return DigestSection("For you", items)


def _alerts(
    store: PaperStore,
    user_id: int,
    links: SiteLinks,
    today: date,
    taken: set[str],
    limits: DigestLimits,
) -> DigestSection:
    follows = store.follows(user_id)
    last = store.latest_listed_day(today)
    items: list[DigestItem] = []
    if follows and last is not None:
        first = last - timedelta(days=limits.alert_days - 1)
        listed = store.listed_papers(first, last, order="published", limit=5000).items
        for entry in listed:
            matched = follow_matches(entry.paper, follows)
            if matched and entry.paper.id not in taken:
                why = "; ".join(describe_follow(f) for f in matched[:2])
                items.append(_item(entry.paper, why, links))
                taken.add(entry.paper.id)
            if len(items) >= limits.alerts:
                break
    return DigestSection("Your alerts", items)
