"""A comment's Markdown as safe HTML: CommonMark (markdown-it-py), @mentions linked, nh3.

Raw HTML in a comment is never passed through: markdown-it runs with
``html`` off, so ``<script>`` arrives as text, and its own URL check drops
``javascript:`` and ``data:`` links. The result then goes through nh3
(Ammonia) with a short allow-list of tags and http, https and mailto links
only, each link given ``rel="nofollow ugc noopener noreferrer"`` (ugc:
Google's mark for user-generated links). @mentions of users this server has
become links to their profile page; an unknown name stays text.
``apply_math`` is the one place the paper pages' math rendering will apply to
comments; until then a comment shows its TeX source as written.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from functools import cache
from urllib.parse import quote

import nh3
from markdown_it import MarkdownIt
from markdown_it.token import Token
from markupsafe import Markup, escape

from paperwire.application.discussion import MENTION

__all__ = ["apply_math", "comment_html", "comment_text"]

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
# MathML Core's presentation elements, for the math renderer's output (``apply_math``),
# which is sanitised with the rest.
_MATHML = {
    "math",
    "mi",
    "mn",
    "mo",
    "ms",
    "mtext",
    "mrow",
    "msup",
    "msub",
    "msubsup",
    "mfrac",
    "msqrt",
    "mroot",
    "mover",
    "munder",
    "munderover",
    "mspace",
    "mtable",
    "mtr",
    "mtd",
    "semantics",
    "annotation",
}
_ATTRIBUTES = {
    "a": {"href", "title", "class"},
    "ol": {"start"},
    "code": {"class"},
    "math": {"display"},
    "annotation": {"encoding"},
}
_SCHEMES = {"http", "https", "mailto"}

# The paper pages' math rendering, once it exists: TeX source in, HTML out. None: none yet.
MathRenderer = Callable[[str], str]
_math: list[MathRenderer] = []


def apply_math(html: str) -> str:
    """Where comments get math rendered: the paper pages' renderer, when one is installed,
    turns the TeX in ``html`` (Markdown's output) into MathML; nh3 then sanitises the
    whole, MathML Core's elements allowed."""
    for render in _math:
        html = render(html)
    return html


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
    tokens = md.parse(body)
    if users:
        for token in tokens:
            if token.type == "inline" and token.children:
                token.children = _link_mentions(token.children, users)
    html = md.renderer.render(tokens, md.options, {})
    clean = nh3.clean(
        apply_math(html),
        tags=_TAGS | _MATHML,
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
