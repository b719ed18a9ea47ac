"""A comment's Markdown as safe HTML: CommonMark (markdown-it-py), @mentions linked, nh3.

Raw HTML in a comment is never passed through: markdown-it runs with
``html`` off, so ``<script>`` arrives as text, and its own URL check drops
``javascript:`` and ``data:`` links. The result then goes through nh3
(Ammonia) with a short allow-list of tags and http, https and mailto links
only, each link given ``rel="nofollow ugc noopener noreferrer"`` (ugc:
Google's mark for user-generated links). @mentions of users this server has
become links to their profile page; an unknown name stays text.
Math (``$...$``, ``\\(...\\)``) renders as on the paper pages (``mathml.py``):
each span is set aside before Markdown runs, so ``_`` and ``*`` inside a formula
never become emphasis, then put back as MathML, or as its TeX where it sits in
code or does not convert; nh3 sanitises the whole, MathML Core allowed.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Collection
from functools import cache
from urllib.parse import quote

import nh3
from markdown_it import MarkdownIt
from markdown_it.token import Token
from markupsafe import Markup, escape

from paperwire.application.discussion import MENTION
from paperwire.web.render.mathml import (
    MATHML_ATTRIBUTES,
    MATHML_ELEMENTS,
    has_math,
    math_html,
    math_spans,
)

__all__ = ["comment_html", "comment_text"]

_TAGS = {
    "a",
    "p",
    "br",
    "strong",
    "em",
    "code",
    "pre",
    "blockquote",
    "ul",
    "ol",
    "li",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "del",
}
_ATTRIBUTES = {
    "a": {"href", "title", "class"},
    "ol": {"start"},
    "code": {"class"},
    "span": {"class"},
    **{element: set(MATHML_ATTRIBUTES) for element in MATHML_ELEMENTS},
}
_SCHEMES = {"http", "https", "mailto"}


def _set_math_aside(body: str) -> tuple[str, dict[str, str]]:
    """``body`` with each math span replaced by a word Markdown leaves alone, and what
    each word stands for."""
    spans = math_spans(body) if has_math(body) else []
    if not spans:
        return body, {}
    nonce = secrets.token_hex(4)
    out: list[str] = []
    sources: dict[str, str] = {}
    at = 0
    for number, span in enumerate(spans):
        word = f"pwmath{nonce}n{number}x"
        sources[word] = body[span.start : span.end]
        out.append(body[at : span.start] + word)
        at = span.end
    out.append(body[at:])
    return "".join(out), sources


def _put_math_back(html: str, sources: dict[str, str]) -> str:
    """Each set-aside span as MathML, except inside code, where it is its TeX again."""
    if not sources:
        return html
    words = re.compile("|".join(map(re.escape, sources)))

    def as_math(found: re.Match[str]) -> str:
        return str(math_html(sources[found.group(0)]))

    def as_source(found: re.Match[str]) -> str:
        return str(escape(sources[found.group(0)]))

    pieces = _CODE.split(html)  # odd pieces are code
    return "".join(
        words.sub(as_source if index % 2 else as_math, piece) for index, piece in enumerate(pieces)
    )


_CODE = re.compile(r"(<code[^>]*>.*?</code>)", re.S)


@cache
def _markdown() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    # Comments are replies, not documents: headings start at h3 under the page's h2.
    md.disable(["heading", "lheading"])
    return md


def comment_html(body: str, users: Collection[str] = ()) -> Markup:
    """``body`` (Markdown) as sanitised HTML; ``users`` are the names (lowercase) that exist,
    whose @mentions become links."""
    md = _markdown()
    body, formulas = _set_math_aside(body)
    tokens = md.parse(body)
    if users:
        for token in tokens:
            if token.type == "inline" and token.children:
                token.children = _link_mentions(token.children, users)
    html = md.renderer.render(tokens, md.options, {})
    clean = nh3.clean(
        _put_math_back(html, formulas),
        tags=_TAGS | {"span"} | MATHML_ELEMENTS,
        attributes=_ATTRIBUTES,
        url_schemes=_SCHEMES,
        link_rel="nofollow ugc noopener noreferrer",
    )
    return Markup(clean)  # why: nh3 made it safe just above


def comment_text(body: str) -> str:
    """``body`` as plain text for feeds' summaries and mail (escaped where it is shown)."""
    return " ".join(body.split())


def _link_mentions(children: list[Token], users: Collection[str]) -> list[Token]:
    out: list[Token] = []
    inside_link = 0
    for child in children:
        if child.type == "link_open":
            inside_link += 1
        elif child.type == "link_close":
            inside_link -= 1
        if child.type != "text" or inside_link or "@" not in child.content:
            out.append(child)
            continue
        out.extend(_split_mentions(child.content, users))
    return out


def _split_mentions(text: str, users: Collection[str]) -> list[Token]:
    pieces: list[Token] = []
    start = 0
    for match in MENTION.finditer(text):
        name = match.group(1).rstrip(".-")
        if name.lower() not in users:
            continue
        end = match.start(1) + len(name)
        pieces.append(_html(str(escape(text[start : match.start()]))))
        href = "/users/" + quote(name, safe="")
        pieces.append(_html(f'<a class="mention" href="{href}">@{escape(name)}</a>'))
        start = end
    pieces.append(_html(str(escape(text[start:]))))
    return pieces


def _html(content: str) -> Token:
    token = Token("html_inline", "", 0)
    token.content = content
    return token
