"""arXiv's author strings as a list of authors, each with their affiliations.

arXiv gives the authors of a paper as one string where OAI-PMH uses the
``arXivRaw`` format (``<authors>``) and in its announcement feeds
(``dc:creator``). Its rules are those of the "Authors" section of
https://info.arxiv.org/help/prep.html:

- names are separated by commas or by "and" (``A, B and C``; ``A, B, and C``);
- a name holds no comma: a suffix is written ``Bill Gates Jr``, yet
  ``Bill Gates, Jr.`` is read as one name too;
- an affiliation follows its name in parentheses, ``Ana Ruiz (Univ. X)``, and
  may hold commas and parentheses of its own;
- affiliations may be footnotes, numbers not letters, listed at the end:
  ``A (1), B (1 and 2), C (2) ((1) Institution One, (2) Institution Two)``;
  a reference may list several numbers: ``(1,2)``, ``(1, 2)``, ``(1 & 2)``;
- a collaboration is named before a colon, ``ABCD Collaboration: A, B``, or
  after the members, ``A, B, for the ABCD Collaboration``. arXiv's API lists
  the collaboration as an author, so it becomes one author entry, named
  ``ABCD Collaboration``, before or after its members as written.

An affiliation given after a name also belongs to the names before it that
have none (``A, B (Univ. X)``: both at Univ. X), as arXiv's own metadata has it
(arxiv-base, ``arxiv.authors.parse_author_affil``); a collaboration never gets
one that way. Where a string is ambiguous (parentheses that do not pair, text
after an affiliation) the names are kept whole and never hold a parenthesis.

``has_author_markup`` and ``reparse_authors`` find and repair names stored by a
parser that did not know these rules (``Chen Wei (2) ((1) Univ. X``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from paperwire.ingest.records import unicode_author
from paperwire.ingest.tex import has_tex
from paperwire.model import Author

__all__ = ["has_author_markup", "parse_authors", "reparse_authors"]

# Between two names: a comma or semicolon (perhaps followed by "and", the
# Oxford comma), "and" or "&" between spaces, or the colon after a collaboration.
# A bare "&" is not one: "R&D Team" is one name.
_SEPARATOR = re.compile(r"\s*(?:[,;](?:\s*(?:and|&)(?=\s))?|:|\s(?:and|&)(?=\s))\s*")
# A footnote reference: "1", "1,2", "1, 2", "1 and 2", "1 & 2", "1-3".
_REFERENCES = re.compile(r"\d+(?:\s*(?:[,;&]|and|-|–)\s*\d+)*")
_REFERENCE_SPLIT = re.compile(r"\s*(?:[,;&]|and)\s*")
_RANGE = re.compile(r"(\d+)\s*[-–]\s*(\d+)")
_FOOTNOTE_MARK = re.compile(r"\(\s*(\d+)\s*\)")
_SUFFIX = re.compile(r"(?:Jr|Sr|JR|SR)\.?|I{2,3}|IV|2nd|3rd")
_ET_AL = re.compile(r"et\.?\s+al\.?", re.IGNORECASE)
_COLLABORATION = re.compile(r"\b(?:collaboration|consortium|team|group)s?\b", re.IGNORECASE)
_ON_BEHALF = re.compile(r"^(?:for|on behalf of)\s+(?:the\s+)?", re.IGNORECASE)
_EDGE = " \t,;:"
_LEADING_AND = re.compile(r"^(?:and|&)\s+")


@dataclass(frozen=True, slots=True)
class _Group:
    """A top-level parenthesised group: what it holds and where it starts."""

    inner: str
    start: int


@dataclass(frozen=True, slots=True)
class _Separator:
    colon: bool
    comma: bool


_Token = str | _Group | _Separator


@dataclass(slots=True)
class _Entry:
    name: str
    references: list[str] = field(default_factory=list)
    affiliations: list[str] = field(default_factory=list)
    collaboration: bool = False


def parse_authors(text: str | None) -> list[Author]:
    """The authors of an arXiv author string, in order, each with the affiliations
    the string gives them (footnotes resolved). Names and affiliations are kept as
    written, TeX included (``records.arxiv_paper`` converts it); whitespace is
    normalised. Never raises: unreadable parts are dropped, names kept whole."""
    line = _pair_parentheses(" ".join((text or "").split()))
    if not line:
        return []
    footnotes: dict[str, str] = {}
    entries = _entries(line, footnotes)
    for entry in entries:
        numbers = [n for refs in entry.references for n in _reference_numbers(refs)]
        resolved = [footnotes[n] for n in numbers if n in footnotes]
        entry.affiliations = [*resolved, *entry.affiliations]
    _carry_back(entries)
    return [Author(e.name, _distinct(e.affiliations)) for e in entries]


def has_author_markup(name: str) -> bool:
    """Whether a stored author name still holds markup of the author string: a
    parenthesis (a footnote marker like ``(2)``, or a piece of a footnote list),
    a colon (a collaboration run into its first member), TeX (``tex.has_tex``), or
    no letter or digit at all (a separator taken for a name)."""
    return any(c in name for c in "():") or has_tex(name) or not any(c.isalnum() for c in name)


def reparse_authors(authors: list[Author]) -> list[Author]:
    """The author list that ``parse_authors`` would have given, rebuilt from one
    stored by a parser that split on every comma: the names (each followed by its
    affiliations in parentheses) are joined with ", " and parsed again, then made
    Unicode as on import. Returns ``authors`` itself when no author has markup
    (``has_author_markup``, or an affiliation that is only a footnote number)."""
    if not any(_needs_reparse(a) for a in authors):
        return authors
    line = ", ".join(_as_written(a) for a in authors)
    reparsed = [unicode_author(a) for a in parse_authors(line)]
    return [a for a in reparsed if any(c.isalnum() for c in a.name)] or authors


def _needs_reparse(author: Author) -> bool:
    return has_author_markup(author.name) or any(
        _REFERENCES.fullmatch(a.strip()) for a in author.affiliations
    )


def _as_written(author: Author) -> str:
    return author.name + "".join(f" ({a})" for a in author.affiliations)


def _entries(line: str, footnotes: dict[str, str]) -> list[_Entry]:
    """The authors of ``line``; footnote definitions found on the way go to ``footnotes``."""
    entries: list[_Entry] = []
    current: _Entry | None = None
    after_comma = False
    colon_at: int | None = None
    for token in _tokens(line):
        if isinstance(token, _Separator):
            if current is not None:
                _add(entries, current, after_comma)
            current = None
            after_comma = token.comma
            if token.colon and colon_at is None:
                colon_at = len(entries)
        elif isinstance(token, _Group):
            if _FOOTNOTE_MARK.match(token.inner.strip()):
                footnotes.update(_footnotes(token.inner))
            elif current is None and _starts_unwrapped_list(token, entries):
                # "A (1), B (2), (1) Inst. One, (2) Inst. Two": the list without its
                # own parentheses runs to the end.
                footnotes.update(_footnotes(line[token.start :]))
                break
            else:
                target = current if current is not None else (entries[-1] if entries else None)
                if target is not None:
                    _attach(target, token.inner)
        elif text := _LEADING_AND.sub("", token.strip(_EDGE)):
            if current is not None and (current.references or current.affiliations):
                # Text after an affiliation: a comma is missing before the next name.
                _add(entries, current, after_comma)
                after_comma = False
                current = None
            if current is None:
                current = _Entry(text)
            else:
                current.name = f"{current.name} {text}"
    if current is not None:
        _add(entries, current, after_comma)
    if colon_at is not None and colon_at < len(entries):
        for entry in entries[:colon_at]:
            entry.collaboration = True
    return entries


def _starts_unwrapped_list(group: _Group, entries: list[_Entry]) -> bool:
    return _REFERENCES.fullmatch(group.inner.strip()) is not None and any(
        e.references for e in entries
    )


def _add(entries: list[_Entry], entry: _Entry, after_comma: bool) -> None:
    entry.name = " ".join(entry.name.split()).strip(_EDGE)
    if _ET_AL.fullmatch(entry.name):
        return
    if after_comma and entries and _SUFFIX.fullmatch(entry.name):
        # "Bill Gates, Jr.": the suffix is part of the name before it.
        previous = entries[-1]
        previous.name = f"{previous.name} {entry.name}"
        previous.references += entry.references
        previous.affiliations += entry.affiliations
        return
    if not any(c.isalnum() for c in entry.name):
        if entries:
            entries[-1].references += entry.references
            entries[-1].affiliations += entry.affiliations
        return
    if _COLLABORATION.search(entry.name):
        entry.collaboration = True
        entry.name = _ON_BEHALF.sub("", entry.name, count=1) or entry.name
    entries.append(entry)


def _attach(entry: _Entry, inner: str) -> None:
    text = " ".join(inner.split())
    if _REFERENCES.fullmatch(text):
        entry.references.append(text)
    elif text:
        entry.affiliations.append(text)


def _tokens(line: str) -> Iterator[_Token]:
    """Names' text, separators and top-level parenthesised groups, in order.
    Separators inside braces or math (``{\\c C}``, ``$^{1,2}$``) are text."""
    depth = 0
    start = 0
    for position, char in enumerate(line):
        if char == "(":
            if depth == 0:
                yield from _split_names(line[start:position])
                start = position
            depth += 1
        elif char == ")":
            depth -= 1
            if depth == 0:
                yield _Group(line[start + 1 : position], start)
                start = position + 1
    yield from _split_names(line[start:])


def _split_names(text: str) -> Iterator[str | _Separator]:
    last = 0
    for match in _SEPARATOR.finditer(_mask_tex(text)):
        yield text[last : match.start()]
        mark = match.group(0)
        yield _Separator(colon=":" in mark, comma="," in mark or ";" in mark)
        last = match.end()
    yield text[last:]


def _mask_tex(text: str) -> str:
    """``text`` with what is inside braces and math replaced by ``_``, same length."""
    if "{" not in text and "$" not in text:
        return text
    out = []
    depth = 0
    math = False
    for char in text:
        if char == "$":
            math = not math
            out.append(char)
        elif char == "{":
            depth += 1
            out.append(char)
        elif char == "}":
            depth = max(0, depth - 1)
            out.append(char)
        else:
            out.append("_" if depth or math else char)
    return "".join(out)


def _pair_parentheses(line: str) -> str:
    """``line`` with each parenthesis that has no partner made a space, so that an
    unclosed ``(`` never swallows the names after it into an affiliation."""
    unmatched: set[int] = set()
    opened: list[int] = []
    for position, char in enumerate(line):
        if char == "(":
            opened.append(position)
        elif char == ")":
            if opened:
                opened.pop()
            else:
                unmatched.add(position)
    unmatched.update(opened)
    if not unmatched:
        return line
    return " ".join("".join(" " if i in unmatched else c for i, c in enumerate(line)).split())


def _footnotes(text: str) -> dict[str, str]:
    """``{"1": "Institution One", ...}`` from ``(1) Institution One, (2) ...``: each
    number's text runs to the next number at the same depth, its own parentheses kept."""
    marks = [m for m in _FOOTNOTE_MARK.finditer(text) if _depth_at(text, m.start()) == 0]
    found: dict[str, str] = {}
    for mark, following in zip(marks, [*marks[1:], None], strict=True):
        end = following.start() if following else len(text)
        found[mark.group(1)] = _footnote_text(text[mark.end() : end])
    return {number: text for number, text in found.items() if text}


def _footnote_text(text: str) -> str:
    text = " ".join(text.split()).strip(_EDGE)
    text = re.sub(r"\s+(?:and|&)$", "", text)
    # A closing parenthesis of the list itself, left when the list was unwrapped.
    while text.endswith(")") and text.count(")") > text.count("("):
        text = text[:-1].rstrip(_EDGE)
    return text


def _depth_at(text: str, position: int) -> int:
    return text.count("(", 0, position) - text.count(")", 0, position)


def _reference_numbers(references: str) -> Iterator[str]:
    for part in _REFERENCE_SPLIT.split(references.strip()):
        span = _RANGE.fullmatch(part)
        if span and int(span[1]) <= int(span[2]) <= int(span[1]) + 50:
            yield from (str(n) for n in range(int(span[1]), int(span[2]) + 1))
        elif part.isdigit():
            yield str(int(part))


def _carry_back(entries: list[_Entry]) -> None:
    """Give the affiliations of each author to the authors before it that have
    none, collaborations aside (arXiv's ``_parse_author_affil_back_propagate``)."""
    carried: list[str] = []
    for entry in reversed(entries):
        if entry.collaboration:
            continue
        if entry.affiliations:
            carried = entry.affiliations
        elif carried:
            entry.affiliations = list(carried)


def _distinct(values: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(v for v in values if v))
