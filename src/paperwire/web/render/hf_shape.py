"""Papers in the JSON shapes of Hugging Face's API, so its clients read ours unchanged.

``paper_json`` is the object of ``/api/papers/{id}`` (and the ``paper`` of a
daily item); ``daily_item`` is one element of ``/api/daily_papers``. Times
are ISO 8601 in UTC with milliseconds, as Hugging Face writes them; we keep
days only, so the time is midnight. ``upvotes`` is the count shown on our
pages: the imported count plus votes cast here. ``submittedOnDailyAt`` is the
day the paper was in the daily list asked for (Hugging Face features a paper
again on later days, and each day's answer gives that day), elsewhere the first
day it was listed. Beyond Hugging Face's fields, ``dailyDates`` lists every
such day; ``ai_summary`` is Hugging Face's where they gave one, else the one
paperwire made from the abstract (``listed.summary``, read by the caller), and
``ai_summary_source`` says whose ("huggingface", "paperwire"; null with none);
a paper says whether it is ``withdrawn`` (its latest arXiv
version withdraws it) and ``deleted`` (arXiv deleted the record; ``deletedAt``
says when).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from paperwire.model import Paper
from paperwire.organizations import organization_slug
from paperwire.store.code_records import Artifact, PaperArtifacts
from paperwire.store.records import ListedPaper

__all__ = ["daily_item", "linked_artifacts", "paper_json", "timestamp"]


def timestamp(day: date | None) -> str | None:
    return f"{day.isoformat()}T00:00:00.000Z" if day else None


def _organization(paper: Paper) -> dict[str, str] | None:
    if not paper.organization:
        return None
    return {"name": organization_slug(paper.organization), "fullname": paper.organization}


def paper_json(listed: ListedPaper) -> dict[str, Any]:
    paper = listed.paper
    line = listed.summary_line
    data: dict[str, Any] = {
        "id": paper.id,
        "authors": [{"name": a.name} for a in paper.authors],
        "publishedAt": timestamp(paper.published or paper.listed_on),
        "submittedOnDailyAt": timestamp(listed.day or paper.listed_on),
        "title": paper.title,
        "summary": paper.abstract,
        "upvotes": listed.upvotes,
        "githubRepo": paper.github_repos[0] if paper.github_repos else None,
        "githubStars": paper.github_stars,
        "projectPage": paper.project_pages[0] if paper.project_pages else None,
        "ai_keywords": list(paper.keywords),
        "ai_summary": line.text if line else None,
        "ai_summary_source": line.source if line else None,
        "categories": list(paper.categories),
        "primaryCategory": paper.primary_category,
        "dailyDates": [day.isoformat() for day in paper.listing_days()],
        "withdrawn": paper.withdrawn,
        "deleted": paper.deleted,
        "deletedAt": timestamp(paper.deleted_on),
    }
    org = _organization(paper)
    if org:
        data["organization"] = org
    if paper.submitted_by:
        data["submittedOnDailyBy"] = {"user": paper.submitted_by, "fullname": paper.submitted_by}
    return data


def daily_item(listed: ListedPaper, local_comments: int = 0) -> dict[str, Any]:
    """One daily item; ``numComments`` is the imported count plus the comments posted here."""
    paper = listed.paper
    item: dict[str, Any] = {
        "paper": paper_json(listed),
        # At the top level Hugging Face means when the paper entered the daily list.
        "publishedAt": timestamp(listed.day or paper.listed_on or paper.published),
        "title": paper.title,
        "summary": paper.abstract,
        "numComments": (paper.num_comments or 0) + local_comments,
        "organization": _organization(paper),
    }
    if paper.submitted_by:
        item["submittedBy"] = {"name": paper.submitted_by, "fullname": paper.submitted_by}
    return item


def linked_artifacts(found: PaperArtifacts) -> dict[str, Any]:
    """The Hub repositories citing a paper as Hugging Face's paper object carries them:
    ``linkedModels``, ``linkedDatasets``, ``linkedSpaces`` (the most liked of each) and
    ``numTotalModels``, ``numTotalDatasets``, ``numTotalSpaces`` (every one stored).

    Each repository is an item of the Hub's own lists (``GET /api/models``,
    ``/api/datasets``, ``/api/spaces``), as huggingface.js types them
    (packages/hub/src/types/api/api-model.ts ``ApiModelInfo``, api-space.ts
    ``ApiSpaceInfo``; the fields a list gives by default in lib/list-models.ts,
    list-datasets.ts, list-spaces.ts): ``id`` ("owner/name"), ``author`` (the owner;
    left out, as the Hub leaves it out, for a model or dataset named without one),
    ``likes``, ``downloads`` (models and datasets: a Space has none) and ``private``
    (always false: an anonymous Hub query lists public repositories only). Beyond
    those, ``repoType`` ("model", "dataset", "space") says which list an item is of.
    Fields paperwire does not store (``_id``, ``lastModified``, ``gated``,
    ``pipeline_tag``, ``sdk``) are left out rather than guessed.
    """
    return {
        "linkedModels": [_repository(a) for a in found.shown.get("model", [])],
        "numTotalModels": found.totals.get("model", 0),
        "linkedDatasets": [_repository(a) for a in found.shown.get("dataset", [])],
        "numTotalDatasets": found.totals.get("dataset", 0),
        "linkedSpaces": [_repository(a) for a in found.shown.get("space", [])],
        "numTotalSpaces": found.totals.get("space", 0),
    }


def _repository(artifact: Artifact) -> dict[str, Any]:
    owner, slash, _ = artifact.artifact_id.partition("/")
    data: dict[str, Any] = {"id": artifact.artifact_id}
    if slash:
        data["author"] = owner
    data["likes"] = artifact.likes
    if artifact.kind != "space":
        data["downloads"] = artifact.downloads
    data["private"] = False
    data["repoType"] = artifact.kind
    return data
