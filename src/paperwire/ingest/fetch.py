"""Fetch one paper by arXiv id or URL through the arXiv API and store it.

The one use case behind ``paperwire fetch`` and the web's "submit a paper"
form: the form passes the day to list the paper on, who submitted it and
the oldest first version it takes; every check runs before anything is
written, so a refusal leaves the store as it was.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from paperwire.config import Settings
from paperwire.ids import InvalidArxivId, parse_arxiv_id
from paperwire.ingest.arxiv_api import ArxivApiClient, ArxivApiError
from paperwire.model import Paper
from paperwire.store.base import PaperStore

# ArxivApiError and InvalidArxivId are re-exported for callers that catch them.
__all__ = [
    "AlreadyListed",
    "ArxivApiError",
    "InvalidArxivId",
    "PaperNotFound",
    "PaperTooOld",
    "fetch_paper",
]


class PaperNotFound(LookupError):
    """arXiv has no paper with the requested id."""


class AlreadyListed(ValueError):
    """The paper is already in a daily listing; listing it again would move it."""

    def __init__(self, paper_id: str, listed_on: date) -> None:
        super().__init__(f"{paper_id} is already listed, on {listed_on.isoformat()}.")
        self.listed_on = listed_on


class PaperTooOld(ValueError):
    """The paper's first version is older than the caller takes."""

    def __init__(self, paper_id: str, first: date | None, max_age_days: int) -> None:
        when = first.isoformat() if first else "an unknown date"
        super().__init__(
            f"{paper_id} was first published on {when}, more than {max_age_days} days ago: "
            "the daily feed takes only recent papers."
        )


def fetch_paper(
    store: PaperStore,
    id_or_url: str,
    settings: Settings,
    *,
    list_on: date | None = None,
    submitted_by: str | None = None,
    max_age_days: int | None = None,
) -> Paper:
    """Fetch the latest version of one paper, merge it into the store, return the stored paper.

    With ``list_on``, the paper joins that day's feed (``submitted_by`` names who
    asked) unless it is listed already; with ``max_age_days``, a paper whose
    first version is older than that, counted back from ``list_on`` (or today),
    is refused.

    Raises InvalidArxivId for text that is no arXiv id or URL, AlreadyListed,
    PaperNotFound when arXiv does not know it, PaperTooOld, and ArxivApiError
    or FetchError when asking fails. Nothing is written when it raises.
    """
    paper_id = parse_arxiv_id(id_or_url).id
    if list_on is not None:
        known = store.get_paper(paper_id)
        if known is not None and known.listed_on is not None:
            raise AlreadyListed(paper_id, known.listed_on)
    found = _ask_arxiv(paper_id, settings)
    if max_age_days is not None:
        first = found.published or (found.versions[0].date if found.versions else None)
        if first is None or ((list_on or date.today()) - first).days > max_age_days:
            raise PaperTooOld(paper_id, first, max_age_days)
    if list_on is not None:
        found = replace(found, listed_on=list_on, submitted_by=submitted_by)
    store.upsert_papers([found])
    return store.get_paper(paper_id) or found


def _ask_arxiv(paper_id: str, settings: Settings) -> Paper:
    with ArxivApiClient.from_settings(settings) as client:
        page = client.fetch([paper_id])
    found = next((p for p in page.papers if p.id == paper_id), None)
    if found is None:
        reasons = "; ".join(str(r) for r in page.rejections)
        raise PaperNotFound(
            f"arXiv has no paper {paper_id}" + (f" it can read ({reasons})" if reasons else "")
        )
    return found
