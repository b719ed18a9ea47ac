"""Which of a reader's follows a paper matches: an author, an organisation, a keyword, a search.

Matching is on the paper's own fields, without case or accents:
an author follow matches an author of that exact name; an organisation
matches the paper's organisation when they name one organisation (case,
spacing or the alias table of ``paperwire.organizations``), or any affiliation
of an author or the paper's organisation containing any name it goes by; a
keyword matches as a whole phrase in the title, abstract or keywords; a
saved search matches when every one of its words is in the title or abstract;
a topic (a keyphrase's key, ``paperwire.phrases.topic_key``) matches when the
title, abstract or keywords, read by the keyphrase normaliser, hold it or one
of the acronyms that expand to it, so "LLMs" in a paper matches the topic
"large language model".
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from functools import lru_cache

from paperwire.model import Paper
from paperwire.organizations import organization_spellings, same_organization
from paperwire.phrases import acronyms_for, phrase_key
from paperwire.store.personal_records import Follow

__all__ = ["describe_follow", "fold", "follow_matches"]

_WORD = re.compile(r"\w+")


def fold(text: str) -> str:
    """Lower case, accents removed, spaces collapsed."""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(plain.casefold().split())


def follow_matches(paper: Paper, follows: Sequence[Follow]) -> list[Follow]:
    """The follows ``paper`` matches, in the order given."""
    if not follows:
        return []
    text = fold(f"{paper.title} {paper.abstract} {' '.join(paper.keywords)}")
    words = set(_WORD.findall(text))
    return [f for f in follows if _matches(paper, f, text, words)]


def describe_follow(follow: Follow) -> str:
    """How a recommendation names the reason: "by Ada Lovelace, whom you follow"."""
    if follow.kind == "author":
        return f"by {follow.value}, whom you follow"
    if follow.kind == "organization":
        return f"from {follow.value}, which you follow"
    if follow.kind == "topic":
        return f"about “{follow.value}”, a topic you follow"
    if follow.kind == "keyword":
        return f"mentions “{follow.value}”, a keyword you follow"
    return f"matches your saved search “{follow.value}”"


def _matches(paper: Paper, follow: Follow, text: str, words: set[str]) -> bool:
    wanted = fold(follow.value)
    if follow.kind == "author":
        return any(fold(a.name) == wanted for a in paper.authors)
    if follow.kind == "organization":
        return _organization_matches(paper, follow.value)
    if follow.kind == "keyword":
        return _phrase(wanted).search(text) is not None
    if follow.kind == "topic":
        return _topic_matches(text, follow.value)
    terms = _WORD.findall(wanted)
    return bool(terms) and all(term in words for term in terms)


def _topic_matches(text: str, key: str) -> bool:
    keyed = f" {phrase_key(text)} "
    return any(f" {form} " in keyed for form in (key, *acronyms_for(key)))


def _organization_matches(paper: Paper, followed: str) -> bool:
    if paper.organization and same_organization(paper.organization, followed):
        return True
    names = [fold(name) for name in _spellings(followed)]
    places = [paper.organization or "", *(name for a in paper.authors for name in a.affiliations)]
    return any(name in fold(place) for place in places if place for name in names if name)


@lru_cache(maxsize=1024)
def _spellings(followed: str) -> tuple[str, ...]:
    return organization_spellings(followed)


@lru_cache(maxsize=1024)
def _phrase(folded: str) -> re.Pattern[str]:
    return re.compile(r"(?<!\w)" + re.escape(folded) + r"(?!\w)")
