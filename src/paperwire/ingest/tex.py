"""TeX accents and text symbols in titles, abstracts and names, as Unicode.

OAI-PMH gives ``P. Erd\\H{o}s`` and ``J. Ru\\v{z}i\\v{c}ka`` where the arXiv API
gives ``P. Erdős`` and ``J. Ružička``; both become the latter, so two records of
one paper compare equal whatever order they are imported in. The conversion is
pylatexenc's (``LatexNodes2Text``). Math (``$...$``, ``$$...$$``) and URLs are
left exactly as written: pages render math from its TeX. Text that TeX would
read differently from what the author meant is protected first: a bare ``%``
(a comment to TeX, a percent sign in an abstract), ``&`` and ``#``, and a
backslash before a non-ASCII letter (``St\\ütz``, a typo for ``Stütz``).

A macro pylatexenc does not know is an author's own (``\\method``, ``\\ours``,
defined in the paper's preamble, which an abstract does not carry): it stays as
written, as arXiv's abstract page shows it, where pylatexenc would drop it and
the name of the paper's method with it. The usual abbreviation macros
(``\\eg``, ``\\ie``, ``\\etal``) become their text, LaTeX's text macros
(``\\texttt{vLLM}``) keep their argument, and a backslash before a digit
(``\\1 million``, a mangled ``\\$1``) is dropped, not the digit; other escapes
(``\\@``, ``\\/``) leave nothing. TeX's tie (``~``) between two words is a space.
"""

from __future__ import annotations

import logging
import re
import unicodedata

from pylatexenc.latex2text import LatexNodes2Text, MacroTextSpec, get_default_latex_context_db
from pylatexenc.latexwalker import LatexMacroNode
from pylatexenc.macrospec import LatexContextDb

__all__ = ["has_tex", "has_tex_macro", "tex_to_unicode"]

log = logging.getLogger(__name__)
# pylatexenc says so for every macro it cannot expand (\frac outside math, say): the
# piece is kept as written, which is all an import needs to know.
logging.getLogger("pylatexenc").setLevel(logging.ERROR)

# Left as written: math ($...$, $$...$$, \(...\), \[...\]), links (\url{address},
# \href{address}{text}) and bare URLs.
# A link's text may hold one level of braces (``\href{address}{\textbf{here}}``).
_LINK_TEXT = r"\{((?:[^{}]|\{[^{}]*\})*)\}"
_VERBATIM = re.compile(
    r"\$\$.+?\$\$|\$[^$]+\$|\\\(.+?\\\)|\\\[.+?\\\]|\\url\{[^}]*\}|\\href\{[^}]*\}"
    + _LINK_TEXT
    + r"|https?://[^\s{}]+",
    re.DOTALL,
)
# A URL that a text macro or a group wraps (``\textbf{https://...}``,
# ``{\textcolor{red}{https://...}}``): the URL alone is meant, and a bare URL is
# kept as written, so without this the macro would be cut from its argument.
_WRAPPED_URL = re.compile(
    r"\\(?:text(?:bf|it|tt|sf|rm|sc|md|up)|emph|underline|mbox|textcolor\s*\{[^{}]*\})\s*"
    r"\{\s*([^{}]*?(?:https?://|github\.com/)[^{}]*?)\s*\}"
    # or a bare group holding a URL alone, not the argument of a macro (\url, \href)
    r"|(?<![A-Za-z}\]])\{\s*(https?://[^\s{}]+?)\s*\}"
)
_URL_MACRO = re.compile(r"\\url\{([^}]*)\}")
_HREF_MACRO = re.compile(r"\\href\{([^}]*)\}" + _LINK_TEXT)
_BARE_SPECIAL = re.compile(r"(?<!\\)([%&#])")
# A tilde between two characters that are not spaces; see _untie for when it is a tie.
_TIE = re.compile(r"(?<=[^\s~])~(?=[^\s~])")
_NOT_A_TIE_AFTER = frozenset("\\/([{<=")  # an accent (\~n), a path, "(~10x" (about)
_BACKSLASH_BEFORE_NON_ASCII = re.compile(r"\\(?=[^\x00-\x7f])")
# A colour changes how text looks, not what it says (xcolor's \color[model]{spec} and
# \textcolor{spec}{text}, which pylatexenc does not know): the text alone is kept.
_COLOR = re.compile(r"\\(?:text)?color\s*(?:\[[^\]]*\])?\s*\{[^{}]*\}")
_TEX_LINE_BREAK = re.compile(r"\\\\(?:\[[^\]]*\])?")
# One piece of TeX in running text: a braced group, or a macro with its argument
# (``\emph{x}``, ``\H{o}``) or, for an accent, the letter it takes (``\'e``).
# Converting these pieces alone, not the whole text, keeps an import fast.
_TEX_PIECE = re.compile(
    r"\{(?:[^{}]|\{[^{}]*\})*\}"
    r"|\\(?:[A-Za-z]+\*?|[^A-Za-z\s])"
    r"(?:(?:\s*\{(?:[^{}]|\{[^{}]*\})*\}){1,2}|(?<=[\\'`^\"~=.])[^\W\d_])?"
)


