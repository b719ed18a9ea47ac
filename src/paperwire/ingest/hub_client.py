"""The Hugging Face Hub client: the models, datasets and Spaces whose cards cite a paper.

``GET {base}/api/models?filter=arxiv:{id}`` (and ``/api/datasets``,
``/api/spaces``), as the Hub's own paper pages ask
(https://huggingface.co/docs/hub/api): a JSON list of repositories, each with
its ``id``, ``likes`` and (models and datasets) ``downloads``; a long answer
continues at the URL of its ``Link: <...>; rel="next"`` header, which this
client follows, on the configured host only (the HTTP seam refuses any other),
up to ``max_pages``.
"""

from __future__ import annotations

import json
import re
from urllib.parse import urljoin

from paperwire.config import Settings
from paperwire.ingest.http import Fetcher, HttpResponse, options_from_settings
from paperwire.store.code_records import ARTIFACT_KINDS, Artifact

__all__ = ["HubClient", "HubError", "next_link"]

PAGE_SIZE = 100
_PATHS = {"model": "models", "dataset": "datasets", "space": "spaces"}
_NEXT = re.compile(r'<([^>]+)>\s*;\s*rel="?next"?', re.IGNORECASE)


class HubError(ValueError):
    """The Hub answered something that is not a list of repositories; the message says where."""


def next_link(response: HttpResponse) -> str | None:
    """The ``rel="next"`` URL of a response's Link header (RFC 8288), made absolute."""
    match = _NEXT.search(response.headers.get("link", ""))
    return urljoin(response.url, match.group(1)) if match else None


class HubClient:
    def __init__(self, fetcher: Fetcher, base_url: str, *, max_pages: int = 20) -> None:
        self.fetcher = fetcher
        self.base_url = base_url.rstrip("/")
        self.max_pages = max_pages
        self.requests = 0

    @classmethod
    def from_settings(cls, settings: Settings) -> HubClient:
        """The client of ``settings.hub_api_url``; ValueError when the Hub is switched off."""
        if not settings.hub_api_url:
            raise ValueError("the Hub is switched off (PAPERWIRE_HUB_API_URL is empty)")
        fetcher = Fetcher([settings.hub_api_url], options_from_settings(settings))
        return cls(fetcher, settings.hub_api_url)

    def __enter__(self) -> HubClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.fetcher.close()

    def citing(self, paper_id: str) -> list[Artifact]:
        """Every model, dataset and Space citing arXiv paper ``paper_id``, all kinds together.

        Raises ``HubError`` for an answer that is not a list of repositories (the
        whole paper's answer is then refused), ``FetchError`` from the seam.
        """
        found: list[Artifact] = []
        for kind in ARTIFACT_KINDS:
            found.extend(self.citing_of_kind(paper_id, kind))
        return found

    def citing_of_kind(self, paper_id: str, kind: str) -> list[Artifact]:
        """The repositories of one kind ("model", "dataset" or "space") citing the paper."""
        url: str | None = f"{self.base_url}/api/{_PATHS[kind]}"
        params: dict[str, str | int] | None = {"filter": f"arxiv:{paper_id}", "limit": PAGE_SIZE}
        found: list[Artifact] = []
        for _ in range(self.max_pages):
            if url is None:
                break
            response = self.fetcher.get(url, params)
            self.requests += 1
            if response.status != 200:
                raise HubError(f"{response.url} answered HTTP {response.status}")
            found.extend(_artifacts(kind, response))
            url, params = next_link(response), None
        return found


def _artifacts(kind: str, response: HttpResponse) -> list[Artifact]:
    try:
        data = json.loads(response.body)
    except ValueError as exc:
        raise HubError(f"{response.url}: the answer is not JSON ({exc}): refused") from None
    if not isinstance(data, list):
        raise HubError(f"{response.url}: the answer is not a list of repositories: refused")
    found = []
    for number, item in enumerate(data):
        if not isinstance(item, dict) or not isinstance(item.get("id"), str):
            raise HubError(f"{response.url}: item {number} has no repository id: refused")
        found.append(
            Artifact(kind, item["id"], _count(item.get("likes")), _count(item.get("downloads")))
        )
    return found


def _count(value: object) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) and value > 0 else 0
