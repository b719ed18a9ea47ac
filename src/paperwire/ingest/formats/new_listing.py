"""arXiv's "new" listing page of one category, ``arxiv.org/list/CAT/new``, read from its HTML.

The page is the announcement itself: it changes at 20:00 Eastern when arXiv
announces (https://info.arxiv.org/help/availability.html), hours before the
RSS feed (rebuilt at midnight) and OAI-PMH (around 22:30). Its layout is
arxiv-browse's ``list/new.html`` and ``list/list_macros.html``:

- ``<h3>Showing new listings for Tuesday, 24 November 2026</h3>``: the listing day;
- ``<div class='paging'>Total of N entries``: new, cross-lists and replacements
  together, ``show`` (at most 2000) per page, ``skip`` to page on;
- per paper a ``<dt>`` with ``<a href="/abs/ID" title="Abstract">``, marked
  ``(cross-list from CAT)`` or ``(replaced)``, and a ``<dd>`` whose ``div``s of
  class ``list-title``, ``list-authors``, ``list-comments``,
  ``list-journal-ref`` and ``list-subjects`` (primary category first) and a
  ``<p class='mathjax'>`` (the abstract) hold the metadata.

Each paper becomes an ``Announcement`` with the feed's announce types
(``new``, ``cross``, ``replace``, ``replace-cross``); new and cross-listed
papers get the listing day as ``listed_on``, a replacement does not. The
records rank as listings (source ``listing``), below the API's.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from html.parser import HTMLParser

from paperwire.ingest.authors import parse_authors
from paperwire.ingest.formats.rss import Announcement
from paperwire.ingest.records import RECORD_ERRORS, BadRecord, Rejection, arxiv_paper

__all__ = ["ListingPage", "parse_new_listing"]

_DAY = re.compile(r"Showing new listings for\s+(\w+,\s+\d{1,2}\s+\w+\s+\d{4})")
_TOTAL = re.compile(r"Total of\s+(\d+)\s+entr")
_CROSS = re.compile(r"\(cross-list from\s+([^)\s]+)\s*\)")
_REPLACED = re.compile(r"\(replaced\)")
_CATEGORY = re.compile(r"\(([^()\s]+)\)\s*$")
_LINK_TEXT = re.compile(r"^\s*this\s+https?\s+URL\s*$")
_DESCRIPTOR = re.compile(r"^\s*(Title|Comments|Journal-ref|Subjects):\s*")
_FIELDS = {
    "list-title": "title",
    "list-authors": "authors",
    "list-comments": "comment",
    "list-journal-ref": "journal_ref",
    "list-subjects": "subjects",
}


@dataclass
class ListingPage:
    """One page of a category's new listing: its ``day`` (None: the page names none),
    ``total`` entries over all pages, and what this page holds."""

    category: str
    day: date | None = None
    total: int = 0
    announcements: list[Announcement] = field(default_factory=list)
    rejections: list[Rejection] = field(default_factory=list)

    @property
    def entries(self) -> int:
        return len(self.announcements) + len(self.rejections)


def parse_new_listing(html: str, category: str, name: str) -> ListingPage:
    """Read one new-listing page of ``category``; a paper that cannot be read is a
    Rejection (``name`` and its place), never an error of the page."""
    reader = _PageReader()
    reader.feed(html)
    reader.close()
    page = ListingPage(category, _listing_day(reader.day_text), reader.total)
    for number, item in enumerate(reader.items, start=1):
        try:
            page.announcements.append(_announcement(item, category, page.day))
        except RECORD_ERRORS as exc:
            page.rejections.append(Rejection(f"{name}: entry {number}", str(exc)))
    return page


@dataclass
class _Item:
    arxiv_id: str = ""
    marks: str = ""  # the dt's text: "(cross-list from ...)", "(replaced)"
    fields: dict[str, str] = field(default_factory=dict)
    primary: str = ""


class _PageReader(HTMLParser):
    """Collects the listing day, the total and each dt/dd pair's texts."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.day_text = ""
        self.total = 0
        self.items: list[_Item] = []
        self._h3: list[str] | None = None
        self._paging: list[str] | None = None
        self._in_dt = False
        self._capture: tuple[str, str] | None = None  # (field, tag)
        self._depth = 0
        self._text: list[str] = []
        self._primary: list[str] | None = None
        self._link: tuple[str, int] | None = None  # an open link's href and text start

    def _restore_link(self, href: str, start: int) -> None:
        # arXiv shows a URL in a title, comment or abstract as a link reading
        # "this https URL"; the URL itself is what the text said.
        if _LINK_TEXT.match("".join(self._text[start:])):
            self._text[start:] = [href]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        classes = (values.get("class") or "").split()
        if self._capture is not None:
            if tag == self._capture[1]:
                self._depth += 1
            elif tag == "br":
                self._text.append("\n")
            elif tag == "span" and "primary-subject" in classes:
                self._primary = []
            elif tag == "a" and (values.get("href") or "").startswith(("http://", "https://")):
                self._link = (values.get("href") or "", len(self._text))
            return
        if tag == "h3" and not self.day_text:
            self._h3 = []
        elif tag == "div" and "paging" in classes and not self.total:
            self._paging = []
        elif tag == "dt":
            self.items.append(_Item())
            self._in_dt = True
        elif tag == "a" and self._in_dt and values.get("title") == "Abstract":
            self.items[-1].arxiv_id = (values.get("href") or "").rsplit("/abs/", 1)[-1]
        elif self.items and tag in ("div", "p"):
            name = next((_FIELDS[c] for c in classes if c in _FIELDS), None)
            if name is None and tag == "p" and "mathjax" in classes:
                name = "abstract"
            if name is not None:
                self._capture, self._depth, self._text = (name, tag), 1, []

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "br" and self._capture is not None:
            self._text.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if self._capture is not None:
            if tag == "a" and self._link is not None:
                self._restore_link(*self._link)
                self._link = None
            if tag == "span" and self._primary is not None:
                self.items[-1].primary = "".join(self._primary)
                self._primary = None
            if tag == self._capture[1]:
                self._depth -= 1
                if self._depth == 0:
                    self.items[-1].fields[self._capture[0]] = "".join(self._text)
                    self._capture = None
            return
        if tag == "h3" and self._h3 is not None:
            text = " ".join("".join(self._h3).split())
            if _DAY.search(text):
                self.day_text = text
            self._h3 = None
        elif tag == "div" and self._paging is not None:
            match = _TOTAL.search("".join(self._paging))
            self.total = int(match.group(1)) if match else 0
            self._paging = None
        elif tag == "dt":
            self._in_dt = False

    def handle_data(self, data: str) -> None:
        if self._capture is not None:
            self._text.append(data)
            if self._primary is not None:
                self._primary.append(data)
        elif self._h3 is not None:
            self._h3.append(data)
        elif self._paging is not None:
            self._paging.append(data)
        elif self._in_dt and self.items:
            self.items[-1].marks += data


