"""Turning stored text into safe HTML: abstracts with their math as MathML (TeX that
does not convert kept readable, see ``mathml``), and search snippets with
highlights. Everything is escaped; the only markup added is our own (<p>,
<math>, <span class="tex">, <mark>)."""

from __future__ import annotations

import re
from datetime import date

from markupsafe import Markup, escape

from paperwire.search.results import Snippet
from paperwire.web.render.links import linked_html
from paperwire.web.render.mathml import has_math, math_html

__all__ = ["abstract_html", "count", "long_day", "plural", "short_day", "snippet_html", "xml_safe"]

_PARAGRAPHS = re.compile(r"\n\s*\n")
# Characters XML 1.0 forbids; a hostile title must not break a feed.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def abstract_html(text: str | None) -> Markup:
    """Paragraphs of escaped text; hard line wraps (arXiv's 80 columns) are undone.

    Math spans become MathML (``mathml.math_html``), web addresses links
    (``links.linked_html``). Text with neither is escaped once, then split and
    wrapped: a page lists many abstracts, and escaping piece by piece was most of
    its rendering time.
    """
    if not text:
        return Markup("")
    if "$" in text or "\\" in text or "://" in text:
        paragraphs = (" ".join(part.split()) for part in _PARAGRAPHS.split(text.strip()))
        html = (math_html(p, plain=linked_html) for p in paragraphs if p)
        return Markup("".join(f"<p>{p}</p>" for p in html))
    escaped = str(escape(text.strip()))
    paragraphs = (" ".join(part.split()) for part in _PARAGRAPHS.split(escaped))
    return Markup("".join(f"<p>{p}</p>" for p in paragraphs if p))


def snippet_html(snippet: Snippet | None) -> Markup:
    """A search snippet (or highlighted title) as HTML, its hits in ``<mark>``.

    Text with math gets it as MathML, as everywhere else; its hits are then marked
    by their words, outside the formulas, since a formula's span does not keep the
    snippet's offsets."""
    if snippet is None:
        return Markup("")
    if has_math(snippet.text):
        terms = {snippet.text[begin:end] for begin, end in snippet.highlights}
        return math_html(snippet.text, plain=lambda piece: _marked(piece, terms))
    return Markup("").join(
        Markup("<mark>%s</mark>") % piece if lit else escape(piece)
        for piece, lit in snippet.segments()
    )


def _marked(text: str, terms: set[str]) -> Markup:
    words = [re.escape(term) for term in sorted(terms, key=len, reverse=True) if term.strip()]
    if not words:
        return escape(text)
    out: list[Markup] = []
    at = 0
    for found in re.finditer("|".join(words), text, re.IGNORECASE):
        out += [escape(text[at : found.start()]), Markup("<mark>%s</mark>") % found.group(0)]
        at = found.end()
    out.append(escape(text[at:]))
    return Markup("").join(out)


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
