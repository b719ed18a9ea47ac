"""The one way paperwire talks to the network: a guarded, polite HTTP GET.

Every live client (arXiv API, OAI-PMH, RSS, Hugging Face) fetches through a
``Fetcher``, which
- contacts only the origins (scheme, host, port) it was configured with, and
  refuses a redirect to any other;
- caps the size of a response body (after decompression, so a gzip bomb is
  cut short) and the time one attempt may take;
- retries 429 and 5xx answers, connection resets and time-outs, waiting as
  long as the server's Retry-After says or else an exponential backoff with
  jitter; it does not retry a refused connection or a failed name lookup:
  without a network a sync should fail at once, not after minutes;
- sends a User-Agent that carries the operator's contact address;
- runs each request inside a shared ``RateLimiter`` slot where one is given,
  behind every other client of it when ``background`` (thumbnails' PDFs).
"""

from __future__ import annotations

import random
import time
from collections.abc import Iterable, Mapping
from contextlib import nullcontext
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from urllib.parse import urljoin, urlsplit

import httpx

from paperwire import __version__
from paperwire.config import Settings
from paperwire.ingest.ratelimit import RateLimiter

__all__ = [
    "FetchError",
    "FetchFailed",
    "Fetcher",
    "HostNotAllowed",
    "HttpOptions",
    "HttpResponse",
    "NetworkUnavailable",
    "ResponseTooLarge",
    "options_from_settings",
    "user_agent",
]

RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
MAX_REDIRECTS = 5
_DEFAULT_PORTS = {"http": 80, "https": 443}


class FetchError(RuntimeError):
    """A request that did not produce a usable response; the message says what to do."""


class NetworkUnavailable(FetchError):
    """The host could not be reached at all (connection refused, name lookup failed)."""


class HostNotAllowed(FetchError):
    """A URL, or a redirect, points outside the configured hosts."""


class ResponseTooLarge(FetchError):
    """The body is larger than the configured cap."""


class FetchFailed(FetchError):
    """The server kept failing (5xx, 429, resets, time-outs) through every retry."""


class _Transient(Exception):
    """An attempt that failed in a way worth retrying."""


@dataclass(frozen=True, slots=True)
class HttpOptions:
    user_agent: str
    timeout: float = 30.0  # to connect, and between bytes read
    retries: int = 4  # attempts after the first
    backoff: float = 2.0  # first retry delay; doubles each time
    backoff_cap: float = 120.0
    max_retry_after: float = 600.0  # a longer Retry-After is reported, not waited for
    max_bytes: int = 100 * 1024 * 1024

    @property
    def deadline(self) -> float:
        """Seconds one attempt may take in all, so a server trickling bytes cannot hold us."""
        return self.timeout * 4


@dataclass(frozen=True, slots=True)
class HttpResponse:
    url: str
    status: int
    headers: Mapping[str, str]
    body: bytes

    def text(self) -> str:
        return self.body.decode("utf-8", "replace")


def user_agent(contact_email: str | None) -> str:
    contact = f"; mailto:{contact_email}" if contact_email else ""
    return f"paperwire/{__version__} (self-hosted paper feed{contact})"


def options_from_settings(settings: Settings) -> HttpOptions:
    return HttpOptions(
        user_agent=user_agent(settings.contact_email),
        timeout=settings.http_timeout,
        retries=settings.http_retries,
        backoff=settings.http_backoff,
        max_bytes=settings.max_response_bytes,
    )


