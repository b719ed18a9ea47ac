"""How a stored paper and an incoming record of the same paper become one.

The rules make imports idempotent and, for community facts, independent of order:
- text fields come from the record with the higher (version, source rank);
  the other record only fills fields the winner lacks;
- the version history is the union of both;
- links are the union, the winner's first;
- community facts are never lost: upvotes, stars and comments keep the largest
  count seen (``github_stars_on`` comes with the count kept), ``listed_days``
  the union of every listing day (a paper Hugging Face features on several days
  is in each of those days' feeds), ``listed_on`` the earliest of them, the rest
  the latest known value. A count GitHub itself gives is authoritative, and may
  go down: it is written past the merge (``PapersMixin.set_github_stars``);
- ``withdrawn`` describes the latest version, so it comes with the text: from
  the winner;
- deletion: a paper is deleted while the latest deletion reported for it
  (``deleted_on``, an OAI-PMH deleted header's datestamp) is no older than the
  newest version any record shows (its ``updated`` day, else ``published``).
  So re-importing a file made before the deletion never brings a paper back,
  whatever the order; only a record showing a version dated after the
  deletion does (arXiv declares its deletions persistent: that is a paper
  arXiv serves again). Records without a version date (Hugging Face, daily
  listings) never undo a deletion.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import TypeVar

from paperwire.model import SOURCE_RANK, Paper, Version, unique_links

__all__ = ["apply_deletion", "merge_papers", "outranks", "with_listing_days"]

_TEXT_FIELDS = (
    "title",
    "abstract",
    "authors",
    "categories",
    "primary_category",
    "comment",
    "journal_ref",
    "doi",
    "keywords",
    "ai_summary",
)

T = TypeVar("T", int, date)  # what _max compares: version numbers, counts, days


def merge_papers(stored: Paper, incoming: Paper) -> Paper:
    """Return the merged paper; ``stored`` and ``incoming`` are left as they were."""
    winner, other = (incoming, stored) if outranks(incoming, stored) else (stored, incoming)
    merged = Paper(id=stored.id, title=winner.title)
    for name in _TEXT_FIELDS:
        setattr(merged, name, getattr(winner, name) or getattr(other, name))
    merged.source = winner.source
    merged.versions = _merge_versions(stored.versions, incoming.versions)
    merged.version = _max(stored.version, incoming.version)
    merged.published = _min(stored.published, incoming.published)
    merged.updated = _max(stored.updated, incoming.updated)
    merged.github_repos = unique_links(winner.github_repos, other.github_repos)
    merged.project_pages = unique_links(winner.project_pages, other.project_pages)
    merged.organization = incoming.organization or stored.organization
    merged.submitted_by = incoming.submitted_by or stored.submitted_by
    merged.listed_days = sorted({*stored.listing_days(), *incoming.listing_days()})
    merged.listed_on = merged.listed_days[0] if merged.listed_days else None
    merged.upvotes = _max(stored.upvotes, incoming.upvotes)
    merged.github_stars = _max(stored.github_stars, incoming.github_stars)
    merged.github_stars_on = _stars_day(stored, incoming, merged.github_stars)
    merged.num_comments = _max(stored.num_comments, incoming.num_comments)
    merged.withdrawn = winner.withdrawn
    merged.deleted_on = _deleted_on(
        _max(stored.deleted_on, incoming.deleted_on),
        _max(_last_version(stored), _last_version(incoming)),
    )
    return merged


def with_listing_days(paper: Paper) -> Paper:
    """``paper`` with its listing facts in step: ``listed_days`` every listing day
    (``Paper.listing_days``), ``listed_on`` the first; ``paper`` itself when they are.

    A parser gives only ``listed_on``, and records stored before ``listed_days``
    existed have none: both become the same record a merge would make.
    """
    days = paper.listing_days()
    first = days[0] if days else None
    if days == paper.listed_days and first == paper.listed_on:
        return paper
    return replace(paper, listed_days=days, listed_on=first)


def apply_deletion(stored: Paper, day: date) -> Paper:
    """``stored`` as it stands once arXiv reported it deleted on ``day`` (a copy; the
    same value when the deletion is older than its newest version, or already known)."""
    deleted_on = _deleted_on(_max(stored.deleted_on, day), _last_version(stored))
    return stored if deleted_on == stored.deleted_on else replace(stored, deleted_on=deleted_on)


def _last_version(paper: Paper) -> date | None:
    """The newest day a record shows the paper had a version (None: it shows none)."""
    return paper.updated or paper.published


def _deleted_on(latest_deletion: date | None, last_version: date | None) -> date | None:
    if latest_deletion is None or (last_version is not None and last_version > latest_deletion):
        return None
    return latest_deletion


def outranks(incoming: Paper, stored: Paper) -> bool:
    """Whether ``incoming``'s text wins over ``stored``'s: a higher (version, source
    rank), or an equal one (the newer import of the same record)."""

    def key(paper: Paper) -> tuple[int, int]:
        return (paper.version or 0, SOURCE_RANK.get(paper.source, 0))

    return key(incoming) >= key(stored)


def _stars_day(stored: Paper, incoming: Paper, stars: int | None) -> date | None:
    """The day GitHub gave the kept count: that of the record whose count was kept
    (None when it came with an import); the later day when both records had it."""
    days = [p.github_stars_on for p in (stored, incoming) if p.github_stars == stars]
    return _max(*days) if len(days) == 2 else (days[0] if days else None)


def _merge_versions(a: list[Version], b: list[Version]) -> list[Version]:
    by_number: dict[int, Version] = {v.number: v for v in a}
    for version in b:
        known = by_number.get(version.number)
        if known is None or (known.date is None and version.date is not None):
            by_number[version.number] = version
    return [by_number[n] for n in sorted(by_number)]


def _max(a: T | None, b: T | None) -> T | None:
    if a is None:
        return b
    if b is None:
        return a
    return max(a, b)


def _min(a: date | None, b: date | None) -> date | None:
    if a is None:
        return b
    if b is None:
        return a
    return min(a, b)
