"""The search query language: free text, quoted phrases, arXiv ids/URLs and filters.

Grammar, by whitespace-separated token:
  word, "a phrase"                 text (OR semantics; phrases must match exactly)
  2401.12345, arxiv.org/abs/...    that paper is put first
  author:NAME  author:"Yann LeCun" papers with that author (several: all of them)
  cat:cs.LG  cat:cs                papers in that category or archive (several: any)
  org:NAME                         papers from that organization, by any of its names (several: any)
  year:2024  from:2024-03  to:2024-06-30   date range (YYYY, YYYY-MM or YYYY-MM-DD)
  has:code                         papers with a code repository
  kw:"speculative decoding"        papers with that keyphrase, ours or Hugging Face's, in
                                   any spelling of it (several: all of them)
A word followed by a colon and a space ("BERT: Pre-training") is text; an
unknown name:value raises, as it is most likely a mistyped filter.
Anything malformed raises ``QueryError`` with a message that says what to fix.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, field
from datetime import date

from paperwire.ids import InvalidArxivId, parse_arxiv_id
from paperwire.phrases import topic_key

__all__ = ["FILTER_NAMES", "Filters", "ParsedQuery", "QueryError", "parse_query"]

FILTER_NAMES = ("author", "cat", "org", "year", "from", "to", "has", "kw")
_HAS_VALUES = ("code",)
_MAX_QUERY_CHARS = 1000
_TOKEN = re.compile(r'\s*(?:([A-Za-z]+):)?("([^"]*)"|[^\s"]+)?')
_DATE = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")


class QueryError(ValueError):
    """A query that cannot be run; the message says what is wrong and where."""


@dataclass(slots=True)
class Filters:
    authors: list[str] = field(default_factory=list)
    categories: list[str] = field(default_factory=list)
    organizations: list[str] = field(default_factory=list)
    date_from: date | None = None
    date_to: date | None = None
    has_code: bool = False
    # Keyphrase keys (paperwire.phrases.topic_key), and the papers that carry them all:
    # the store knows those, so the engine fills paper_ids in before the index is asked.
    keyphrases: list[str] = field(default_factory=list)
    paper_ids: list[str] | None = None

    def __bool__(self) -> bool:
        return bool(
            self.authors
            or self.categories
            or self.organizations
            or self.date_from
            or self.date_to
            or self.has_code
            or self.keyphrases
            or self.paper_ids is not None
        )


@dataclass(slots=True)
class ParsedQuery:
    words: list[str] = field(default_factory=list)
    phrases: list[str] = field(default_factory=list)
    arxiv_ids: list[str] = field(default_factory=list)
    filters: Filters = field(default_factory=Filters)
    text_parts: list[str] = field(default_factory=list)  # text tokens as typed

    @property
    def text(self) -> str:
        """The free text as typed, less filters and ids: what the embedding model reads."""
        return " ".join(self.text_parts or [*self.phrases, *self.words])

    @property
    def has_text(self) -> bool:
        return bool(self.words or self.phrases)


def parse_query(query: str) -> ParsedQuery:
    if not isinstance(query, str) or not query.strip():
        raise QueryError("empty query: type some words, an arXiv id, or a filter like cat:cs.LG")
    if len(query) > _MAX_QUERY_CHARS:
        raise QueryError(f"query too long ({len(query)} characters, at most {_MAX_QUERY_CHARS})")
    if query.count('"') % 2:
        raise QueryError('unbalanced quotes: close every " you open')
    parsed = ParsedQuery()
    position = 0
    while position < len(query):
        match = _TOKEN.match(query, position)
        if match is None or match.end() == position:
            break
        position = match.end()
        _take(parsed, match)
    dates = parsed.filters
    if dates.date_from and dates.date_to and dates.date_from > dates.date_to:
        raise QueryError("the date range is empty: from: is after to:")
    if not (parsed.has_text or parsed.arxiv_ids or parsed.filters):
        raise QueryError("empty query: nothing to search for once punctuation is removed")
    return parsed


def _take(parsed: ParsedQuery, match: re.Match[str]) -> None:
    name, token, quoted = match.group(1), match.group(2), match.group(3)
    if name and token is None and name.lower() not in FILTER_NAMES:
        # "BERT: Pre-training ...": a colon then a space is a title's colon.
        parsed.words.append(name)
        parsed.text_parts.append(name)
        return
    if name and name.lower() not in FILTER_NAMES and quoted is not None:
        # venue:"x": only the known names are filters; the rest is a word and a phrase.
        parsed.words.append(name)
        parsed.text_parts.append(name)
        name = None
    if name and name.lower() in FILTER_NAMES:
        if token is None:
            raise QueryError(f"filter {name}: has no value (e.g. {name}:VALUE)")
        _apply_filter(parsed.filters, name.lower(), quoted if quoted is not None else token)
        return
    raw = f"{name}:{token or ''}" if name else token
    if raw is None:
        return
    if quoted is not None and not name:
        phrase = " ".join(quoted.split())
        if not re.search(r"\w", phrase):
            raise QueryError('empty phrase "": put words between the quotes')
        parsed.phrases.append(phrase)
        parsed.text_parts.append(phrase)
        return
    if any(char.isdigit() for char in raw):  # every arXiv id has digits; most words none
        try:
            parsed.arxiv_ids.append(parse_arxiv_id(raw).id)
            return
        except InvalidArxivId:
            pass
    words = re.findall(r"\w+", raw)
    if words:
        parsed.words.extend(words)
        parsed.text_parts.append(raw)


def _apply_filter(filters: Filters, name: str, value: str) -> None:
    value = " ".join(value.split())
    if not value:
        raise QueryError(f"filter {name}: has an empty value")
    if name == "author":
        filters.authors.append(value)
    elif name == "cat":
        filters.categories.append(value)
    elif name == "org":
        filters.organizations.append(value)
    elif name == "kw":
        key = topic_key(value)
        if not key:
            raise QueryError(f'kw:{value} has no words: use kw:"a keyphrase"')
        filters.keyphrases.append(key)
    elif name == "has":
        if value.lower() not in _HAS_VALUES:
            raise QueryError(f"has:{value} is not known: use has:code")
        filters.has_code = True
    else:
        _apply_date(filters, name, value)


def _apply_date(filters: Filters, name: str, value: str) -> None:
    first, last = _date_span(name, value)
    if name in ("year", "from"):
        filters.date_from = max(filters.date_from or first, first)
    if name in ("year", "to"):
        filters.date_to = min(filters.date_to or last, last)


def _date_span(name: str, value: str) -> tuple[date, date]:
    """The first and last day that ``value`` (YYYY, YYYY-MM or YYYY-MM-DD) covers."""
    match = _DATE.fullmatch(value)
    if not match or (name == "year" and match.group(2)):
        shape = "YYYY" if name == "year" else "YYYY, YYYY-MM or YYYY-MM-DD"
        raise QueryError(f"{name}:{value} is not a date: use {shape}")
    year_text, month_text, day_text = match.groups()
    year = int(year_text)
    try:
        if month_text is None:
            return date(year, 1, 1), date(year, 12, 31)
        month = int(month_text)
        if day_text is None:
            return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])
        day = date(year, month, int(day_text))
    except ValueError as exc:
        raise QueryError(f"{name}:{value} is not a valid date ({exc})") from exc
    return day, day
