"""What a page shows of a paper (``PaperCard``), built from store records.

One card per paper in every list (feed, trending, search, organisation,
similar papers), so all lists show the same facts: title, the one-line summary
(Hugging Face's, else ours), authors (count and names), date, upvotes (imported
plus local), organisation, code and stars, keyphrases (ours, and Hugging Face's
marked as theirs).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from urllib.parse import quote

from markupsafe import Markup

from paperwire.model import Paper
from paperwire.organizations import canonical_organization, organization_slug
from paperwire.store.keyphrase_records import KeyphraseStore, StoredKeyphrase
from paperwire.store.personal_records import PaperMarks
from paperwire.store.records import ListedPaper, SummaryLine

__all__ = ["PaperCard", "card_for", "cards_for", "paper_url", "topic_url", "with_keyphrases"]

AUTHORS_SHOWN = 6
NO_MARKS = PaperMarks()


def paper_url(paper_id: str) -> str:
    return f"/papers/{paper_id}"


def topic_url(key: str) -> str:
    """The topic page of a keyphrase's key: ``/topics/speculative%20decoding``."""
    return "/topics/" + quote(key, safe="")


@dataclass(slots=True)
class PaperCard:
    paper: Paper
    upvotes: int
    local_votes: int = 0
    voted: bool = False
    marks: PaperMarks = NO_MARKS  # the logged-in reader's: saved, dismissed, seen
    why: str | None = None  # why it ranks where it does (trending)
    note: Markup | None = None  # a collection owner's note on it, as sanitised HTML
    title_html: Markup | None = None  # highlighted title (search)
    snippet_html: Markup | None = None  # highlighted passage (search)
    listed_day: date | None = None  # the day it was listed in the feed shown
    thumbnail: tuple[int, int, str] | None = None  # width, height, digest
    summary: SummaryLine | None = None  # Hugging Face's one-line summary, else ours
    # Its keyphrases, ours and Hugging Face's (``with_keyphrases`` fills them in).
    comments: int = 0  # imported count plus the comments posted here (``listed_cards``)
    keyphrases: list[StoredKeyphrase] = field(default_factory=list)
    their_keyphrases: list[StoredKeyphrase] = field(default_factory=list)  # not also ours
    shared_keys: set[str] = field(default_factory=set)  # keys of ours Hugging Face has too
    _authors: list[str] = field(default_factory=list, repr=False)

    @property
    def id(self) -> str:
        return self.paper.id

    @property
    def thumbnail_url(self) -> str | None:
        """Where the thumbnail is, its digest in the address (served as immutable)."""
        if self.thumbnail is None:
            return None
        return f"/thumbnails/{self.paper.id}.webp?v={self.thumbnail[2]}"

    @property
    def url(self) -> str:
        return paper_url(self.paper.id)

    @property
    def title(self) -> str:
        return " ".join(self.paper.title.split())

    @property
    def authors(self) -> list[str]:
        return self._authors

    def __post_init__(self) -> None:
        # Read several times per card by the template: made once.
        self._authors = [a.name for a in self.paper.authors]

    @property
    def authors_shown(self) -> list[str]:
        return self.authors[:AUTHORS_SHOWN]

    @property
    def authors_hidden(self) -> int:
        return max(0, len(self.paper.authors) - AUTHORS_SHOWN)

    @property
    def day(self) -> date | None:
        return self.listed_day or self.paper.listed_on or self.paper.published

    @property
    def organization(self) -> str | None:
        """The paper's organisation under its canonical name (a spelling stored before
        the alias table knew it is shown as the table names it)."""
        return canonical_organization(self.paper.organization)

    @property
    def organization_slug(self) -> str | None:
        org = self.organization
        return organization_slug(org) if org else None

    @property
    def code_url(self) -> str | None:
        return self.paper.github_repos[0] if self.paper.github_repos else None

    @property
    def project_url(self) -> str | None:
        return self.paper.project_pages[0] if self.paper.project_pages else None

    @property
    def stars(self) -> int:
        return self.paper.github_stars or 0

    @property
    def stars_on(self) -> date | None:
        """The day GitHub gave the count (None: the count came with an import)."""
        return self.paper.github_stars_on

    @property
    def anchor(self) -> str:
        return "p-" + "".join(c if c.isalnum() else "-" for c in self.paper.id)


def card_for(
    listed: ListedPaper,
    voted: set[str] | None = None,
    why: str | None = None,
    marks: PaperMarks = NO_MARKS,
) -> PaperCard:
    return PaperCard(
        listed.paper,
        listed.upvotes,
        listed.local_votes,
        voted=bool(voted) and listed.paper.id in (voted or ()),
        marks=marks,
        why=why,
        listed_day=listed.day,
        summary=listed.summary_line,
    )


def cards_for(
    listed: list[ListedPaper],
    voted: set[str] | None = None,
    why: dict[str, str] | None = None,
    marks: dict[str, PaperMarks] | None = None,
) -> list[PaperCard]:
    """A card for each of ``listed``; ``marks`` are the reader's, by paper id (none: no marks)."""
    why = why or {}
    marks = marks or {}
    return [
        card_for(item, voted, why.get(item.paper.id), marks.get(item.paper.id, NO_MARKS))
        for item in listed
    ]


def with_keyphrases(store: KeyphraseStore, cards: list[PaperCard]) -> list[PaperCard]:
    """``cards`` with their keyphrases filled in from ``store``, in one query.

    A key that both sources give is kept once, in ours, its key in ``shared_keys``."""
    found = store.keyphrases_of(card.id for card in cards)
    for card in cards:
        phrases = found.get(card.id, [])
        card.keyphrases = [k for k in phrases if k.source == "paperwire"]
        ours = {k.key for k in card.keyphrases}
        theirs = [k for k in phrases if k.source == "huggingface"]
        # A key both give is one topic: shown once, as ours, marked as theirs too.
        card.shared_keys = ours & {k.key for k in theirs}
        card.their_keyphrases = [k for k in theirs if k.key not in ours]
    return cards
