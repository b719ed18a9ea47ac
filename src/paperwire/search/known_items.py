"""Known-item search: recognise a query that is (most of) a paper's title, typed.

People paste a title, type its first words, or type it with a slip of the
finger; that paper should come first whatever the mode. A query matches a
title, word for word as ``lexical.title_tokens`` gives them, when:

* it is the whole title (two words or more), or
* it is the title's start (a prefix) of four words or more, or of three
  when that is half the title or more, or
* it is a run of words inside the title (a phrase) of three words or more
  that covers two thirds of the title or more;

allowing one word to differ by one edit (a letter inserted, dropped, changed,
or two neighbours swapped: the Damerau-Levenshtein distance of Damerau, 1964)
when both spellings have four letters or more. A shorter query, or one that
matches less of a title, is a topic and is left to the ranking.
"""

from __future__ import annotations

from collections.abc import Sequence
from enum import IntEnum

__all__ = ["TitleMatch", "edit_distance_at_most_one", "title_match"]

_MIN_WHOLE = 2
_MIN_PREFIX = 4
_MIN_SHORT_PREFIX = 3  # when it is half the title or more
_MIN_PHRASE = 3
_PHRASE_SHARE = 2 / 3
_TYPO_MIN_CHARS = 4


class TitleMatch(IntEnum):
    """How closely a query matches a title; a larger value ranks first."""

    NONE = 0
    PART_TYPO = 1  # a prefix or phrase, with one typo
    PART = 2  # a prefix or phrase, exactly
    WHOLE_TYPO = 3  # the whole title, with one typo
    WHOLE = 4  # the whole title, exactly


def title_match(query: Sequence[str], title: Sequence[str]) -> TitleMatch:
    """How ``query`` matches ``title`` (both lists of tokens), by the rules above."""
    n, m = len(query), len(title)
    if n == 0 or n > m:
        return TitleMatch.NONE
    if n == m:
        if n < _MIN_WHOLE:
            return TitleMatch.NONE
        typos = _typos(query, title)
        if typos is None:
            return TitleMatch.NONE
        return TitleMatch.WHOLE if typos == 0 else TitleMatch.WHOLE_TYPO
    best: int | None = None
    if n >= _MIN_PREFIX or (n >= _MIN_SHORT_PREFIX and 2 * n >= m):
        best = _typos(query, title[:n])
    if best != 0 and n >= _MIN_PHRASE and n >= _PHRASE_SHARE * m:
        for start in range(1, m - n + 1):
            typos = _typos(query, title[start : start + n])
            if typos is not None and (best is None or typos < best):
                best = typos
    if best is None:
        return TitleMatch.NONE
    return TitleMatch.PART if best == 0 else TitleMatch.PART_TYPO


def _typos(query: Sequence[str], title: Sequence[str]) -> int | None:
    """0 when the words are equal, 1 when exactly one pair is one edit apart, else None."""
    typos = 0
    for typed, word in zip(query, title, strict=True):
        if typed == word:
            continue
        if typos or min(len(typed), len(word)) < _TYPO_MIN_CHARS:
            return None
        if not edit_distance_at_most_one(typed, word):
            return None
        typos = 1
    return typos


def edit_distance_at_most_one(a: str, b: str) -> bool:
    """Whether ``a`` becomes ``b`` by at most one insertion, deletion, substitution or
    swap of two neighbouring letters (optimal string alignment distance <= 1)."""
    if a == b:
        return True
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diffs = [i for i, (x, y) in enumerate(zip(a, b, strict=True)) if x != y]
        if len(diffs) == 1:
            return True
        return (
            len(diffs) == 2
            and diffs[1] == diffs[0] + 1
            and a[diffs[0]] == b[diffs[1]]
            and a[diffs[1]] == b[diffs[0]]
        )
    short, long = (a, b) if len(a) < len(b) else (b, a)
    for i, (x, y) in enumerate(zip(short, long, strict=False)):
        if x != y:
            return short[i:] == long[i + 1 :]
    return True