def _listing_day(text: str) -> date | None:
    match = _DAY.search(text)
    if match is None:
        return None
    try:
        return datetime.strptime(" ".join(match.group(1).split()), "%A, %d %B %Y").date()
    except ValueError:
        return None


def _announcement(item: _Item, category: str, day: date | None) -> Announcement:
    fields = {name: _DESCRIPTOR.sub("", text, count=1) for name, text in item.fields.items()}
    categories = _categories(fields.get("subjects", ""))
    primary = _category(item.primary) or (categories[0] if categories else None)
    if _CROSS.search(item.marks):
        kind = "cross"
    elif _REPLACED.search(item.marks):
        kind = "replace" if primary in (None, category) else "replace-cross"
    else:
        kind = "new"
    if not item.arxiv_id:
        raise BadRecord("no arXiv id in the entry's abstract link")
    paper = arxiv_paper(
        item.arxiv_id,
        fields.get("title"),
        abstract=fields.get("abstract"),
        authors=parse_authors(" ".join(fields.get("authors", "").split())),
        source="listing",
        categories=categories,
        primary_category=primary,
        comment=fields.get("comment"),
        journal_ref=" ".join(fields.get("journal_ref", "").split()) or None,
        listed_on=day if kind in ("new", "cross") else None,
    )
    return Announcement(paper, kind, day)


def _categories(subjects: str) -> list[str]:
    found = (_category(part) for part in subjects.split(";"))
    return list(dict.fromkeys(c for c in found if c))


def _category(text: str) -> str | None:
    match = _CATEGORY.search(text.strip())
    return match.group(1) if match else None