_ACCENT_OR_TEXT_MACRO = re.compile(
    r"\\['`^\"~=.](?:\{\\?[A-Za-z]\}|\\?[A-Za-z])"  # \'e \"{o} \^{\i}
    r"|\\[uvHcdbtkr]\s*\{\\?[A-Za-z]\}"  # \v{z} \H{o} \c{c}
    r"|\\(?:ss|[oO]|ae|AE|oe|OE|aa|AA|[lL]|i|j)(?![A-Za-z])"  # \o \ss \l
    r"|\\(?:emph|text(?:bf|it|tt|sf|rm|sc))\s*\{"
)
# What TeX leaves in text: a macro or escaped character, a brace, a math delimiter.
_TEX_MARK = re.compile(r"[\\{}$]")

# The abbreviation macros papers define (with \xspace, so a space after them stays).
_ABBREVIATIONS = {
    "eg": "e.g.",
    "Eg": "E.g.",
    "ie": "i.e.",
    "Ie": "I.e.",
    "etal": "et al.",
    "etc": "etc.",
    "wrt": "w.r.t.",
    "vs": "vs.",
    "cf": "cf.",
    "aka": "a.k.a.",
}
_MACRO_NAME = re.compile(r"\\([A-Za-z]+)")
_OWN_WITH_ARGUMENT = re.compile(r"\\([A-Za-z]+)\s*\{")
_DOUBLED_PERIOD = re.compile(
    "(" + "|".join(re.escape(text) for text in sorted(set(_ABBREVIATIONS.values()))) + r")\.(?!\.)"
)
# LaTeX's and its packages', not an author's, though pylatexenc has no text for
# them: switches that change only the look (dropped), and macros whose last argument
# is the text (pylatexenc dropped \texttt{vLLM} and \mbox{...} with their text).
_LOOK_ONLY = [
    "em",
    "it",
    "bf",
    "sc",
    "sf",
    "rm",
    "tt",
    "sl",
    "up",
    "md",
    "tiny",
    "scriptsize",
    "footnotesize",
    "small",
    "normalsize",
    "large",
    "Large",
    "LARGE",
    "huge",
    "Huge",
    "noindent",
    "centering",
    "xspace",
    "bfseries",
    "itshape",
    "scshape",
    "ttfamily",
    "sffamily",
    "rmfamily",
    "upshape",
    "mdseries",
    "slshape",
    "normalfont",
    "protect",
    "relax",
]
_TEXT_ARGUMENT = [
    "texttt",
    "textsf",
    "textsuperscript",
    "textsubscript",
    "textnormal",
    "textup",
    "textmd",
    "textsl",
    "mbox",
    "uline",
    "hyperlink",
    "hyperref",
    "gls",
    "glspl",
    "Gls",
    "Glspl",
    "ac",
    "acp",
    "acs",
    "acl",
    "acf",
    "acrshort",
    "acrlong",
]


def _abbreviation(name: str, text: str) -> MacroTextSpec:
    def spelled(node: LatexMacroNode, **_: object) -> str:
        return text + node.macro_post_space

    return MacroTextSpec(name, simplify_repl=spelled)


def _argument_text(node: LatexMacroNode, l2tobj: LatexNodes2Text) -> str:
    """The text of a macro's last argument (``\\texttt{vLLM}``: ``vLLM``), or nothing."""
    arguments = node.nodeargd.argnlist if node.nodeargd is not None else []
    last = next((a for a in reversed(arguments) if a is not None), None)
    return "" if last is None else str(l2tobj.nodelist_to_text([last]))


def _as_written(node: LatexMacroNode, **_: object) -> str:
    """A macro nobody told pylatexenc of, inside a group: an author's own (a letter
    macro) as written, ``\\1`` as ``1``, any other escape (``\\@``, ``\\/``) as nothing."""
    name = str(node.macroname)
    if name[:1].isalpha():
        return f"\\{name}{node.macro_post_space}"
    return name if name.isdigit() else ""


def _latex_context() -> LatexContextDb:
    """pylatexenc's macros, with the abbreviations and unknown macros as above."""
    context = get_default_latex_context_db()
    macros = [_abbreviation(name, text) for name, text in _ABBREVIATIONS.items()]
    macros += [MacroTextSpec(name, discard=True) for name in _LOOK_ONLY]
    macros += [MacroTextSpec(name, simplify_repl=_argument_text) for name in _TEXT_ARGUMENT]
    context.add_context_category("paperwire-abbreviations", macros=macros, prepend=True)
    context.set_unknown_macro_spec(MacroTextSpec("", simplify_repl=_as_written))
    return context


