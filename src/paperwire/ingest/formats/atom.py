"""arXiv API responses (Atom), including arXiv's errors that arrive as an entry.

An API error comes back as a feed whose single entry is titled "Error" with an
id under ``/api/errors``; it becomes a rejection carrying arXiv's own message.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import BinaryIO
from xml.etree.ElementTree import Element

from paperwire.ingest.records import (
    RECORD_ERRORS,
    Rejection,
    arxiv_paper,
    author,
    first_doi,
    parse_day,
)
from paperwire.ingest.xml import child_text, children, iter_elements, local
from paperwire.model import Author, Paper, Version

__all__ = ["ArxivApiError", "parse_atom"]


class ArxivApiError(ValueError):
    """arXiv answered with an error entry instead of results."""


def parse_atom(stream: BinaryIO, name: str) -> Iterator[Paper | Rejection]:
    for number, entry in enumerate(iter_elements(stream, {"entry"}), start=1):
        where = f"{name}: entry {number}"
        if _is_error(entry):
            yield Rejection(where, f"arXiv API error: {child_text(entry, 'summary') or '?'}")
            continue
        try:
            yield entry_to_paper(entry)
        except RECORD_ERRORS as exc:
            yield Rejection(where, str(exc))


def _is_error(entry: Element) -> bool:
    entry_id = child_text(entry, "id") or ""
    return "/api/errors" in entry_id or (child_text(entry, "title") or "").strip() == "Error"


def entry_to_paper(entry: Element) -> Paper:
    published = parse_day(child_text(entry, "published"))
    updated = parse_day(child_text(entry, "updated"))
    paper = arxiv_paper(
        child_text(entry, "id"),
        child_text(entry, "title"),
        abstract=child_text(entry, "summary"),
        authors=[_author(a) for a in children(entry, "author")],
        source="arxiv",
        comment=child_text(entry, "comment"),
        journal_ref=child_text(entry, "journal_ref") or None,
        doi=first_doi(child_text(entry, "doi")),
        categories=_categories(entry),
        primary_category=_primary(entry),
        published=published,
        updated=updated,
    )
    paper.versions = _versions(paper.version, published, updated)
    return paper


def _author(element: Element) -> Author:
    # The API repeats <arxiv:affiliation> for an author with several.
    affiliations = ("".join(a.itertext()) for a in children(element, "affiliation"))
    return author(child_text(element, "name"), affiliations)


def _categories(entry: Element) -> list[str]:
    terms = (c.get("term", "").strip() for c in children(entry, "category"))
    return list(dict.fromkeys(t for t in terms if t))


def _primary(entry: Element) -> str | None:
    for child in entry:
        if local(child.tag) == "primary_category":
            return child.get("term") or None
    return None


def _versions(version: int | None, published: date | None, updated: date | None) -> list[Version]:
    if not version:
        return []
    history = [Version(1, published)]
    if version > 1:
        history.append(Version(version, updated))
    return history
