"""Fetch one paper by arXiv id or URL through the arXiv API and store it.

Used by ``paperwire fetch`` and by the web's "submit a paper" form alike.
"""

from __future__ import annotations

from paperwire.config import Settings
from paperwire.ids import InvalidArxivId, parse_arxiv_id
from paperwire.ingest.arxiv_api import ArxivApiClient, ArxivApiError
from paperwire.model import Paper
from paperwire.store.base import PaperStore

# ArxivApiError and InvalidArxivId are re-exported for callers that catch them.
__all__ = ["ArxivApiError", "InvalidArxivId", "PaperNotFound", "fetch_paper"]


class PaperNotFound(LookupError):
    """arXiv has no paper with the requested id."""


def fetch_paper(store: PaperStore, id_or_url: str, settings: Settings) -> Paper:
    """Fetch the latest version of one paper, merge it into the store, return the stored paper.

    Raises InvalidArxivId for text that is no arXiv id or URL, PaperNotFound
    when arXiv does not know it, ArxivApiError or FetchError when asking fails.
    """
    paper_id = parse_arxiv_id(id_or_url).id
    with ArxivApiClient.from_settings(settings) as client:
        page = client.fetch([paper_id])
    found = next((p for p in page.papers if p.id == paper_id), None)
    if found is None:
        reasons = "; ".join(str(r) for r in page.rejections)
        raise PaperNotFound(
            f"arXiv has no paper {paper_id}" + (f" it can read ({reasons})" if reasons else "")
        )
    store.upsert_papers([found])
    return store.get_paper(paper_id) or found