_CONTEXT = _latex_context()
_KNOWN_MACROS = frozenset(spec.macroname for spec in _CONTEXT.iter_macro_specs())
_CONVERTER = LatexNodes2Text(latex_context=_CONTEXT, math_mode="verbatim", strict_latex_spaces=True)


def tex_to_unicode(text: str) -> str:
    """``text`` with its TeX accents, symbols, text macros and ties (``~``) as Unicode
    (NFC); math and URLs unchanged. Text without a backslash, a brace or a tie is
    returned as it is."""
    if "~" in text:
        text = _untie(text)
    if "\\" not in text and "{" not in text:
        return text
    text = _unwrap_urls(text)
    pieces: list[str] = []
    last = 0
    for match in _VERBATIM.finditer(text):
        pieces.append(_convert(text[last : match.start()]))
        pieces.append(_link(match.group(0)))
        last = match.end()
    pieces.append(_convert(text[last:]))
    return "".join(pieces)


def _untie(text: str) -> str:
    """TeX's tie (``2.78~(CIFAR-10)``, ``at~https://...``: a space lines never break
    at) as a space, outside math and URLs. A tilde is left as written after a space
    or an opening bracket ("~9 tokens", "(~10x faster)": about), between two digits
    ("3~5%", a range), after a backslash (the accent ``\\~n``), and in a word that
    holds a slash (a path or an address: ``cs.x.edu/~ada``)."""
    kept = [match.span() for match in _VERBATIM.finditer(text)]

    def is_tie(at: int) -> bool:
        before, after = text[at - 1], text[at + 1]
        word_start = max(text.rfind(" ", 0, at), text.rfind("\n", 0, at)) + 1
        return not (
            before in _NOT_A_TIE_AFTER
            or (before.isdigit() and after.isdigit())
            or "/" in text[word_start:at]
            or any(a <= at < b for a, b in kept)
        )

    return _TIE.sub(lambda tie: " " if is_tie(tie.start()) else tie[0], text)


def _unwrap_urls(text: str) -> str:
    while True:
        unwrapped = _WRAPPED_URL.sub(lambda m: m[1] or m[2], text)
        if unwrapped == text:
            return text
        text = unwrapped


def _link(verbatim: str) -> str:
    r"""A kept piece as shown: math as written, ``\url{a}`` as ``a``, and
    ``\href{a}{text}`` as ``text (a)``, its text converted."""
    href = _HREF_MACRO.fullmatch(verbatim)
    if href:
        text = _convert(href[2]).strip()
        return href[1] if text in ("", href[1]) else f"{text} ({href[1]})"
    return _URL_MACRO.sub(r"\1", verbatim)


def has_tex_macro(text: str) -> bool:
    r"""Whether ``text`` holds, outside math and links, a TeX accent (``\'e``,
    ``\H{o}``), a letter macro (``\o``, ``\ss``) or a text-style macro (``\emph{``):
    what today's import always converts, so what an older one left as written.
    Converting converted text again is not a no-op (the literal ``{`` of an escaped
    ``\{`` would go), hence this test before a repair converts anything."""
    return _ACCENT_OR_TEXT_MACRO.search(_VERBATIM.sub(" ", text)) is not None


def has_tex(text: str) -> bool:
    """Whether ``text`` still holds TeX: a backslash, a brace or a ``$``. After
    ``tex_to_unicode`` this is what it could not convert, or math kept as written;
    in a name (which has no math) it is markup left over."""
    return _TEX_MARK.search(text) is not None


def _convert(segment: str) -> str:
    if "\\" not in segment and "{" not in segment:
        return segment
    safe = _BACKSLASH_BEFORE_NON_ASCII.sub("", segment)
    safe = _COLOR.sub("", _TEX_LINE_BREAK.sub(" ", safe))
    converted = _TEX_PIECE.sub(lambda piece: _piece(piece.group(0)), safe)
    converted = _DOUBLED_PERIOD.sub(r"\1", converted)  # "\etc." is "etc.", not "etc.."
    return unicodedata.normalize("NFC", converted.replace("\xa0", " "))


def _piece(tex: str) -> str:
    macro = _MACRO_NAME.match(tex)
    if macro and macro[1] not in _KNOWN_MACROS:
        return tex  # an author's own macro, with its argument: as written
    if tex.startswith("{") and any(
        m[1] not in _KNOWN_MACROS for m in _OWN_WITH_ARGUMENT.finditer(tex)
    ):
        return tex  # a group holding one ({\foo{bar}}): as written, braces and all
    try:
        return str(_CONVERTER.latex_to_text(_BARE_SPECIAL.sub(r"\\\1", tex)))
    except Exception:  # pylatexenc is tolerant; anything it still cannot read stays as is
        log.debug("cannot read the TeX %r; kept as written", tex[:80])
        return tex
