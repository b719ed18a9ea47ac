"""What a parser yields: a ``Paper``, a ``Deletion`` of a paper arXiv deleted, or a
``Rejection`` that says where and why.

Also the one place where raw field values become a clean ``Paper``: the id is
parsed and checked, text is normalised, links are extracted, dates are read,
an organisation gets its canonical name (``paperwire.organizations``).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from email.utils import parsedate_to_datetime
from typing import TypedDict, Unpack

from paperwire.ids import parse_arxiv_id
from paperwire.ingest.links import extract_links, normalize_github
from paperwire.ingest.tex import tex_to_unicode
from paperwire.ingest.text import clean_line, clean_paragraphs
from paperwire.ingest.withdrawal import is_withdrawal_notice
from paperwire.model import Author, Paper, Version, unique_links
from paperwire.organizations import canonical_organization

__all__ = [
    "RECORD_ERRORS",
    "BadRecord",
    "Deletion",
    "PaperFields",
    "Record",
    "Rejection",
    "arxiv_paper",
    "author",
    "first_doi",
    "parse_day",
    "parse_rfc2822_day",
    "require_encodable",
    "unicode_author",
]


class BadRecord(ValueError):
    """A record that cannot become a paper; the message says why."""


# What a malformed record can raise while being read: each becomes a rejection
# of that record alone, never the end of the import.
RECORD_ERRORS = (ValueError, TypeError, KeyError, AttributeError)


@dataclass(frozen=True, slots=True)
class Rejection:
    where: str
    reason: str

    def __str__(self) -> str:
        return f"{self.where}: {self.reason}"


@dataclass(frozen=True, slots=True)
class Deletion:
    """arXiv deleted the record of ``paper_id`` on ``day``: an OAI-PMH header with
    ``status="deleted"`` and that datestamp (OAI-PMH 2.0, section 2.5.1; arXiv keeps
    deletions persistently). The importer marks a stored paper deleted and keeps it."""

    paper_id: str
    day: date


Record = Paper | Deletion | Rejection


class _OtherFields(TypedDict, total=False):
    """The fields of ``Paper`` that ``arxiv_paper`` passes on as they come."""

    categories: list[str]
    primary_category: str | None
    published: date | None
    updated: date | None
    journal_ref: str | None
    doi: str | None
    organization: str | None
    keywords: list[str]
    listed_on: date | None
    upvotes: int | None
    github_stars: int | None
    num_comments: int | None
    submitted_by: str | None


class PaperFields(_OtherFields, total=False):
    """The optional fields ``arxiv_paper`` takes by name beyond its own parameters."""

    version: int | None  # the id's own version (2401.00001v2) wins over this one
    comment: str | None  # cleaned, searched for links and for a withdrawal notice
    ai_summary: str | None  # cleaned
    withdrawn: bool  # known withdrawn from elsewhere (arXivRaw's version size)


def arxiv_paper(
    raw_id: str | None,
    title: str | None,
    *,
    abstract: str | None = None,
    authors: list[Author] | None = None,
    source: str,
    github: str | None = None,
    project_page: str | None = None,
    versions: list[Version] | None = None,
    **fields: Unpack[PaperFields],
) -> Paper:
    """A clean Paper from raw values; raises BadRecord when the id or title is unusable.

    The paper is withdrawn when ``withdrawn`` says so or its comment is a
    withdrawal notice (``withdrawal.is_withdrawal_notice``).
    """
    if not raw_id:
        raise BadRecord("no arXiv id")
    try:
        parsed = parse_arxiv_id(raw_id)
    except ValueError as exc:
        raise BadRecord(str(exc)) from None
    clean_title = clean_line(tex_to_unicode(title or ""))
    if not clean_title:
        raise BadRecord(f"paper {parsed.id} has no title")
    version = parsed.version or fields.pop("version", None)
    fields.pop("version", None)
    clean_abstract = clean_paragraphs(abstract, tex_to_unicode)
    comment = clean_line(tex_to_unicode(fields.pop("comment", None) or "")) or None
    ai_summary = clean_line(fields.pop("ai_summary", None)) or None
    withdrawn = bool(fields.pop("withdrawn", False)) or is_withdrawal_notice(comment)
    others: _OtherFields = fields  # the fields of PaperFields are taken out above
    if "organization" in others:
        # One organisation, one stored name: spacing tidied, aliases resolved.
        others["organization"] = canonical_organization(others["organization"])
    repos, pages = extract_links(clean_abstract, comment)
    named_repo = normalize_github(github)
    if named_repo:
        repos = unique_links([named_repo], repos)
    if project_page and project_page.strip():
        pages = unique_links([project_page.strip()], pages)
    return Paper(
        id=parsed.id,
        version=version,
        title=clean_title,
        abstract=clean_abstract,
        authors=[a for a in map(unicode_author, authors or []) if _is_name(a.name)],
        comment=comment,
        ai_summary=ai_summary,
        github_repos=repos,
        project_pages=pages,
        versions=versions or [],
        source=source,
        withdrawn=withdrawn,
        **others,
    )


def _is_name(text: str) -> bool:
    # A separator left alone by arXiv's own author splitting (the ":" after a
    # collaboration in "NVIDIA: A. Author, ...") is no author.
    return any(c.isalnum() for c in text)


def require_encodable(value: object) -> None:
    """Raise BadRecord if ``value`` holds text UTF-8 cannot store (an unpaired surrogate).

    JSON can spell one (``"\\ud800"``) and Python decodes it, but the store would
    fail on it at write time, taking the good records of its batch down too.
    """
    try:
        json.dumps(value, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError as exc:
        raise BadRecord(f"text with an unpaired surrogate ({exc.object[exc.start]!r})") from None


def parse_day(value: str | None) -> date | None:
    """The calendar day of an ISO date or timestamp ('2024-05-24T17:34:15.000Z')."""
    if not value:
        return None
    try:
        return datetime.fromisoformat(value.strip().replace("Z", "+00:00")).date()
    except ValueError:
        try:
            return date.fromisoformat(value.strip()[:10])
        except ValueError:
            raise BadRecord(f"unreadable date {value[:40]!r}") from None


def parse_rfc2822_day(value: str | None) -> date | None:
    """The day of an e-mail style date ('Mon, 2 Apr 2007 19:18:42 GMT'), as arXivRaw gives."""
    if not value:
        return None
    try:
        return parsedate_to_datetime(value.strip()).date()
    except (TypeError, ValueError):
        raise BadRecord(f"unreadable date {value[:40]!r}") from None


def first_doi(value: str | None) -> str | None:
    """The first DOI of a field that may list several ('10.1/a, 10.1/b;10.1/c')."""
    parts = re.split(r"[\s,;]+", (value or "").strip())
    return parts[0] or None


def unicode_author(raw: Author) -> Author:
    """``raw`` with its name and each affiliation in Unicode (TeX accents converted)
    and on one clean line; empty affiliations are dropped, repeated ones kept once."""
    name = clean_line(tex_to_unicode(raw.name))
    return Author(name, _distinct(clean_line(tex_to_unicode(a)) for a in raw.affiliations))


def author(name: str | None, affiliations: Iterable[str | None] = ()) -> Author:
    """An author from raw text: the name and each affiliation on one clean line,
    empty affiliations dropped, a repeated one kept once."""
    return Author(clean_line(name), _distinct(clean_line(a) for a in affiliations))


def _distinct(values: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(v for v in values if v))
