"""The arXiv API client: ``search_query`` and ``id_list`` queries, paged.

arXiv reports some errors inside an answer that looks fine: an Atom feed
whose one entry is titled "Error" (with HTTP 200 or 400), or the plain body
"Rate exceeded." Both become an ``ArxivApiError`` here, never papers. The
API also returns an empty page now and then in the middle of a result set;
such a page is asked for again before the search gives up.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from xml.etree.ElementTree import Element

from paperwire.config import Settings
from paperwire.ingest.formats.atom import ArxivApiError, entry_to_paper
from paperwire.ingest.http import Fetcher, HttpResponse, options_from_settings
from paperwire.ingest.ratelimit import ARXIV_LIMITER
from paperwire.ingest.records import RECORD_ERRORS, Rejection
from paperwire.ingest.xml import XmlError, child_text, iter_elements, local
from paperwire.model import Paper

__all__ = [
    "ApiPage",
    "ArxivApiClient",
    "ArxivApiError",
    "ArxivRateExceeded",
    "ArxivTruncated",
    "parse_api_page",
]

SORT_BY = ("relevance", "lastUpdatedDate", "submittedDate")
SORT_ORDER = ("ascending", "descending")
MAX_PAGE = 2000  # arXiv refuses larger slices
ID_PAGE = 100
EMPTY_PAGE_RETRIES = 2


class ArxivRateExceeded(ArxivApiError):
    """arXiv answered "Rate exceeded.": too many requests from this address."""


class ArxivTruncated(ArxivApiError):
    """The feed broke off mid-way; ``partial`` holds what was read before the break."""

    def __init__(self, message: str, partial: ApiPage) -> None:
        super().__init__(message)
        self.partial = partial


@dataclass
class ApiPage:
    papers: list[Paper] = field(default_factory=list)
    rejections: list[Rejection] = field(default_factory=list)
    submitted: dict[str, datetime] = field(default_factory=dict)  # v1 time, by paper id
    total: int = 0
    start: int = 0


class ArxivApiClient:
    def __init__(self, fetcher: Fetcher, base_url: str) -> None:
        self.fetcher = fetcher
        self.base_url = base_url

    @classmethod
    def from_settings(cls, settings: Settings) -> ArxivApiClient:
        fetcher = Fetcher(
            [settings.arxiv_api_url],
            options_from_settings(settings),
            limiter=ARXIV_LIMITER,
            interval=settings.arxiv_interval,
        )
        return cls(fetcher, settings.arxiv_api_url)

    def __enter__(self) -> ArxivApiClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.fetcher.close()

    def query(
        self,
        *,
        search_query: str = "",
        id_list: Iterable[str] = (),
        start: int = 0,
        max_results: int = 100,
        sort_by: str = "relevance",
        sort_order: str = "descending",
    ) -> ApiPage:
        """One page of results; raises ArxivApiError for any error arXiv reports."""
        if sort_by not in SORT_BY or sort_order not in SORT_ORDER:
            raise ValueError(f"sort must be one of {SORT_BY} and {SORT_ORDER}")
        if not 0 < max_results <= MAX_PAGE or start < 0:
            raise ValueError(f"max_results must be 1..{MAX_PAGE} and start >= 0")
        params: dict[str, str | int] = {
            "search_query": search_query,
            "id_list": ",".join(id_list),
            "sortBy": sort_by,
            "sortOrder": sort_order,
            "start": start,
            "max_results": max_results,
        }
        response = self.fetcher.get(self.base_url, params)
        return _page_from_response(response)

    def search(
        self,
        search_query: str,
        *,
        page_size: int = 100,
        sort_by: str = "submittedDate",
        sort_order: str = "descending",
        limit: int | None = None,
    ) -> Iterator[ApiPage]:
        """Every page of a search, ``page_size`` results at a time, up to ``limit`` results."""
        start = 0
        retries = EMPTY_PAGE_RETRIES
        while limit is None or start < limit:
            size = page_size if limit is None else min(page_size, limit - start)
            page = self.query(
                search_query=search_query,
                start=start,
                max_results=size,
                sort_by=sort_by,
                sort_order=sort_order,
            )
            read = len(page.papers) + len(page.rejections)
            if not read and start < page.total:
                if retries == 0:
                    raise ArxivApiError(
                        f"arXiv kept returning an empty page at {start} of {page.total} "
                        "results: try again later"
                    )
                retries -= 1
                continue
            yield page
            start += read
            retries = EMPTY_PAGE_RETRIES
            if not read or start >= page.total:
                return

    def fetch(self, ids: Iterable[str]) -> ApiPage:
        """The papers with these ids (at most ``MAX_PAGE``); unknown ids are left out."""
        wanted = list(ids)
        if len(wanted) > MAX_PAGE:
            raise ValueError(f"ask for at most {MAX_PAGE} ids at a time")
        return self.query(id_list=wanted, max_results=max(ID_PAGE, len(wanted)))


def _page_from_response(response: HttpResponse) -> ApiPage:
    where = f"arXiv API ({response.url})"
    if response.body.strip().startswith(b"Rate exceeded"):
        raise ArxivRateExceeded(
            "arXiv answered 'Rate exceeded.': too many requests from this address; wait a "
            "few minutes, and keep PAPERWIRE_ARXIV_INTERVAL at 3 seconds or more"
        )
    looks_like_xml = response.body.lstrip()[:1] == b"<"
    if response.status == 200 or (400 <= response.status < 500 and looks_like_xml):
        page = parse_api_page(response.body, where)
        if response.status == 200:
            return page
    raise ArxivApiError(
        f"{where} answered HTTP {response.status}: {response.text()[:200].strip()!r}"
    )


def parse_api_page(body: bytes, where: str) -> ApiPage:
    """Read one API feed; raise ArxivApiError for an error entry or a broken feed."""
    page = ApiPage()
    try:
        for element in iter_elements(io.BytesIO(body), {"entry", "totalResults", "startIndex"}):
            name = local(element.tag)
            if name == "entry":
                _read_entry(element, page, where)
            elif name == "totalResults":
                page.total = _integer(element.text)
            else:
                page.start = _integer(element.text)
    except XmlError as exc:
        raise ArxivTruncated(
            f"{where}: {exc}; {len(page.papers)} entries read before it", page
        ) from None
    return page


def _read_entry(entry: Element, page: ApiPage, where: str) -> None:
    entry_id = child_text(entry, "id") or ""
    if "/api/errors" in entry_id or (child_text(entry, "title") or "").strip() == "Error":
        message = (child_text(entry, "summary") or "unknown error").strip()
        raise ArxivApiError(f"arXiv API error: {message}")
    try:
        paper = entry_to_paper(entry)
        published = child_text(entry, "published")
        if published:
            page.submitted[paper.id] = datetime.fromisoformat(published.strip())
    except RECORD_ERRORS as exc:
        number = len(page.papers) + len(page.rejections) + 1
        page.rejections.append(Rejection(f"{where}: entry {number}", str(exc)))
        return
    page.papers.append(paper)


def _integer(text: str | None) -> int:
    try:
        return int((text or "0").strip())
    except ValueError:
        return 0
