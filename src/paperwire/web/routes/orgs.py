"""Organisations: ``/orgs`` (every one, by paper count) and ``/orgs/{slug}`` (its papers)."""

from __future__ import annotations

import threading

from fastapi import APIRouter
from starlette.requests import Request
from starlette.responses import Response

from paperwire.store.records import OrganizationCount
from paperwire.web.errors import error_response
from paperwire.web.render.page_helpers import cached, listed_cards, page_number, pager_for
from paperwire.web.render.templates import FeedLink, render
from paperwire.web.state import AppState, app_state

__all__ = ["org_feeds", "organization_names", "organizations", "router"]

router = APIRouter()
_LOCK = threading.Lock()


def org_feeds(slug: str, name: str) -> tuple[FeedLink, ...]:
    return (
        FeedLink(f"{name} (RSS)", f"/feeds/orgs/{slug}.rss", "rss"),
        FeedLink(f"{name} (Atom)", f"/feeds/orgs/{slug}.atom", "atom"),
    )


def organizations(state: AppState) -> list[OrganizationCount]:
    """Every organisation with its paper count, cached per store change seq."""
    seq = state.store.max_seq()
    with _LOCK:
        cached_value = state.extras.get("organizations")
        if isinstance(cached_value, tuple) and cached_value[0] == seq:
            return cached_value[1]
    counts = state.store.organization_counts()
    with _LOCK:
        state.extras["organizations"] = (seq, counts)
    return counts


def organization_names(state: AppState, slug: str) -> list[str]:
    """The stored names a slug stands for (several spellings can share one)."""
    return [org.name for org in organizations(state) if org.slug == slug]


@router.get("/orgs", include_in_schema=False)
def organizations_page(request: Request) -> Response:
    return cached(
        request,
        lambda: render(request, "orgs.html", organizations=organizations(app_state(request))),
    )


@router.get("/orgs/{slug}", include_in_schema=False)
def organization_page(request: Request, slug: str, page: str | None = None) -> Response:
    number = page_number(page)
    return cached(request, lambda: _organization(request, slug, number))


def _organization(request: Request, slug: str, page: int) -> Response:
    state = app_state(request)
    names = organization_names(state, slug)
    if not names:
        return error_response(request, 404, "No organisation by that name has papers here.")
    size = state.web.page_size
    found = state.store.organization_papers(names, size, (page - 1) * size)
    return render(
        request,
        "org.html",
        name=names[0],
        names=names,
        slug=slug,
        total=found.total,
        cards=listed_cards(request, found.items),
        pager=pager_for(request, page, found.total, size),
        feeds=org_feeds(slug, names[0]),
    )
