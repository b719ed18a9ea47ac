"""Split an abstract into its sentences, the way a reader of arXiv abstracts would.

A full stop ends a sentence only where it is followed by white space and a
sentence's first character; what looks like an end and is not is left alone:
abbreviations ("e.g.", "i.e.", "cf.", "vs.", "Fig. 3", "Eq. (2)"), initials and
dotted acronyms ("Julian P. Kanter", "U.S. Securities"), decimals and version
numbers ("3.5", "v2.5"), and everything inside ``$...$`` math or a URL (a URL's
own trailing full stop still ends its sentence). "et al." ends a sentence only
before a capitalised word ("as reported by Liu et al. GEM employs ..."), the
way abstracts use it; before "(2020)" or "[3]" it does not. A paragraph break
always ends one.
"""

from __future__ import annotations

import re

__all__ = ["Sentence", "split_sentences"]

# Spans whose full stops never end a sentence: display and inline math, URLs (up
# to, not including, trailing punctuation), and bare domains such as github.com/x.
_PROTECTED = re.compile(
    r"\$\$.+?\$\$|\$[^$\n]+?\$|\\\(.+?\\\)"
    r"|(?:https?://|www\.)\S*[^\s.,;:!?)\]'\"]"
    r"|\b[\w-]+(?:\.[\w-]+)*\.(?:com|org|io|ai|net|edu)/\S*[^\s.,;:!?)\]'\"]",
)
# A candidate end: terminal punctuation, any closing quotes or brackets, white space,
# then something a sentence can start with (a capital, a digit, an opening quote or
# bracket, math).
_CANDIDATE = re.compile(r"[.!?]+[\"'”’)\]]*(\s+)(?=[A-Z0-9\"'“‘(\[$\\])")
_WORD_BEFORE = re.compile(r"(\S+)$")
_NUMBER_STARTS = frozenset("0123456789([")
_WORD_AFTER = re.compile(r"^\s*([\w$\\(\[\"'“‘-]+)")

# Abbreviations that never end a sentence in an abstract (compared lowercased,
# without their final full stop).
_NEVER_END = frozenset(
    ["e.g", "i.e", "cf", "vs", "viz", "approx", "resp", "dr", "prof", "mr", "ms", "mrs", "jr", "sr"]
)
# Abbreviations that point at a numbered thing: no end before its number ("Fig. 3",
# "Eq. (2)", "Ref. [4]"), a plain word otherwise.
_BEFORE_NUMBER = frozenset(
    [
        "fig",
        "figs",
        "eq",
        "eqs",
        "sec",
        "secs",
        "tab",
        "tabs",
        "no",
        "nos",
        "ref",
        "refs",
        "thm",
        "vol",
        "pp",
        "ch",
        "appx",
        "alg",
    ]
)
# Words that start sentences of abstracts: after an ambiguous abbreviation (an
# initial, a dotted acronym) a full stop before one of them ends the sentence.
_STARTERS = frozenset(
    [
        "we",
        "our",
        "the",
        "this",
        "these",
        "that",
        "those",
        "it",
        "its",
        "in",
        "to",
        "for",
        "on",
        "by",
        "with",
        "as",
        "a",
        "an",
        "our",
        "experiments",
        "results",
        "finally",
        "moreover",
        "furthermore",
        "however",
        "additionally",
        "specifically",
        "subsequently",
        "then",
        "here",
        "there",
        "such",
        "code",
        "data",
        "extensive",
    ]
)


class Sentence(str):
    """A sentence of a text (a ``str``) that knows where it starts in that text."""

    start: int

    def __new__(cls, text: str, start: int) -> Sentence:
        made = super().__new__(cls, text)
        made.start = start
        return made


def split_sentences(text: str) -> list[Sentence]:
    """The sentences of ``text`` in order, each stripped, none empty.

    Paragraphs (split at blank lines) never share a sentence; line wraps inside a
    paragraph are white space. Never raises: text without an end is one sentence.
    """
    sentences: list[Sentence] = []
    for start, paragraph in _paragraphs(text):
        sentences += [
            Sentence(piece, start + offset) for offset, piece in _split_paragraph(paragraph)
        ]
    return sentences


def _paragraphs(text: str) -> list[tuple[int, str]]:
    found = []
    start = 0
    for match in re.finditer(r"\n[ \t]*\n", text + "\n\n"):
        found.append((start, text[start : match.start()]))
        start = match.end()
    return [(s, p) for s, p in found if p.strip()]


def _split_paragraph(paragraph: str) -> list[tuple[int, str]]:
    masked = _mask(paragraph)
    pieces = []
    start = 0
    for match in _CANDIDATE.finditer(masked):
        end = match.start(1)
        if _ends_sentence(masked[:end], masked[match.end(1) :]):
            pieces.append((start, paragraph[start:end]))
            start = match.end(1)
    pieces.append((start, paragraph[start:]))
    found = []
    for offset, piece in pieces:
        stripped = piece.strip()
        if stripped:
            found.append((offset + piece.index(stripped[0]), " ".join(stripped.split())))
    return found


def _mask(text: str) -> str:
    """``text`` with every protected span's characters replaced (same length)."""
    return _PROTECTED.sub(lambda m: "_" * len(m.group()), text)


def _ends_sentence(before: str, after: str) -> bool:
    """Whether the punctuation closing ``before`` ends a sentence, ``after`` following."""
    word_match = _WORD_BEFORE.search(before)
    word = word_match.group(1) if word_match else ""
    bare = word.rstrip("\"'”’)]")
    if not bare.endswith("."):
        return True  # "?" or "!", or a full stop inside closing brackets: "(see Fig. 2)."
    bare = bare.lstrip("(\"'“‘[")
    token = bare[:-1].rstrip(".")
    next_match = _WORD_AFTER.match(after)
    following = next_match.group(1) if next_match else ""
    lowered = token.lower()
    if lowered in _NEVER_END or lowered.startswith(("e.g", "i.e")):
        return False
    if lowered in _BEFORE_NUMBER and following[:1] in _NUMBER_STARTS:
        return False
    if lowered == "al":  # "et al.": an end before a capitalised word, not "(2020)" or "[3]"
        return following[:1].isalpha() and following[:1].isupper()
    if _is_initial_or_acronym(token):
        return following.lower().strip("\"'“‘(") in _STARTERS
    return True


def _is_initial_or_acronym(token: str) -> bool:
    """A single capital ("P" of "Julian P. Kanter") or a dotted acronym ("U.S", "U.K")."""
    if len(token) == 1 and token.isupper():
        return True
    parts = token.split(".")
    return len(parts) > 1 and all(len(p) == 1 and p.isalpha() for p in parts)
