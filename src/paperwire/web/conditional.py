"""Validators and revalidation: ``ETag``, ``Last-Modified``, ``Cache-Control`` and 304.

Feeds, the JSON API and thumbnails answer with an ``ETag`` (a hash of the
body: the same page, cached or made again, has the same tag on every node),
a ``Last-Modified`` and a ``Cache-Control``, and with ``304 Not Modified`` to
a request whose ``If-None-Match`` names the tag, or that has no
``If-None-Match`` and whose ``If-Modified-Since`` is not older than the body
(RFC 9110 section 13.1, https://www.rfc-editor.org/rfc/rfc9110#section-13.1;
``If-None-Match`` wins when both are sent, section 13.2.2).

The store keeps no time of change, so ``Last-Modified`` is when this node
first sent a body with that tag (``FirstSeen``): a body that did not change
keeps its time, one that did gets a new one. Another node may have a
slightly later time for the same body, which only costs a full answer.

A router gets all this for every ``GET`` route by ``route_class=conditional_route(...)``.
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from email.utils import formatdate, parsedate_to_datetime

from fastapi.routing import APIRoute
from starlette.requests import Request
from starlette.responses import Response

from paperwire.web.state import app_state

__all__ = ["FirstSeen", "conditional", "conditional_route", "etag_for", "not_modified"]

_FIRST_SEEN_KEY = "first_seen"
_VALIDATORS = ("etag", "last-modified", "cache-control", "vary", "content-location")


class FirstSeen:
    """When this node first saw each tag (seconds since the epoch), the newest ``size`` kept."""

    def __init__(self, size: int = 20_000) -> None:
        self.size = size
        self._seen: OrderedDict[str, float] = OrderedDict()
        self._lock = threading.Lock()

    def time_of(self, etag: str) -> float:
        with self._lock:
            seen = self._seen.get(etag)
            if seen is None:
                seen = float(int(time.time()))  # HTTP dates have whole seconds
                self._seen[etag] = seen
                while len(self._seen) > self.size:
                    self._seen.popitem(last=False)
            else:
                self._seen.move_to_end(etag)
            return seen


def etag_for(body: bytes, *, weak: bool = True) -> str:
    """A tag for ``body``: ``W/"<hash>"`` (weak: compression keeps it) or ``"<hash>"``."""
    digest = hashlib.blake2b(body, digest_size=16).hexdigest()
    return f'W/"{digest}"' if weak else f'"{digest}"'


def _first_seen(request: Request) -> FirstSeen:
    extras = app_state(request).extras
    found = extras.get(_FIRST_SEEN_KEY)
    if not isinstance(found, FirstSeen):
        found = FirstSeen()
        extras[_FIRST_SEEN_KEY] = found
    return found


def _opaque(tag: str) -> str:
    return tag.strip().removeprefix("W/")


def not_modified(request: Request, etag: str, last_modified: float) -> bool:
    """Whether the request's conditional headers say its copy is current (weak comparison)."""
    if_none_match = request.headers.get("if-none-match")
    if if_none_match is not None:
        wanted = {_opaque(tag) for tag in if_none_match.split(",")}
        return "*" in wanted or _opaque(etag) in wanted
    since = request.headers.get("if-modified-since")
    if since is None:
        return False
    try:
        when = parsedate_to_datetime(since)
    except (TypeError, ValueError):
        return False  # an unreadable date is ignored, as RFC 9110 13.1.3 says
    if when.tzinfo is None:
        return False
    return last_modified <= when.timestamp()


def conditional(
    request: Request,
    response: Response,
    *,
    cache_control: str,
    etag: str | None = None,
    last_modified: float | None = None,
) -> Response:
    """``response`` with its validators and ``cache_control``, or a 304 in its place.

    Only a 200 to a GET (or HEAD) gets validators; anything else is returned as it is.
    ``etag`` defaults to a weak tag of the body, ``last_modified`` to when this node
    first sent it."""
    if request.method not in ("GET", "HEAD") or response.status_code != 200:
        return response
    tag = etag or etag_for(bytes(response.body))
    modified = last_modified if last_modified is not None else _first_seen(request).time_of(tag)
    response.headers["etag"] = tag
    response.headers["last-modified"] = formatdate(modified, usegmt=True)
    response.headers["cache-control"] = cache_control
    if not not_modified(request, tag, modified):
        return response
    kept = {name: response.headers[name] for name in _VALIDATORS if name in response.headers}
    return Response(status_code=304, headers=kept)


def conditional_route(cache_control: str) -> type[APIRoute]:
    """A route class whose GET answers go through ``conditional`` with ``cache_control``."""

    class ConditionalRoute(APIRoute):
        def get_route_handler(self) -> Callable[[Request], Awaitable[Response]]:
            handler = super().get_route_handler()

            async def revalidated(request: Request) -> Response:
                response = await handler(request)
                if not hasattr(response, "body"):
                    return response  # a streamed body has no hash to tag it by
                return conditional(request, response, cache_control=cache_control)

            return revalidated

    return ConditionalRoute
