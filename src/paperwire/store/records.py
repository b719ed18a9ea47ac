"""Plain records the feed and account queries of a store return.

Kept apart from ``base.py`` so the paper storage interface stays short; the
web layer and the digests read these without knowing which backend made them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from paperwire.model import Paper
from paperwire.organizations import known_organization, organization_slug

__all__ = [
    "AuthorPage",
    "FeedPage",
    "ListedPaper",
    "NameCount",
    "OrganizationCount",
    "SummaryLine",
    "TrendingRow",
    "User",
    "organization_slug",
    "summary_line",
]

# Whose one-line summary a page shows: Hugging Face's ``ai_summary`` (their model's),
# else the one paperwire made from the abstract (``paperwire.understanding.summaries``).
SUMMARY_SOURCES = {"huggingface": "Hugging Face", "paperwire": "paperwire"}


@dataclass(frozen=True, slots=True)
class SummaryLine:
    """The one-line summary shown for a paper, and whose it is: ``source`` is
    "huggingface" or "paperwire" (the API's ``ai_summary_source``)."""

    text: str
    source: str

    @property
    def source_name(self) -> str:
        """The source as a page names it ("Hugging Face", "paperwire")."""
        return SUMMARY_SOURCES[self.source]


def summary_line(paper: Paper, ours: str | None) -> SummaryLine | None:
    """Hugging Face's summary where they gave one, else ``ours``, else None."""
    if paper.ai_summary:
        return SummaryLine(paper.ai_summary, "huggingface")
    if ours:
        return SummaryLine(ours, "paperwire")
    return None


@dataclass(slots=True)
class ListedPaper:
    """A paper as a feed shows it: the record, the upvotes cast on this site, and in a
    feed of listing days the day it was listed there (None elsewhere)."""

    paper: Paper
    local_votes: int = 0
    day: date | None = None
    # paperwire's own one-line summary, where the caller read it from the store
    # (``get_summaries``); None otherwise.
    summary: str | None = None

    @property
    def summary_line(self) -> SummaryLine | None:
        """The summary to show: Hugging Face's, else ours (``summary_line``)."""
        return summary_line(self.paper, self.summary)

    @property
    def upvotes(self) -> int:
        """Shown upvotes: the imported (Hugging Face) count plus the votes cast here."""
        return (self.paper.upvotes or 0) + self.local_votes


@dataclass(slots=True)
class FeedPage:
    items: list[ListedPaper]
    total: int  # papers in the whole range, not only on this page


@dataclass(frozen=True, slots=True)
class NameCount:
    """A name and how many papers it is on (a co-author, an organisation)."""

    name: str
    papers: int


@dataclass(slots=True)
class AuthorPage:
    """One page of the papers that list an author name, with the name's most
    frequent co-authors and organisations over its papers."""

    name: str
    total: int  # papers listing the name, not only on this page
    items: list[ListedPaper]
    coauthors: list[NameCount]
    organizations: list[NameCount]


@dataclass(frozen=True, slots=True)
class TrendingRow:
    """The few columns the trending score reads, for one recently listed paper."""

    paper_id: str
    listed_on: date  # its latest listing day in the range asked for
    upvotes: int  # imported count
    local_votes: int
    github_stars: int


@dataclass(frozen=True, slots=True)
class OrganizationCount:
    """One organisation as the store holds it: the name shown, its paper count, and
    every spelling its papers store (most papers first; see ``paperwire.organizations``)."""

    name: str
    papers: int
    names: tuple[str, ...] = ()

    @property
    def slug(self) -> str:
        """Its URL name, from the name shown."""
        return organization_slug(self.name)

    @property
    def slugs(self) -> frozenset[str]:
        """Every URL name that stands for it: of the name shown, of each stored spelling,
        and of each name the alias table gives it (old links to any of them still work)."""
        spellings = [self.name, *self.names]
        known = known_organization(self.name)
        if known is not None:
            spellings += known.spellings
        return frozenset(organization_slug(s) for s in spellings)


@dataclass(frozen=True, slots=True)
class User:
    id: int
    username: str
    created_at: str  # ISO 8601, UTC
