"""Turning stored text into safe HTML: abstracts with their TeX kept readable, and
search snippets with highlights. Everything is escaped; the only markup added
is our own (<p>, <span class="tex">, <mark>)."""

from __future__ import annotations

import re
from datetime import date

from markupsafe import Markup, escape

from paperwire.search.results import Snippet

__all__ = ["abstract_html", "count", "long_day", "plural", "short_day", "snippet_html", "xml_safe"]

_PARAGRAPHS = re.compile(r"\n\s*\n")
# $...$ and $$...$$ spans (not across a blank line): kept as TeX, set apart.
_TEX = re.compile(r"(\$\$[^$]+?\$\$|\$[^$\n]+?\$)")
_TEX_SPAN = r'<span class="tex">\1</span>'
# Characters XML 1.0 forbids; a hostile title must not break a feed.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def abstract_html(text: str | None) -> Markup:
    """Paragraphs of escaped text; hard line wraps (arXiv's 80 columns) are undone.

    The whole text is escaped once, then split and wrapped: a page lists many
    abstracts, and escaping piece by piece was most of its rendering time.
    """
    if not text:
        return Markup("")
    escaped = str(escape(text.strip()))
    paragraphs = (" ".join(part.split()) for part in _PARAGRAPHS.split(escaped))
    # "$" and the characters between are escaped already, so wrapping them adds no markup
    # but ours; the span keeps TeX readable as TeX.
    html = "".join(f"<p>{_TEX.sub(_TEX_SPAN, p)}</p>" for p in paragraphs if p)
    return Markup(html)


def snippet_html(snippet: Snippet | None) -> Markup:
    if snippet is None:
        return Markup("")
    return Markup("").join(
        Markup("<mark>%s</mark>") % piece if lit else escape(piece)
        for piece, lit in snippet.segments()
    )


def long_day(value: date | None) -> str:
    return f"{value:%b} {value.day}, {value.year}" if value else ""


def short_day(value: date | None) -> str:
    return f"{value:%b} {value.day}" if value else ""


def count(value: int | None) -> str:
    return f"{value or 0:,}"


def plural(value: int, noun: str) -> str:
    return f"{value:,} {noun}" + ("" if value == 1 else "s")


def xml_safe(text: str | None) -> str:
    """``text`` with the characters XML cannot carry removed (escaping is the writer's job)."""
    return _NOT_XML.sub("", text or "")
