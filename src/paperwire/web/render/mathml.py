"""TeX math in titles, abstracts and summaries as MathML, rendered on the server.

``math_html(text)`` is the one entry point (the ``math_html`` Jinja filter):
plain text with ``$...$``, ``$$...$$``, ``\\(...\\)`` and ``\\[...\\]`` spans
becomes escaped HTML whose spans are ``<math>`` elements (MathML Core, which
browsers draw with no script). A span that does not convert stays as its TeX,
set apart in ``<span class="tex">``, so it reads as the author wrote it.

The converter is latex2mathml. Its output is not trusted: ``\\text{<b>}``
comes out as raw markup and ``\\href``, ``\\style`` and ``\\class`` add
attributes, so every result is parsed and rebuilt from an allow-list of MathML
elements and attributes (anything else rejects the span). A span over
``MAX_FORMULA`` characters, or nested deeper than ``MAX_DEPTH`` braces, is not
converted at all, nor are a text's spans after its ``MAX_SPANS``th: the
converter is recursive, and a page must not wait on it.

Where a span starts and ends follows Pandoc's ``tex_math_dollars`` rule
(https://pandoc.org/MANUAL.html#extension-tex_math_dollars): an opening ``$``
has a non-space right after it, a closing one a non-space right before it, and
``\\$`` is a dollar sign; so "$5 and $10" stays text. Pandoc also wants no
digit right after a closing ``$``; abstracts write "$\\sim$8" and "$\\times$2"
so often that the rule is left out, and a span that reads as prose (four words
in a row outside ``\\text{...}``, as where a stray ``$`` pairs with a later one)
is kept as text.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from functools import lru_cache
from typing import NamedTuple
from xml.etree.ElementTree import Element

from defusedxml.ElementTree import fromstring
from latex2mathml.converter import convert
from markupsafe import Markup, escape

__all__ = [
    "MATHML_ATTRIBUTES",
    "MATHML_ELEMENTS",
    "MAX_DEPTH",
    "MAX_FORMULA",
    "MAX_SPANS",
    "MathSpan",
    "formula_mathml",
    "has_math",
    "math_html",
    "math_spans",
]

MAX_FORMULA = 300  # characters of TeX; titles' and abstracts' formulas are far shorter
MAX_DEPTH = 12  # nested braces
MAX_SPANS = 200  # converted per text; any more stay TeX (arXiv's abstracts hold at most ~40)

_MATHML_NS = "{http://www.w3.org/1998/Math/MathML}"
# MathML Core's presentation elements (https://www.w3.org/TR/mathml-core/#mathml-elements-and-attributes).
# fmt: off
_ELEMENTS = frozenset({
    "math", "mrow", "mi", "mn", "mo", "ms", "mtext", "mspace", "msub", "msup", "msubsup",
    "munder", "mover", "munderover", "mfrac", "msqrt", "mroot", "mstyle", "mpadded", "mphantom",
    "menclose", "mtable", "mtr", "mtd", "mmultiscripts", "mprescripts", "none", "semantics",
    "annotation", "merror"
})
# fmt: on
# Attributes that only shape the drawing: no URLs, no style, no class or id.
# fmt: off
_ATTRIBUTES = frozenset({
    "display", "mathvariant", "stretchy", "fence", "separator", "lspace", "rspace", "accent",
    "accentunder", "displaystyle", "scriptlevel", "mathsize", "columnalign", "rowalign",
    "columnspacing", "rowspacing", "columnlines", "rowlines", "frame", "movablelimits", "minsize",
    "maxsize", "symmetric", "largeop", "form", "linethickness", "width", "height", "depth",
    "notation", "open", "close", "separators"
})
# fmt: on
_SAFE_VALUE = re.compile(r"[\w .%+-]*")
# What a sanitiser of HTML holding this module's output must let through.
MATHML_ELEMENTS = _ELEMENTS
MATHML_ATTRIBUTES = _ATTRIBUTES | {"alttext"}

# The span's delimiters; the TeX inside is group "dd", "d", "p" or "b". Bounded, so
# that a text of many openers and no closer is read in linear time.
_SPAN = re.compile(
    rf"(?<!\\)\$\$(?P<dd>[^$]{{1,{MAX_FORMULA}}}?)\$\$"
    rf"|(?<![\\$])\$(?![\s$])(?P<d>[^$\n]{{0,{MAX_FORMULA}}}?[^\s\\])\$(?!\$)"
    rf"|\\\((?P<p>.{{1,{MAX_FORMULA}}}?)\\\)"
    rf"|\\\[(?P<b>.{{1,{MAX_FORMULA}}}?)\\\]",
    re.DOTALL,
)
_LEFTOVER_COMMAND = re.compile(r"^\\[A-Za-z]+$")
# latex2mathml 3.81 writes some operators and numbers as identifiers: \sim as
# <mi>~</mi>, \% as <mi>%</mi>, \langle as <mi>⟨</mi>, "p < .001" with <mi>.001</mi>.
# Identifiers are set in italics and without operator spacing, so such a token
# is given the element MathML Core means for it (an operator or a number).
_OPERATOR_CATEGORIES = frozenset({"Sm", "Ps", "Pe", "Pd", "Po"})  # Unicode general categories
_NAMES_NOT_OPERATORS = frozenset("@#&")  # "Recall@10": no operator spacing around them
_OPERATOR_SPELLING = {"~": "\u223c"}  # \sim: the tilde operator, not the ASCII tilde
_NUMBER = re.compile(r"\d*\.?\d+")
_COMMAND_ARGUMENT = re.compile(r"\\[A-Za-z]+\s*\{[^{}]*\}")
_PROSE = re.compile(r"(?:(?<![\\\w])[A-Za-z]{2,}[\s,;:.()-]+){4}")


class MathSpan(NamedTuple):
    """One math span of a text: where it is, its TeX and whether it is display math."""

    start: int
    end: int
    tex: str
    display: bool


def has_math(text: str | None) -> bool:
    """Whether ``text`` holds at least one math span."""
    return bool(text) and bool(math_spans(text))  # type: ignore[arg-type]


def math_spans(text: str) -> list[MathSpan]:
    """The math spans of ``text``, in order.

    Two amounts of money ("at $1.49 million, then ($1.33M)") are not a span: a
    ``$...$`` that opens on a digit and closes before one is read as prices, the
    part of Pandoc's rule (https://pandoc.org/MANUAL.html#math) that keeps
    ``$\\sim$8`` math all the same.
    """
    spans = []
    for match in _SPAN.finditer(text):
        kind = match.lastgroup or "d"
        tex = match.group(kind)
        if kind == "d" and tex[:1].isdigit() and text[match.end() : match.end() + 1].isdigit():
            continue
        spans.append(MathSpan(match.start(), match.end(), tex, kind in ("dd", "b")))
    return spans


def math_html(text: str | None, plain: Callable[[str], Markup] = escape) -> Markup:
    """``text`` as escaped HTML with each math span as MathML (or as its TeX, set apart).

    ``plain`` renders the text between the spans (``links.linked_html`` also links
    its addresses). White space is left as it is: callers that undo line wraps do
    it first.
    """
    if not text:
        return Markup("")
    if "$" not in text and "\\" not in text:
        return plain(text)
    out: list[str] = []
    at = 0
    for number, span in enumerate(math_spans(text)):
        out.append(str(plain(text[at : span.start])))
        source = text[span.start : span.end]
        mathml = formula_mathml(span.tex, source, span.display) if number < MAX_SPANS else None
        out.append(mathml if mathml is not None else f'<span class="tex">{escape(source)}</span>')
        at = span.end
    out.append(str(plain(text[at:])))
    return Markup("".join(out))


@lru_cache(maxsize=8192)
def formula_mathml(tex: str, source: str | None = None, display: bool = False) -> str | None:
    """The MathML of the TeX formula ``tex``, or None where it does not convert.

    ``source`` (the span with its delimiters, default ``$tex$``) is kept in the
    ``alttext`` attribute for screen readers and copying. None for a formula
    too long or too deeply nested, one the converter fails on, one whose result
    holds anything outside the allow-list, or one left with an unknown command.
    """
    tex = tex.strip()
    if not tex or len(tex) > MAX_FORMULA or _depth(tex) > MAX_DEPTH:
        return None
    if _PROSE.search(_COMMAND_ARGUMENT.sub(" ", tex)):
        return None
    try:
        converted = convert(tex, display="block" if display else "inline")
        root = fromstring(converted)
    except Exception:
        # Bad TeX makes the converter raise its own errors and IndexError, KeyError,
        # RecursionError...; its output may not parse (ParseError).
        return None
    try:
        body = "".join(_rebuild(child) for child in root)
    except _Rejected:
        return None
    alt = source if source is not None else f"${tex}$"
    kind = "block" if display else "inline"
    return f'<math display="{kind}" alttext="{escape(alt)}">{body}</math>'


class _Rejected(Exception):
    """The converter's output holds something the allow-list does not."""


