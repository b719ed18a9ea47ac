"""arXiv OAI-PMH responses, in the ``arXiv`` and ``arXivRaw`` metadata formats.

``arXiv`` gives structured authors and created/updated dates but no version
number; ``arXivRaw`` gives the version history with dates, sizes and source
types, and the author list as one string. A record whose header has
``status="deleted"`` carries only its identifier and datestamp (OAI-PMH 2.0,
section 2.5.1) and becomes a ``Deletion``; an OAI error other than
"noRecordsMatch" becomes a rejection.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import BinaryIO, TypedDict
from xml.etree.ElementTree import Element

from paperwire.ids import InvalidArxivId, parse_arxiv_id
from paperwire.ingest.authors import parse_authors
from paperwire.ingest.records import (
    RECORD_ERRORS,
    BadRecord,
    Deletion,
    Record,
    Rejection,
    arxiv_paper,
    author,
    first_doi,
    parse_day,
    parse_rfc2822_day,
)
from paperwire.ingest.withdrawal import is_withdrawn_source
from paperwire.ingest.xml import child_text, children, iter_elements, local
from paperwire.model import Author, Paper, Version

__all__ = ["parse_oai", "resumption_token"]

_OAI_ID_PREFIX = "oai:arXiv.org:"


def parse_oai(stream: BinaryIO, name: str) -> Iterator[Record]:
    number = 0
    for element in iter_elements(stream, {"record", "error"}):
        if local(element.tag) == "error":
            if element.get("code") != "noRecordsMatch":
                message = (element.text or "").strip()
                yield Rejection(name, f"OAI-PMH error {element.get('code')}: {message}")
            continue
        number += 1
        try:
            yield record_to_paper(element)
        except RECORD_ERRORS as exc:
            yield Rejection(f"{name}: record {number}", str(exc))


def resumption_token(element: Element) -> str | None:
    """The token of a ``resumptionToken`` element; empty means the list is complete."""
    return (element.text or "").strip() or None


def record_to_paper(record: Element) -> Paper | Deletion:
    """The paper of one ``<record>``, or its deletion; raises BadRecord saying what is wrong."""
    header = next((c for c in record if local(c.tag) == "header"), None)
    if header is not None and header.get("status") == "deleted":
        return _deletion(header)
    metadata = next((c for c in record if local(c.tag) == "metadata"), None)
    body = next(iter(metadata), None) if metadata is not None else None
    if body is None:
        raise BadRecord("record has no metadata")
    if local(body.tag) == "arXivRaw":
        return _raw_to_paper(body)
    if local(body.tag) == "arXiv":
        return _arxiv_to_paper(body)
    raise BadRecord(f"unsupported metadata format {local(body.tag)!r}")


def _deletion(header: Element) -> Deletion:
    identifier = (child_text(header, "identifier") or "").strip()
    if not identifier.startswith(_OAI_ID_PREFIX):
        raise BadRecord(f"deleted record has no arXiv identifier ({identifier[:60]!r})")
    try:
        paper_id = parse_arxiv_id(identifier.removeprefix(_OAI_ID_PREFIX)).id
    except InvalidArxivId as exc:
        raise BadRecord(f"deleted record: {exc}") from None
    day = parse_day(child_text(header, "datestamp"))
    if day is None:
        raise BadRecord(f"deleted record {paper_id} has no datestamp")
    return Deletion(paper_id, day)


class _Common(TypedDict):
    categories: list[str]
    primary_category: str | None
    comment: str | None
    journal_ref: str | None
    doi: str | None


def _common(body: Element) -> _Common:
    categories = (child_text(body, "categories") or "").split()
    return {
        "categories": list(dict.fromkeys(categories)),
        "primary_category": categories[0] if categories else None,
        "comment": child_text(body, "comments"),
        "journal_ref": child_text(body, "journal-ref") or None,
        "doi": first_doi(child_text(body, "doi")),
    }


def _arxiv_to_paper(body: Element) -> Paper:
    authors_element = next((c for c in body if local(c.tag) == "authors"), None)
    authors = [
        _structured_author(a)
        for a in (children(authors_element, "author") if authors_element is not None else [])
    ]
    return arxiv_paper(
        child_text(body, "id"),
        child_text(body, "title"),
        abstract=child_text(body, "abstract"),
        authors=authors,
        source="arxiv",
        published=parse_day(child_text(body, "created")),
        updated=parse_day(child_text(body, "updated") or child_text(body, "created")),
        **_common(body),
    )


def _structured_author(element: Element) -> Author:
    parts = [
        child_text(element, "forenames"),
        child_text(element, "keyname"),
        child_text(element, "suffix"),
    ]
    # arXiv's schema repeats <affiliation> for an author with several.
    affiliations = ("".join(a.itertext()) for a in children(element, "affiliation"))
    return author(" ".join(p.strip() for p in parts if p and p.strip()), affiliations)


def _raw_to_paper(body: Element) -> Paper:
    elements = {
        int((v.get("version") or "v0").lstrip("v") or 0): v for v in children(body, "version")
    }
    numbers = sorted(n for n in elements if n >= 1)
    history = [Version(n, parse_rfc2822_day(child_text(elements[n], "date"))) for n in numbers]
    latest = elements[numbers[-1]] if numbers else None
    return arxiv_paper(
        child_text(body, "id"),
        child_text(body, "title"),
        abstract=child_text(body, "abstract"),
        authors=parse_authors(child_text(body, "authors")),
        source="arxiv",
        versions=history,
        version=history[-1].number if history else None,
        published=history[0].date if history else None,
        updated=history[-1].date if history else None,
        withdrawn=latest is not None
        and is_withdrawn_source(child_text(latest, "size"), child_text(latest, "source_type")),
        **_common(body),
    )
