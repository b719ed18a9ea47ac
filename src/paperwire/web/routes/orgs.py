"""Organisations: ``/orgs`` (every one, by paper count) and ``/orgs/{slug}`` (its papers).

One organisation is one page under the URL name of the name it is shown under;
the URL name of any other spelling it is stored or known under (an old link)
redirects there.
"""

from __future__ import annotations

import threading

from fastapi import APIRouter
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from paperwire.store.records import OrganizationCount
from paperwire.web.errors import error_response
from paperwire.web.render.page_helpers import cached, listed_cards, page_number, pager_for
from paperwire.web.render.templates import FeedLink, render
from paperwire.web.state import AppState, app_state

__all__ = ["find_organization", "moved", "org_feeds", "organizations", "router"]

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


def find_organization(state: AppState, slug: str) -> OrganizationCount | None:
    """The organisation the URL name ``slug`` stands for, or None.

    Its own page when ``slug`` is the URL name of the name it is shown under
    (organisations whose names share one, "Universität X" and "Universitat X",
    are one page); otherwise the organisation with a stored spelling or an alias
    of that URL name, whose ``slug`` then differs (the caller redirects).
    """
    found = organizations(state)
    exact = [org for org in found if org.slug == slug]
    if exact:
        return _together(exact)
    return next((org for org in found if slug in org.slugs), None)


def moved(request: Request, path: str) -> RedirectResponse:
    """A permanent redirect to ``path``, keeping the query string (``?page=2``)."""
    query = request.url.query
    return RedirectResponse(path + (f"?{query}" if query else ""), status_code=301)


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
    org = find_organization(state, slug)
    if org is None:
        return error_response(request, 404, "No organisation by that name has papers here.")
    if org.slug != slug:
        return moved(request, f"/orgs/{org.slug}")
    size = state.web.page_size
    found = state.store.organization_papers(list(org.names), size, (page - 1) * size)
    return render(
        request,
        "org.html",
        name=org.name,
        other_names=[n for n in org.names if n != org.name],
        slug=slug,
        total=found.total,
        cards=listed_cards(request, found.items),
        pager=pager_for(request, page, found.total, size),
        feeds=org_feeds(slug, org.name),
    )


def _together(orgs: list[OrganizationCount]) -> OrganizationCount:
    if len(orgs) == 1:
        return orgs[0]
    names = tuple(name for org in orgs for name in org.names)
    return OrganizationCount(orgs[0].name, sum(org.papers for org in orgs), names)
