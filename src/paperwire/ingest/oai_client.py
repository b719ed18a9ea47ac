"""The arXiv OAI-PMH client: ``ListRecords`` one page at a time.

The first request names the metadata format (``arXiv`` or ``arXivRaw``), the
set and the date range; each following one names only the resumption token
the previous page ended with. An empty token ends the list. OAI-PMH reports
errors in the body of an HTTP 200: "noRecordsMatch" is an empty result, any
other code (an expired token, a bad argument) is an ``OaiError``.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import date
from xml.etree.ElementTree import Element

from paperwire.config import Settings
from paperwire.ingest.formats.oai import record_to_paper, resumption_token
from paperwire.ingest.http import Fetcher, options_from_settings
from paperwire.ingest.ratelimit import ARXIV_LIMITER
from paperwire.ingest.records import RECORD_ERRORS, Record, Rejection
from paperwire.ingest.xml import XmlError, iter_elements, local
from paperwire.model import Paper

__all__ = ["PREFIXES", "OaiClient", "OaiError", "OaiPage", "OaiTruncated", "parse_oai_page"]

PREFIXES = ("arXiv", "arXivRaw")


class OaiError(ValueError):
    """The repository answered with an OAI-PMH error; ``code`` is its code."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(f"OAI-PMH error {code}: {message}")
        self.code = code


class OaiTruncated(ValueError):
    """A page broke off mid-way; ``partial`` holds the records read before the break."""

    def __init__(self, message: str, partial: OaiPage) -> None:
        super().__init__(message)
        self.partial = partial


@dataclass
class OaiPage:
    records: list[Record] = field(default_factory=list)  # papers, deletions, rejections
    token: str | None = None  # None: this was the last page
    complete_size: int | None = None  # the size of the whole list, where given

    @property
    def papers(self) -> int:
        return sum(1 for r in self.records if isinstance(r, Paper))


class OaiClient:
    def __init__(self, fetcher: Fetcher, base_url: str) -> None:
        self.fetcher = fetcher
        self.base_url = base_url

    @classmethod
    def from_settings(cls, settings: Settings) -> OaiClient:
        fetcher = Fetcher(
            [settings.arxiv_oai_url],
            options_from_settings(settings),
            limiter=ARXIV_LIMITER,
            interval=settings.arxiv_interval,
        )
        return cls(fetcher, settings.arxiv_oai_url)

    def __enter__(self) -> OaiClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.fetcher.close()

    def list_records(
        self,
        *,
        prefix: str = "arXiv",
        set_spec: str | None = None,
        from_day: date | None = None,
        until: date | None = None,
        token: str | None = None,
    ) -> OaiPage:
        """The first page of a list, or the page ``token`` points to."""
        if token:
            params: dict[str, str | int] = {"verb": "ListRecords", "resumptionToken": token}
        else:
            if prefix not in PREFIXES:
                raise ValueError(f"metadata prefix must be one of {PREFIXES}, not {prefix!r}")
            params = {"verb": "ListRecords", "metadataPrefix": prefix}
            if set_spec:
                params["set"] = set_spec
            if from_day:
                params["from"] = from_day.isoformat()
            if until:
                params["until"] = until.isoformat()
        response = self.fetcher.get(self.base_url, params)
        where = f"OAI-PMH ({response.url})"
        if response.status != 200:
            raise OaiError(f"HTTP {response.status}", f"{where}: {response.text()[:200].strip()!r}")
        return parse_oai_page(response.body, where)


def parse_oai_page(body: bytes, where: str) -> OaiPage:
    page = OaiPage()
    number = 0
    try:
        for element in iter_elements(io.BytesIO(body), {"record", "error", "resumptionToken"}):
            name = local(element.tag)
            if name == "error":
                code = element.get("code") or "unknown"
                if code != "noRecordsMatch":
                    raise OaiError(code, (element.text or "").strip())
            elif name == "resumptionToken":
                page.token = resumption_token(element)
                size = element.get("completeListSize") or ""
                page.complete_size = int(size) if size.isdigit() else None
            else:
                number += 1
                _read_record(element, page, f"{where}: record {number}")
    except XmlError as exc:
        good = sum(1 for r in page.records if not isinstance(r, Rejection))
        raise OaiTruncated(f"{where}: {exc}; {good} records read before it", page) from None
    return page


def _read_record(element: Element, page: OaiPage, where: str) -> None:
    try:
        page.records.append(record_to_paper(element))
    except RECORD_ERRORS as exc:
        page.records.append(Rejection(where, str(exc)))