def _rebuild(node: Element) -> str:
    tag = node.tag.removeprefix(_MATHML_NS) if isinstance(node.tag, str) else ""
    if tag not in _ELEMENTS:
        raise _Rejected(tag)
    text = node.text or ""
    if tag in ("mi", "mo", "mtext") and _LEFTOVER_COMMAND.match(text.strip()):
        raise _Rejected(text)  # a command the converter did not know
    if tag == "mi" and not len(node):
        tag, text = _token(text)
    attrs = "".join(
        f' {name}="{escape(value)}"'
        for name, value in sorted(node.attrib.items())
        if name in _ATTRIBUTES and _SAFE_VALUE.fullmatch(value)
    )
    inner = str(escape(text)) + "".join(
        _rebuild(child) + str(escape(child.tail or "")) for child in node
    )
    return f"<{tag}{attrs}>{inner}</{tag}>"


def _token(text: str) -> tuple[str, str]:
    """The element and text of a leaf identifier (``<mi>``) of the converter's output."""
    if _NUMBER.fullmatch(text):
        return "mn", text
    if (
        len(text) == 1
        and unicodedata.category(text) in _OPERATOR_CATEGORIES
        and text not in _NAMES_NOT_OPERATORS
    ):
        return "mo", _OPERATOR_SPELLING.get(text, text)
    return "mi", text


def _depth(tex: str) -> int:
    deepest = level = 0
    for char in tex:
        if char == "{":
            level += 1
            deepest = max(deepest, level)
        elif char == "}":
            level -= 1
    return deepest
