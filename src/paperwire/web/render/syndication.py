"""RSS 2.0 and Atom 1.0 documents for a list of papers, built with ElementTree.

ElementTree escapes every text and attribute; characters XML cannot carry
at all are removed first (``xml_safe``), so no title can break a feed.
An RSS ``description`` is HTML to feed readers (RSS 2.0 leaves it to them,
and most render it), so its text is HTML-escaped as well: an abstract with
``<img onerror=...>`` in it shows as text there too. Atom says what its
summaries are (``type="text"``), so they go as they are. A withdrawn paper's
title starts with "[Withdrawn]", its summary says so, so a reader sees it in
any feed reader; deleted papers never reach a feed (the store leaves them out).
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from email.utils import format_datetime
from xml.etree import ElementTree as ET

from paperwire.store.records import ListedPaper
from paperwire.web.render.text import xml_safe

__all__ = ["Channel", "Entry", "atom_document", "entries_for", "rss_document"]

ATOM_NS = "http://www.w3.org/2005/Atom"
# RSS 2.0's <author> wants an e-mail address; feed readers show Dublin Core's
# creator instead, one element per author (https://www.rssboard.org/rss-profile#namespace-elements-dublin-creator).
DC_NS = "http://purl.org/dc/elements/1.1/"
MEDIA_TYPES = {
    "rss": "application/rss+xml; charset=utf-8",
    "atom": "application/atom+xml; charset=utf-8",
}


@dataclass(frozen=True, slots=True)
class Entry:
    title: str
    url: str
    summary: str
    day: date | None
    authors: list[str] = field(default_factory=list)
    categories: list[str] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Channel:
    title: str
    description: str
    page_url: str  # the HTML page this feed follows
    self_url: str  # the feed itself
    entries: list[Entry]


def entries_for(
    base: str, listed: list[ListedPaper], notes: dict[str, str] | None = None
) -> list[Entry]:
    entries = []
    for item in listed:
        paper = item.paper
        summary = " ".join(paper.abstract.split())
        extra = [f"{item.upvotes} upvotes"]
        if notes and paper.id in notes:
            extra = [notes[paper.id]]
        title = " ".join(paper.title.split())
        if paper.withdrawn:
            title = f"[Withdrawn] {title}"
            extra.insert(0, "withdrawn: the latest arXiv version has no full text")
        entries.append(
            Entry(
                title=title,
                url=f"{base}/papers/{paper.id}",
                summary=f"{summary}\n\n({'; '.join(extra)})",
                day=item.day or paper.listed_on or paper.published,
                authors=[a.name for a in paper.authors],
                categories=list(paper.categories),
            )
        )
    return entries


def _moment(day: date | None) -> datetime:
    value = day or date(1970, 1, 1)
    return datetime(value.year, value.month, value.day, tzinfo=UTC)


def _sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    element = ET.SubElement(parent, tag, {k: xml_safe(v) for k, v in attrs.items()})
    if text is not None:
        element.text = xml_safe(text)
    return element


def rss_document(channel: Channel) -> bytes:
    root = ET.Element("rss", {"version": "2.0", "xmlns:atom": ATOM_NS, "xmlns:dc": DC_NS})
    head = _sub(root, "channel")
    _sub(head, "title", channel.title)
    _sub(head, "link", channel.page_url)
    _sub(head, "description", html.escape(channel.description, quote=False))
    _sub(head, "atom:link", href=channel.self_url, rel="self", type="application/rss+xml")
    newest = max((e.day for e in channel.entries if e.day), default=None)
    _sub(head, "lastBuildDate", format_datetime(_moment(newest)))
    for entry in channel.entries:
        item = _sub(head, "item")
        _sub(item, "title", entry.title)
        _sub(item, "link", entry.url)
        _sub(item, "guid", entry.url, isPermaLink="true")
        _sub(item, "description", html.escape(entry.summary, quote=False))
        _sub(item, "pubDate", format_datetime(_moment(entry.day)))
        for name in entry.authors:
            _sub(item, "dc:creator", name)
        for category in entry.categories:
            _sub(item, "category", category)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


def atom_document(channel: Channel) -> bytes:
    root = ET.Element("feed", {"xmlns": ATOM_NS})
    _sub(root, "title", channel.title)
    _sub(root, "subtitle", channel.description)
    _sub(root, "id", channel.self_url)
    _sub(root, "link", href=channel.self_url, rel="self", type="application/atom+xml")
    _sub(root, "link", href=channel.page_url, rel="alternate", type="text/html")
    newest = max((e.day for e in channel.entries if e.day), default=None)
    _sub(root, "updated", _moment(newest).isoformat())
    _sub(_sub(root, "author"), "name", "paperwire")
    for entry in channel.entries:
        element = _sub(root, "entry")
        _sub(element, "title", entry.title)
        _sub(element, "id", entry.url)
        _sub(element, "link", href=entry.url, rel="alternate", type="text/html")
        _sub(element, "updated", _moment(entry.day).isoformat())
        _sub(element, "published", _moment(entry.day).isoformat())
        for name in entry.authors:
            _sub(_sub(element, "author"), "name", name)
        for category in entry.categories:
            _sub(element, "category", term=category)
        _sub(element, "summary", entry.summary, type="text")
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)