class Fetcher:
    """GETs from a fixed set of origins; see the module docstring for the rules."""

    def __init__(
        self,
        allowed: Iterable[str],
        options: HttpOptions,
        *,
        limiter: RateLimiter | None = None,
        interval: float = 0.0,
        background: bool = False,
    ) -> None:
        self.options = options
        self._background = background  # yields the limiter to every other client
        self._allowed = {_origin(url) for url in allowed}
        self._limiter = limiter
        self._interval = interval
        self._client = httpx.Client(
            headers={"User-Agent": options.user_agent},
            timeout=httpx.Timeout(options.timeout),
            follow_redirects=False,
            limits=httpx.Limits(max_connections=1, max_keepalive_connections=1),
        )

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._client.close()

    def get(
        self,
        url: str,
        params: Mapping[str, str | int] | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> HttpResponse:
        """The final response (any status but a retried one), or a FetchError.

        ``headers`` are sent with each request, redirects included (they stay within
        the configured origins): a conditional ``If-None-Match``, an API token.
        """
        attempts = self.options.retries + 1
        problem = ""
        for attempt in range(attempts):
            try:
                response = self._follow(url, params, headers)
            except _Transient as exc:
                problem, wait = str(exc), self._backoff(attempt)
            else:
                if response.status not in RETRY_STATUSES:
                    return response
                problem = f"HTTP {response.status}"
                wait = _retry_after(response) or self._backoff(attempt)
            if attempt + 1 == attempts:
                break
            if wait > self.options.max_retry_after:
                raise FetchFailed(
                    f"{_host(url)} asks to wait {wait:.0f}s before retrying ({problem}): "
                    "try again later"
                )
            time.sleep(wait)
        raise FetchFailed(
            f"GET {url} failed {attempts} times, last with {problem}: "
            f"{_host(url)} may be down or overloaded; try again later"
        )

    def _backoff(self, attempt: int) -> float:
        base = min(self.options.backoff_cap, self.options.backoff * 2**attempt)
        return base * random.uniform(0.5, 1.0)  # jitter spreads out clients retrying together

    def _follow(
        self,
        url: str,
        params: Mapping[str, str | int] | None,
        headers: Mapping[str, str] | None = None,
    ) -> HttpResponse:
        for _ in range(MAX_REDIRECTS + 1):
            self._check_allowed(url)
            slot = (
                self._limiter.slot(self._interval, background=self._background)
                if self._limiter
                else nullcontext()
            )
            with slot:
                response = self._send(url, params, headers)
            location = response.headers.get("location")
            if response.status not in REDIRECT_STATUSES or not location:
                return response
            url, params = urljoin(response.url, location), None
            if _origin(url) not in self._allowed:
                raise HostNotAllowed(
                    f"{_host(response.url)} redirected to {url}, outside the configured hosts: "
                    "refused; check the base URL in the settings"
                )
        raise FetchError(f"more than {MAX_REDIRECTS} redirects from {url}")

    def _check_allowed(self, url: str) -> None:
        if _origin(url) not in self._allowed:
            raise HostNotAllowed(f"{url} is outside the configured hosts: refused")

    def _send(
        self,
        url: str,
        params: Mapping[str, str | int] | None,
        headers: Mapping[str, str] | None = None,
    ) -> HttpResponse:
        started = time.monotonic()
        try:
            with self._client.stream("GET", url, params=params, headers=headers) as response:
                body = self._read_body(response, started)
                return HttpResponse(str(response.url), response.status_code, response.headers, body)
        except httpx.ConnectError as exc:
            raise NetworkUnavailable(
                f"cannot reach {_host(url)} ({_reason(exc)}): check the network connection; "
                "what is already stored stays available"
            ) from None
        except httpx.TimeoutException:
            raise _Transient(f"no answer within {self.options.timeout:g}s") from None
        except (httpx.RemoteProtocolError, httpx.ReadError, httpx.WriteError) as exc:
            raise _Transient(f"connection broken ({_reason(exc)})") from None
        except httpx.HTTPError as exc:
            raise FetchError(f"GET {url} failed: {_reason(exc)}") from None

    def _read_body(self, response: httpx.Response, started: float) -> bytes:
        limit = self.options.max_bytes
        declared = response.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > limit:
            raise ResponseTooLarge(_too_large(response, limit))
        chunks: list[bytes] = []
        size = 0
        for chunk in response.iter_bytes():
            size += len(chunk)
            if size > limit:
                raise ResponseTooLarge(_too_large(response, limit))
            if time.monotonic() - started > self.options.deadline:
                raise _Transient(f"response not complete within {self.options.deadline:g}s")
            chunks.append(chunk)
        return b"".join(chunks)


def _origin(url: str) -> tuple[str, str, int | None]:
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    return scheme, (parts.hostname or "").lower(), parts.port or _DEFAULT_PORTS.get(scheme)


def _host(url: str) -> str:
    return urlsplit(url).netloc or url


def _reason(exc: BaseException) -> str:
    return str(exc) or type(exc).__name__


def _too_large(response: httpx.Response, limit: int) -> str:
    return (
        f"the response from {_host(str(response.url))} is larger than {limit:,} bytes: "
        "refused (raise PAPERWIRE_MAX_RESPONSE_BYTES if this is expected)"
    )


def _retry_after(response: HttpResponse) -> float | None:
    """Seconds to wait from a Retry-After header: a number or an HTTP date."""
    value = (response.headers.get("retry-after") or "").strip()
    if not value:
        return None
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - datetime.now(UTC)).total_seconds())
