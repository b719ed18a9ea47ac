"""Plain records the feed and account queries of a store return.

Kept apart from ``base.py`` so the paper storage interface stays short; the
web layer and the digests read these without knowing which backend made them.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass
from datetime import date

from paperwire.model import Paper

__all__ = [
    "FeedPage",
    "ListedPaper",
    "OrganizationCount",
    "TrendingRow",
    "User",
    "organization_slug",
]


@dataclass(slots=True)
class ListedPaper:
    """A paper as a feed shows it: the record, the upvotes cast on this site, and in a
    feed of listing days the day it was listed there (None elsewhere)."""

    paper: Paper
    local_votes: int = 0
    day: date | None = None

    @property
    def upvotes(self) -> int:
        """Shown upvotes: the imported (Hugging Face) count plus the votes cast here."""
        return (self.paper.upvotes or 0) + self.local_votes


@dataclass(slots=True)
class FeedPage:
    items: list[ListedPaper]
    total: int  # papers in the whole range, not only on this page


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
    name: str
    papers: int

    @property
    def slug(self) -> str:
        return organization_slug(self.name)


@dataclass(frozen=True, slots=True)
class User:
    id: int
    username: str
    created_at: str  # ISO 8601, UTC


def organization_slug(name: str) -> str:
    """The URL name of an organisation: "Hugging Face" -> "hugging-face".

    Names with no Latin letters or digits get a short stable hash instead, so
    every organisation has a page.
    """
    folded = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", folded.lower()).strip("-")
    if slug:
        return slug[:80]
    return "org-" + hashlib.blake2b(name.encode("utf-8"), digest_size=5).hexdigest()
