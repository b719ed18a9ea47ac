"""The GitHub client: one repository's stars from the REST API, politely.

``GET {base}/repos/{owner}/{repo}`` (https://docs.github.com/en/rest/repos/repos#get-a-repository)
through the one HTTP seam (``ingest/http.py``), so only the configured host is
contacted and a redirect to any other host is refused. The rules it follows
are GitHub's own:
- conditional requests: the stored ETag goes out as ``If-None-Match``; a 304 means
  unchanged and, with a token, does not count against the rate limit
  (https://docs.github.com/en/rest/using-the-rest-api/best-practices-for-using-the-rest-api);
- the rate limit: ``X-RateLimit-Remaining`` and ``X-RateLimit-Reset`` (epoch
  seconds) are read from every answer; at 0 remaining, or on a 403/429 that says
  the limit is spent, the client waits until the reset when that is within
  ``max_wait``, else raises ``RateLimited`` naming the time
  (https://docs.github.com/en/rest/using-the-rest-api/rate-limits-for-the-rest-api);
- a renamed repository answers 301 to its new location; the seam follows it
  on the same host and the answer's ``full_name`` is the new name
  (https://docs.github.com/en/rest/using-the-rest-api/troubleshooting-the-rest-api);
- 404 (and 410) is a repository that is gone.
Without a token GitHub allows 60 requests an hour, with one 5,000.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import urlsplit

from paperwire.config import Settings
from paperwire.ingest.http import Fetcher, FetchError, HttpResponse, options_from_settings

__all__ = [
    "GithubClient",
    "GithubError",
    "RateLimited",
    "RepoAnswer",
    "github_repo_name",
]

API_VERSION = "2022-11-28"
_NAME = re.compile(r"^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$")
_GITHUB_HOSTS = frozenset({"github.com", "www.github.com"})


class GithubError(ValueError):
    """GitHub answered something that is not a repository; the message says what and where."""


class RateLimited(FetchError):
    """The rate limit is spent until ``reset_at`` (epoch seconds), later than we may wait."""

    def __init__(self, message: str, reset_at: float) -> None:
        super().__init__(message)
        self.reset_at = reset_at


@dataclass(frozen=True, slots=True)
class RepoAnswer:
    """What one request said: ``status`` is "ok", "not_modified" (304: keep what is
    stored) or "gone" (404/410); ``full_name`` and ``stars`` only with "ok"."""

    status: str
    full_name: str | None = None
    stars: int | None = None
    etag: str | None = None


def github_repo_name(url: str) -> str | None:
    """ "owner/name" of a GitHub repository link (``https://github.com/owner/name``), else None."""
    parts = urlsplit(url)
    if (parts.hostname or "").lower() not in _GITHUB_HOSTS:
        return None
    segments = [s for s in parts.path.split("/") if s]
    if len(segments) < 2:
        return None
    name = f"{segments[0]}/{segments[1].removesuffix('.git')}"
    return name if _NAME.match(name) else None


class GithubClient:
    """Asks GitHub's REST API about repositories; see the module docstring for the rules."""

    def __init__(
        self,
        fetcher: Fetcher,
        base_url: str,
        token: str | None = None,
        *,
        max_wait: float = 60.0,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.fetcher = fetcher
        self.base_url = base_url.rstrip("/")
        self.token = token
        self.max_wait = max_wait
        self._sleep = sleep
        self._clock = clock
        self.remaining: int | None = None  # as the last answer said
        self.reset_at: float | None = None
        self.requests = 0

    @classmethod
    def from_settings(
        cls,
        settings: Settings,
        *,
        max_wait: float = 60.0,
        sleep: Callable[[float], None] = time.sleep,
    ) -> GithubClient:
        """A client of ``settings.github_api_url``; ValueError where GitHub is switched off."""
        if not settings.github_api_url:
            raise ValueError("GitHub is switched off (PAPERWIRE_GITHUB_API_URL is empty)")
        fetcher = Fetcher([settings.github_api_url], options_from_settings(settings))
        return cls(
            fetcher, settings.github_api_url, settings.github_token, max_wait=max_wait, sleep=sleep
        )

    def __enter__(self) -> GithubClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.fetcher.close()

    def repository(self, name: str, etag: str | None = None) -> RepoAnswer:
        """What GitHub says of "owner/name" now.

        Raises ``RateLimited`` when the limit is spent for longer than ``max_wait``,
        ``GithubError`` for an answer that is not a repository (malformed body, an
        unexpected status), ``FetchError`` (``HostNotAllowed`` for a redirect to
        another host) from the seam.
        """
        if not _NAME.match(name):
            raise GithubError(f"{name!r} is not a GitHub repository name (owner/name)")
        url = f"{self.base_url}/repos/{name}"
        headers = {"Accept": "application/vnd.github+json", "X-GitHub-Api-Version": API_VERSION}
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        if etag:
            headers["If-None-Match"] = etag
        while True:
            self._wait_for_budget()
            response = self.fetcher.get(url, headers=headers)
            self.requests += 1
            self._note_limits(response)
            if response.status in (403, 429) and self._limit_spent(response):
                continue  # _wait_for_budget waits for the reset, or raises
            return _answer(url, response)

    def _note_limits(self, response: HttpResponse) -> None:
        remaining = response.headers.get("x-ratelimit-remaining", "")
        reset = response.headers.get("x-ratelimit-reset", "")
        if remaining.isdigit():
            self.remaining = int(remaining)
        if reset.isdigit():
            self.reset_at = float(reset)

    def _limit_spent(self, response: HttpResponse) -> bool:
        retry_after = response.headers.get("retry-after", "")
        if retry_after.isdigit():
            self.remaining, self.reset_at = 0, self._clock() + int(retry_after)
            return True
        if self.remaining == 0:
            return True
        if response.status == 429:
            # A secondary limit without headers: wait a minute, as GitHub advises.
            self.remaining, self.reset_at = 0, self._clock() + 60
            return True
        return False

    def _wait_for_budget(self) -> None:
        if self.remaining != 0 or self.reset_at is None:
            return
        wait = self.reset_at - self._clock()
        if wait > self.max_wait:
            when = datetime.fromtimestamp(self.reset_at, UTC).strftime("%Y-%m-%d %H:%M UTC")
            raise RateLimited(
                f"GitHub's rate limit is spent until {when}: the rest waits for the next run"
                + (
                    "" if self.token else " (set PAPERWIRE_GITHUB_TOKEN for 5,000 requests an hour)"
                ),
                self.reset_at,
            )
        if wait > 0:
            self._sleep(wait + 1)  # the reset second itself may still be refused
        self.remaining = None


def _answer(url: str, response: HttpResponse) -> RepoAnswer:
    etag = response.headers.get("etag")
    if response.status == 304:
        return RepoAnswer("not_modified", etag=etag)
    if response.status in (404, 410):
        return RepoAnswer("gone")
    if response.status != 200:
        raise GithubError(f"{url} answered HTTP {response.status}: {response.text()[:200]!r}")
    try:
        data = json.loads(response.body)
    except ValueError as exc:
        raise GithubError(f"{url}: the answer is not JSON ({exc}): refused") from None
    if not isinstance(data, dict):
        raise GithubError(f"{url}: the answer is not a repository object: refused")
    full_name = data.get("full_name")
    stars = data.get("stargazers_count")
    if not isinstance(full_name, str) or not _NAME.match(full_name):
        raise GithubError(f"{url}: the answer has no valid full_name: refused")
    if not isinstance(stars, int) or isinstance(stars, bool) or stars < 0:
        raise GithubError(f"{url}: stargazers_count is {stars!r}, not a count: refused")
    return RepoAnswer("ok", full_name, stars, etag)
