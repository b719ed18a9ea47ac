"""arXiv announcement feeds, in the format arXiv publishes since 2024.

``rss.arxiv.org/rss/CATS`` (RSS 2.0) and ``rss.arxiv.org/atom/CATS`` (Atom)
list one announcement: each item is one paper, with an announce type

- ``new``: first announced today, in one of the requested categories;
- ``cross``: cross-listed into one of them today;
- ``replace`` / ``replace-cross``: a new version of an older paper.

Items carry the title, an ``arXiv:ID Announce Type: T Abstract: ...`` text,
the authors as one ``dc:creator`` string, the categories and the
announcement date. New and cross-listed papers get that date as ``listed_on``;
a replacement does not, as it was listed long before. The records come from
the listing, so they rank below the API's own record (source ``listing``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import BinaryIO
from xml.etree.ElementTree import Element

from paperwire.ingest.authors import parse_authors
from paperwire.ingest.records import (
    RECORD_ERRORS,
    BadRecord,
    Rejection,
    arxiv_paper,
    author,
    parse_day,
    parse_rfc2822_day,
)
from paperwire.ingest.xml import child_text, children, iter_elements
from paperwire.model import Author, Paper

__all__ = ["ANNOUNCE_TYPES", "Announcement", "iter_announcements", "parse_announcements"]

ANNOUNCE_TYPES = ("new", "cross", "replace", "replace-cross")
LISTED_TYPES = frozenset({"new", "cross"})

_HEADER = re.compile(r"^\s*arXiv:(?P<id>\S+)\s+Announce Type:\s*(?P<type>[\w-]+)\s*", re.I)
_ABSTRACT = re.compile(r"^\s*Abstract:\s*", re.I)
_OAI_PREFIX = re.compile(r"^oai:arXiv\.org:", re.I)


@dataclass(frozen=True, slots=True)
class Announcement:
    paper: Paper
    kind: str  # one of ANNOUNCE_TYPES
    day: date | None  # the announcement (listing) day


def parse_announcements(stream: BinaryIO, name: str) -> Iterator[Paper | Rejection]:
    for item in iter_announcements(stream, name):
        yield item if isinstance(item, Rejection) else item.paper


def iter_announcements(stream: BinaryIO, name: str) -> Iterator[Announcement | Rejection]:
    """Each item of an RSS 2.0 or Atom announcement feed, in feed order."""
    for number, element in enumerate(iter_elements(stream, {"item", "entry"}), start=1):
        try:
            yield element_to_announcement(element)
        except RECORD_ERRORS as exc:
            yield Rejection(f"{name}: item {number}", str(exc))


def element_to_announcement(element: Element) -> Announcement:
    text = child_text(element, "description") or child_text(element, "summary") or ""
    header = _HEADER.match(text)
    raw_id = header.group("id") if header else _item_id(element)
    kind = (
        child_text(element, "announce_type") or (header.group("type") if header else "")
    ).strip()
    kind = kind.lower()
    if kind not in ANNOUNCE_TYPES:
        raise BadRecord(f"unknown announce type {kind[:20]!r}")
    abstract = _ABSTRACT.sub("", text[header.end() :] if header else text, count=1)
    day = _announcement_day(element)
    categories = _categories(element)
    paper = arxiv_paper(
        raw_id,
        child_text(element, "title"),
        abstract=abstract,
        authors=_authors(element),
        source="listing",
        categories=categories,
        # arXiv lists a paper's categories primary first, in its feeds as on its pages.
        primary_category=categories[0] if categories else None,
        doi=(child_text(element, "DOI") or "").strip() or None,
        journal_ref=(child_text(element, "journal_reference") or "").strip() or None,
        listed_on=day if kind in LISTED_TYPES else None,
    )
    return Announcement(paper, kind, day)


def _item_id(element: Element) -> str | None:
    for name in ("guid", "id"):
        value = child_text(element, name)
        if value and value.strip():
            return _OAI_PREFIX.sub("", value.strip())
    link = child_text(element, "link")
    if link and link.strip():
        return link.strip()
    for link_element in children(element, "link"):
        if link_element.get("href"):
            return link_element.get("href")
    return None


def _announcement_day(element: Element) -> date | None:
    rss_date = child_text(element, "pubDate")
    if rss_date:
        return parse_rfc2822_day(rss_date)
    return parse_day(child_text(element, "published") or child_text(element, "updated"))


def _authors(element: Element) -> list[Author]:
    # dc:creator is arXiv's author string, affiliations and all.
    creator = child_text(element, "creator")
    if creator and creator.strip():
        return parse_authors(creator)
    return [author(child_text(a, "name")) for a in children(element, "author")]


def _categories(element: Element) -> list[str]:
    terms = [c.get("term") or (c.text or "") for c in children(element, "category")]
    return list(dict.fromkeys(t.strip() for t in terms if t and t.strip()))
