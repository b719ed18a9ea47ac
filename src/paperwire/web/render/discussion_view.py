"""What the discussion templates, the comment feeds and the comments API show of comments.

``thread_view`` builds one page of a paper's discussion as the paper page
shows it: each comment with its HTML (``render.comments``), whether the
reader may edit it, and what a tombstone or a hidden comment shows instead
(moderators see hidden text, marked). ``comment_json`` is the API's shape.
``comments_atom`` is an Atom feed of comments (RFC 4287), each with its
exact time and its text as plain text.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from markupsafe import Markup

from paperwire.application.discussion import mentioned_names
from paperwire.store.base import PaperStore
from paperwire.store.discussion_records import Comment
from paperwire.store.records import User
from paperwire.web.render.comments import comment_html, comment_text
from paperwire.web.render.text import xml_safe

__all__ = [
    "PAGE_SIZE",
    "CommentView",
    "ThreadView",
    "comment_json",
    "comments_atom",
    "iso_time",
    "thread_view",
    "views_of",
]

PAGE_SIZE = 50  # comments per page of a discussion
ATOM_NS = "http://www.w3.org/2005/Atom"


@dataclass(frozen=True, slots=True)
class CommentView:
    comment: Comment
    html: Markup  # empty for a tombstone, or a hidden comment a reader may not see
    mine: bool  # the reader wrote it: may edit and delete
    shown: bool  # its text is shown to this reader

    @property
    def anchor(self) -> str:
        return f"comment-{self.comment.id}"

    @property
    def permalink(self) -> str:
        return f"/comments/{self.comment.id}"

    @property
    def is_reply(self) -> bool:
        return self.comment.parent_id is not None


@dataclass(frozen=True, slots=True)
class ThreadView:
    paper_id: str
    comments: list[CommentView]
    total: int
    page: int  # from 1
    pages: int
    sort: str


def iso_time(moment: float) -> str:
    return datetime.fromtimestamp(moment, UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def views_of(
    store: PaperStore, comments: list[Comment], reader: User | None, moderator: bool
) -> list[CommentView]:
    """Each comment as ``reader`` sees it, mentions of existing users linked."""
    names = [n for c in comments if c.visible or moderator for n in mentioned_names(c.body)]
    known = {name.lower() for name in store.user_ids_by_names(names)} if names else set()
    views = []
    for c in comments:
        shown = not c.deleted and (not c.hidden or moderator)
        html = comment_html(c.body, known) if shown else Markup("")
        views.append(CommentView(c, html, reader is not None and reader.id == c.user_id, shown))
    return views


def thread_view(
    store: PaperStore,
    paper_id: str,
    reader: User | None,
    moderator: bool,
    page: int = 1,
    sort: str = "oldest",
) -> ThreadView:
    total_page = store.comments_page(paper_id, sort, PAGE_SIZE, (page - 1) * PAGE_SIZE)
    pages = max(1, -(-total_page.total // PAGE_SIZE))
    views = views_of(store, total_page.comments, reader, moderator)
    return ThreadView(paper_id, views, total_page.total, page, pages, sort)


def comment_json(view: CommentView) -> dict[str, Any]:
    """A comment in the API: its Markdown source and HTML, or nulls for a tombstone or a
    hidden comment."""
    c = view.comment
    return {
        "id": c.id,
        "paperId": c.paper_id,
        "parentId": c.parent_id,
        "author": {"name": c.username} if view.shown else None,
        "body": c.body if view.shown else None,
        "html": str(view.html) if view.shown else None,
        "createdAt": iso_time(c.created_at),
        "editedAt": None if c.edited_at is None else iso_time(c.edited_at),
        "deleted": c.deleted,
        "hidden": c.hidden,
        "permalink": view.permalink,
    }


def comments_atom(
    title: str, page_url: str, self_url: str, base: str, comments: list[Comment]
) -> bytes:
    """An Atom feed of readable comments, newest first; text only, escaped by the writer."""
    root = ET.Element("feed", {"xmlns": ATOM_NS})
    _sub(root, "title", title)
    _sub(root, "id", self_url)
    _sub(root, "link", href=self_url, rel="self", type="application/atom+xml")
    _sub(root, "link", href=page_url, rel="alternate", type="text/html")
    newest = max((c.edited_at or c.created_at for c in comments), default=0.0)
    _sub(root, "updated", iso_time(newest))
    _sub(_sub(root, "author"), "name", "paperwire")
    for c in comments:
        url = f"{base}/comments/{c.id}"
        entry = _sub(root, "entry")
        _sub(entry, "title", f"{c.username} on {c.paper_id}")
        _sub(entry, "id", url)
        _sub(entry, "link", href=url, rel="alternate", type="text/html")
        _sub(entry, "published", iso_time(c.created_at))
        _sub(entry, "updated", iso_time(c.edited_at or c.created_at))
        _sub(_sub(entry, "author"), "name", c.username)
        _sub(entry, "content", comment_text(c.body), type="text")
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


def _sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    element = ET.SubElement(parent, tag, {k: xml_safe(v) for k, v in attrs.items()})
    if text is not None:
        element.text = xml_safe(text)
    return element
