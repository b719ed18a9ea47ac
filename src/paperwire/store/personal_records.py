"""Plain records of a reader's own signals: library, folders, follows, and all of them at once."""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = [
    "FOLLOW_KINDS",
    "Collection",
    "CollectionItem",
    "Folder",
    "Follow",
    "PaperMarks",
    "SavedPaper",
    "Signals",
]

# What a reader can follow: an author's name, an organisation, a keyword, a saved search
# query, a topic (a keyphrase's key, paperwire.phrases.topic_key).
FOLLOW_KINDS = ("author", "organization", "keyword", "search", "topic")


@dataclass(frozen=True, slots=True)
class Folder:
    id: int
    name: str


@dataclass(frozen=True, slots=True)
class Collection:
    """A library folder with what its public page shows: a title, a description, and
    the URL name ``slug`` under its owner (``/collections/{owner}/{slug}``). ``slug`` is
    None until the folder is first made public; ``public`` says whether it is now."""

    id: int
    user_id: int
    owner: str  # the owner's username
    name: str  # the folder's own name, as the library shows it
    slug: str | None
    title: str
    description: str
    public: bool
    published_at: float | None  # Unix time it was last made public

    @property
    def shown_title(self) -> str:
        return self.title or self.name


@dataclass(frozen=True, slots=True)
class CollectionItem:
    """One paper of a folder, with the note its owner wrote for it ("" for none)."""

    paper_id: str
    note: str
    saved_at: float  # Unix time


@dataclass(frozen=True, slots=True)
class SavedPaper:
    paper_id: str
    saved_at: float  # Unix time
    folder_ids: list[int] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Follow:
    id: int
    kind: str  # one of FOLLOW_KINDS
    value: str


@dataclass(frozen=True, slots=True)
class PaperMarks:
    """What one reader has done with one paper, as every card and page shows it."""

    voted: bool = False
    saved: bool = False  # in the library
    dismissed: bool = False  # "not interested"
    seen: bool = False  # marked seen in "for you", which then leaves it out


@dataclass(slots=True)
class Signals:
    """Everything the recommender knows about one reader."""

    saved: list[str] = field(default_factory=list)  # newest first
    voted: list[str] = field(default_factory=list)  # newest first
    not_interested: list[str] = field(default_factory=list)
    follows: list[Follow] = field(default_factory=list)
    seen: set[str] = field(default_factory=set)
    emailed: set[str] = field(default_factory=set)

    @property
    def positives(self) -> list[str]:
        """Saved and upvoted papers, once each, saved ones first."""
        return list(dict.fromkeys([*self.saved, *self.voted]))

    @property
    def hidden(self) -> set[str]:
        """Papers the feed never shows again: known, dismissed, seen or emailed."""
        return {*self.saved, *self.voted, *self.not_interested, *self.seen, *self.emailed}
