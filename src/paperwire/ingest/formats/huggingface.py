"""Hugging Face daily papers: the ``/api/daily_papers`` JSON as the API returns it,
and the normalised JSONL with one item per line.

Both give the community facts (upvotes, comments, GitHub stars, organisation,
the day the paper entered the daily feed) that arXiv does not have.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any, BinaryIO

from paperwire.ingest.formats.jsonlines import iter_json_lines
from paperwire.ingest.records import (
    RECORD_ERRORS,
    BadRecord,
    Rejection,
    arxiv_paper,
    author,
    parse_day,
    require_encodable,
)
from paperwire.model import Paper

__all__ = ["api_item_to_paper", "normalized_to_paper", "parse_hf_api", "parse_hf_normalized"]


def parse_hf_api(stream: BinaryIO, name: str) -> Iterator[Paper | Rejection]:
    try:
        items = json.load(stream)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        yield Rejection(name, f"malformed JSON: {exc}")
        return
    except RecursionError:
        yield Rejection(name, "JSON nested too deeply")
        return
    if not isinstance(items, list):
        yield Rejection(name, "expected a JSON list of daily papers")
        return
    for number, item in enumerate(items, start=1):
        try:
            require_encodable(item)
            yield api_item_to_paper(item)
        except RECORD_ERRORS as exc:
            yield Rejection(f"{name}: item {number}", str(exc))


def api_item_to_paper(item: dict[str, Any]) -> Paper:
    if not isinstance(item, dict) or not isinstance(item.get("paper"), dict):
        raise BadRecord("item has no 'paper' object")
    paper = item["paper"]
    listed = paper.get("submittedOnDailyAt") or item.get("publishedAt")
    return arxiv_paper(
        paper.get("id"),
        item.get("title") or paper.get("title"),
        abstract=paper.get("summary") or item.get("summary"),
        authors=[author(a.get("name")) for a in paper.get("authors") or [] if isinstance(a, dict)],
        source="hf",
        github=paper.get("githubRepo"),
        project_page=paper.get("projectPage"),
        published=parse_day(paper.get("publishedAt")),
        listed_on=parse_day(listed),
        upvotes=_count(paper.get("upvotes")),
        github_stars=_count(paper.get("githubStars")),
        num_comments=_count(item.get("numComments")),
        organization=_organization(paper.get("organization") or item.get("organization")),
        submitted_by=_submitter(paper.get("submittedOnDailyBy") or item.get("submittedBy")),
        keywords=[str(k) for k in paper.get("ai_keywords") or []],
        ai_summary=_text(paper.get("ai_summary")),
    )


def _text(value: object) -> str | None:
    return value if isinstance(value, str) else None


def parse_hf_normalized(stream: BinaryIO, name: str) -> Iterator[Paper | Rejection]:
    yield from iter_json_lines(stream, name, normalized_to_paper)


def normalized_to_paper(row: dict[str, Any]) -> Paper:
    return arxiv_paper(
        row.get("arxiv_id"),
        row.get("title"),
        abstract=row.get("summary"),
        authors=[author(str(a)) for a in row.get("authors") or []],
        source="hf",
        github=row.get("github_repo"),
        project_page=row.get("project_page"),
        published=parse_day(row.get("published_at")),
        listed_on=parse_day(row.get("submitted_on_daily_at") or row.get("daily_date")),
        upvotes=_count(row.get("upvotes")),
        github_stars=_count(row.get("github_stars")),
        num_comments=_count(row.get("num_comments")),
        organization=_organization(row.get("organization")),
        keywords=[str(k) for k in row.get("ai_keywords") or []],
    )


def _count(value: Any) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise BadRecord(f"expected a count, got {str(value)[:20]!r}")
    return value


def _organization(value: Any) -> str | None:
    """The organisation's display name (``fullname``); ``arxiv_paper`` makes it canonical."""
    if isinstance(value, dict):
        value = value.get("fullname") or value.get("name")
    return str(value).strip() or None if value else None


def _submitter(value: Any) -> str | None:
    if isinstance(value, dict):
        value = value.get("user") or value.get("name") or value.get("fullname")
    return str(value) if value else None
