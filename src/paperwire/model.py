"""The data model: a paper, its authors and versions, as plain dataclasses.

A paper is keyed by its canonical id: an arXiv id without version for real
papers, or ``namespace:local-id`` for documents of other collections (BEIR
evaluation corpora). ``to_dict``/``from_dict`` give the JSON shape used by the
store and by paperwire's own export, so a record round-trips exactly; a record
written before a field existed loads with that field's default.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from datetime import date
from typing import Any

__all__ = [
    "RECORD_RULES",
    "SOURCE_RANK",
    "Author",
    "Paper",
    "Version",
    "link_key",
    "unique_links",
]

# Which kind of record is most authoritative for the text fields (title,
# abstract, authors...). A higher version always wins; at equal version the
# higher rank does. Community facts are merged separately and never lost.
SOURCE_RANK: dict[str, int] = {"beir": 0, "hf": 1, "listing": 2, "arxiv": 3}

# The version of the rules by which importers turn a source's record into a paper's
# text. The store notes, per paper, the rules of the import its text came from: a
# paper imported by older rules (0: before they were numbered) may lack what those
# rules dropped and no stored record can give back (abstract paragraphs, second
# affiliations) until its source is imported again. Raise it when a change of the
# parsers restores something a stored record has lost.
RECORD_RULES = 1


@dataclass(slots=True)
class Author:
    """A paper's author as arXiv lists them: a name and any number of affiliations,
    in the order given (arXiv's API and OAI-PMH repeat the affiliation element)."""

    name: str
    affiliations: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "affiliations": list(self.affiliations)}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Author:
        """Reads the current shape and the one stores and exports had before
        (``"affiliation": str | None``); raises TypeError for a record that is neither."""
        if "affiliations" in data:
            listed = data["affiliations"] or []
            if not isinstance(listed, list):
                raise TypeError(f"author affiliations must be a list, not {listed!r:.40}")
        else:
            listed = [data["affiliation"]] if data.get("affiliation") else []
        if not isinstance(data.get("name"), str):
            raise TypeError(f"author name must be text, not {data.get('name')!r:.40}")
        return cls(data["name"], [str(a) for a in listed])


@dataclass(slots=True)
class Version:
    number: int
    date: date | None = None


@dataclass(slots=True)
class Paper:
    id: str
    title: str
    abstract: str = ""
    version: int | None = None
    authors: list[Author] = field(default_factory=list)
    categories: list[str] = field(default_factory=list)
    primary_category: str | None = None
    published: date | None = None
    updated: date | None = None
    comment: str | None = None
    journal_ref: str | None = None
    doi: str | None = None
    github_repos: list[str] = field(default_factory=list)
    project_pages: list[str] = field(default_factory=list)
    organization: str | None = None
    keywords: list[str] = field(default_factory=list)
    # Hugging Face's one-line summary of the paper, written by their model (its
    # daily-papers API field ``ai_summary``); shown marked as theirs.
    ai_summary: str | None = None
    versions: list[Version] = field(default_factory=list)
    source: str = "arxiv"
    # Community facts: merged by rules that never lose them. ``listed_on`` is the
    # first day the paper was listed (arXiv's announcement, or Hugging Face's daily
    # papers); ``listed_days`` every day it was listed or featured, sorted, each
    # once: Hugging Face features a paper again on a later day of its own choosing.
    listed_on: date | None = None
    listed_days: list[date] = field(default_factory=list)
    upvotes: int | None = None
    github_stars: int | None = None
    # The day GitHub itself gave ``github_stars`` (``paperwire refresh code``); None
    # while the count is the one an imported record carried.
    github_stars_on: date | None = None
    num_comments: int | None = None
    submitted_by: str | None = None
    # Whether the latest version is a withdrawal: arXiv keeps a withdrawn paper and
    # adds a version that gives the reason in its comment and has no full text
    # (https://info.arxiv.org/help/withdraw.html).
    withdrawn: bool = False
    # The day arXiv's OAI-PMH interface reported the record deleted (its header's
    # datestamp); None while it is not. A deleted paper is kept, and hidden from
    # feeds and search (``store.merge`` says what brings one back).
    deleted_on: date | None = None

    @property
    def is_arxiv(self) -> bool:
        return ":" not in self.id

    @property
    def abs_url(self) -> str | None:
        return f"https://arxiv.org/abs/{self.id}" if self.is_arxiv else None

    @property
    def pdf_url(self) -> str | None:
        return f"https://arxiv.org/pdf/{self.id}" if self.is_arxiv else None

    @property
    def has_code(self) -> bool:
        return bool(self.github_repos)

    def listing_days(self) -> list[date]:
        """Every day the paper was listed: ``listed_days`` and ``listed_on``, sorted, each once.

        A parser sets only ``listed_on`` (the one day its record tells); the store
        keeps both fields in step (``store.merge.with_listing_days``).
        """
        days = set(self.listed_days)
        if self.listed_on is not None:
            days.add(self.listed_on)
        return sorted(days)

    @property
    def deleted(self) -> bool:
        return self.deleted_on is not None

    def to_dict(self) -> dict[str, Any]:
        # Written out by hand: dataclasses.asdict deep-copies and is the import's hot spot.
        data = {name: getattr(self, name) for name in _PLAIN_FIELDS}
        data["authors"] = [a.to_dict() for a in self.authors]
        data["versions"] = [{"number": v.number, "date": _iso(v.date)} for v in self.versions]
        for key in ("categories", "github_repos", "project_pages", "keywords"):
            data[key] = list(data[key])
        for key in _DAY_FIELDS:
            data[key] = _iso(data[key])
        data["listed_days"] = [day.isoformat() for day in self.listed_days]
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Paper:
        values = dict(data)
        values["authors"] = [Author.from_dict(a) for a in values.get("authors") or []]
        values["versions"] = [
            Version(v["number"], _date(v.get("date"))) for v in values.get("versions") or []
        ]
        for key in _DAY_FIELDS:
            values[key] = _date(values.get(key))
        # Records written before listed_days existed have none: they still load.
        values["listed_days"] = [
            date.fromisoformat(d[:10]) for d in values.get("listed_days") or []
        ]
        return cls(**values)


_PLAIN_FIELDS = tuple(f.name for f in fields(Paper))
_DAY_FIELDS = ("published", "updated", "listed_on", "github_stars_on", "deleted_on")


def link_key(url: str) -> str:
    """What makes two links the same link: the URL without its scheme, a ``www.``,
    a trailing slash or case (``https://Proj.io/`` and ``http://proj.io`` are one page;
    GitHub's owner and repository names are case-insensitive too)."""
    bare = url.strip().lower().split("://", 1)[-1]
    bare = bare.removeprefix("www.")
    return bare.rstrip("/")


def unique_links(*groups: list[str]) -> list[str]:
    """The links of ``groups`` in order, each once by ``link_key`` (the first spelling kept)."""
    seen: dict[str, str] = {}
    for group in groups:
        for url in group:
            seen.setdefault(link_key(url), url)
    return list(seen.values())


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


def _date(value: str | None) -> date | None:
    return date.fromisoformat(value[:10]) if value else None
