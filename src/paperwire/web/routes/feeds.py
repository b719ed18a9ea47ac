"""RSS and Atom feeds: the daily papers, trending, a search and an organisation.

/feeds/daily.rss    /feeds/trending.rss    /feeds/trending-code.rss (by code activity)
/feeds/search.rss?q=...    /feeds/orgs/{slug}.rss    (and .atom for each)
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Protocol
from urllib.parse import quote

from fastapi import APIRouter
from starlette.requests import Request
from starlette.responses import Response

from paperwire.search.query import QueryError
from paperwire.store.records import ListedPaper
from paperwire.web.conditional import conditional_route
from paperwire.web.errors import error_response
from paperwire.web.render.code_lists import code_trending_list
from paperwire.web.render.page_helpers import cached
from paperwire.web.render.syndication import (
    MEDIA_TYPES,
    Channel,
    atom_document,
    entries_for,
    rss_document,
)
from paperwire.web.render.text import long_day
from paperwire.web.render.trending_lists import trending_list
from paperwire.web.routes.orgs import find_organization, moved
from paperwire.web.state import AppState, app_state, site_url

__all__ = ["FEED_CACHE_CONTROL", "router"]

FEED_CACHE_CONTROL = "public, max-age=900"

# Readers poll feeds: a quarter of an hour of freshness, then a cheap 304 while unchanged.
router = APIRouter(prefix="/feeds", route_class=conditional_route(FEED_CACHE_CONTROL))

ITEMS = 30


def _base(request: Request) -> str:
    return site_url(request)


def _document(
    request: Request,
    kind: str,
    title: str,
    description: str,
    page: str,
    listed: list[ListedPaper],
    notes: dict[str, str] | None = None,
) -> Response:
    if kind not in MEDIA_TYPES:
        return error_response(request, 404, "Feeds come as .rss or .atom.")
    base = _base(request)
    path = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    channel = Channel(
        title, description, base + page, base + path, entries_for(base, listed, notes)
    )
    body = rss_document(channel) if kind == "rss" else atom_document(channel)
    return Response(body, headers={"content-type": MEDIA_TYPES[kind]})


@router.get("/daily.{kind}", include_in_schema=False)
def daily_feed(request: Request, kind: str) -> Response:
    def build() -> Response:
        state = app_state(request)
        day = state.store.latest_listed_day(state.today())
        listed = state.store.listed_papers(day, day, "upvotes", ITEMS).items if day else []
        label = long_day(day) if day else "no papers yet"
        return _document(
            request,
            kind,
            f"paperwire: daily papers, {label}",
            "The papers of the newest listing day, most upvoted first.",
            "/",
            listed,
        )

    return cached(request, build)


@router.get("/trending.{kind}", include_in_schema=False)
def trending_feed(request: Request, kind: str) -> Response:
    return _ranked_feed(
        request,
        kind,
        trending_list,
        "paperwire: trending papers",
        "Upvotes decayed by age, GitHub stars as a second signal.",
        "/trending",
    )


@router.get("/trending-code.{kind}", include_in_schema=False)
def trending_code_feed(request: Request, kind: str) -> Response:
    return _ranked_feed(
        request,
        kind,
        code_trending_list,
        "paperwire: trending by code activity",
        "GitHub stars gained this week, with recency.",
        "/trending?by=code",
    )


class _Explained(Protocol):
    @property
    def paper_id(self) -> str: ...

    def explain(self) -> str: ...


class _Ranked(Protocol):
    def page(
        self, state: AppState, offset: int, limit: int
    ) -> Sequence[tuple[_Explained, ListedPaper]]: ...


def _ranked_feed(
    request: Request,
    kind: str,
    ranked: Callable[[AppState], _Ranked],
    title: str,
    description: str,
    link: str,
) -> Response:
    """The first page of a ranked list as RSS or Atom, each item with why it is there."""

    def build() -> Response:
        state = app_state(request)
        rows = ranked(state).page(state, 0, ITEMS)
        notes = {score.paper_id: score.explain() for score, _ in rows}
        listed = [paper for _, paper in rows]
        return _document(request, kind, title, description, link, listed, notes)

    return cached(request, build)


@router.get("/search.{kind}", include_in_schema=False)
def search_feed(request: Request, kind: str, q: str = "") -> Response:
    state = app_state(request)
    query = q.strip()
    if not query:
        return error_response(request, 400, "A search feed needs a query: ?q=...")
    engine = state.search_engine()
    if engine is None:
        return error_response(request, 503, "Search is switched off on this server.")
    try:
        results = engine.search(query, per_page=ITEMS, sort="date")
    except QueryError as exc:
        return error_response(request, 400, str(exc), "q")
    votes = state.store.local_votes(hit.paper_id for hit in results.hits)
    listed = [ListedPaper(h.paper, votes.get(h.paper_id, 0)) for h in results.hits if h.paper]
    return _document(
        request,
        kind,
        f"paperwire: search for {query}",
        f"The newest papers matching {query}.",
        f"/search?q={quote(query, safe='')}",
        listed,
    )


@router.get("/orgs/{slug}.{kind}", include_in_schema=False)
def organization_feed(request: Request, slug: str, kind: str) -> Response:
    def build() -> Response:
        state = app_state(request)
        org = find_organization(state, slug)
        if org is None:
            return error_response(request, 404, "No organisation by that name has papers here.")
        if org.slug != slug:
            return moved(request, f"/feeds/orgs/{org.slug}.{kind}")
        listed = state.store.organization_papers(list(org.names), ITEMS).items
        return _document(
            request,
            kind,
            f"paperwire: {org.name}",
            f"The newest papers from {org.name}.",
            f"/orgs/{slug}",
            listed,
        )

    return cached(request, build)
