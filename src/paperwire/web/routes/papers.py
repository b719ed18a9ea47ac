"""A paper's page ``/papers/{id}`` (old-style ids keep their slash) and its upvote."""

from __future__ import annotations

from urllib.parse import quote

from fastapi import APIRouter, Depends, Form
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response

from paperwire.ids import InvalidArxivId, parse_arxiv_id
from paperwire.model import Paper
from paperwire.search.query import QueryError
from paperwire.store.records import ListedPaper
from paperwire.web.errors import error_response
from paperwire.web.render.bibtex import bibtex
from paperwire.web.render.cards import paper_url
from paperwire.web.render.code_links import code_links
from paperwire.web.render.page_helpers import cached, listed_cards
from paperwire.web.render.paper_meta import paper_meta
from paperwire.web.render.templates import render
from paperwire.web.routes.discussion import discussion_context
from paperwire.web.security.csrf import require_csrf
from paperwire.web.security.redirects import safe_next
from paperwire.web.security.sessions import current_user
from paperwire.web.state import AppState, app_state, site_url

__all__ = ["canonical_id", "router"]

router = APIRouter()

SIMILAR = 5
ARTIFACTS_SHOWN = 5  # of each kind, the most liked; the heading gives the total


def canonical_id(raw: str) -> str | None:
    """The store id ``raw`` names: an arXiv id in any form, or a ``namespace:id`` as is."""
    try:
        return parse_arxiv_id(raw).id
    except InvalidArxivId:
        return raw if ":" in raw and "/" not in raw.split(":", 1)[0] else None


@router.post(
    "/papers/{paper_id:path}/vote",
    include_in_schema=False,
    dependencies=[Depends(require_csrf)],
)
def vote(
    request: Request,
    paper_id: str,
    vote: str = Form("up"),
    next: str | None = Form(None),
) -> Response:
    """Cast (vote=up) or take back (vote=down) the user's upvote. JSON for the page's script."""
    state = app_state(request)
    wants_json = "application/json" in request.headers.get("accept", "")
    user = current_user(request)
    if user is None:
        if wants_json:
            return error_response(request, 401, "Log in to upvote.")
        return RedirectResponse("/login?next=" + quote(paper_url(paper_id), safe=""), 303)
    paper = state.store.get_paper(paper_id)
    if paper is None:
        return error_response(request, 404, f"There is no paper {paper_id} here.")
    up = vote != "down"
    local = state.store.set_vote(user.id, paper.id, up, state.clock().timestamp())
    shown = (paper.upvotes or 0) + local
    if wants_json:
        return JSONResponse({"id": paper.id, "upvotes": shown, "voted": up})
    return RedirectResponse(safe_next(next, paper_url(paper.id)), status_code=303)


@router.get("/papers/{paper_id:path}", include_in_schema=False)
def paper_page(
    request: Request, paper_id: str, submitted: str | None = None, authors: str | None = None
) -> Response:
    """The paper's page; ``authors=all`` lists every author of a long list."""
    wanted = canonical_id(paper_id)
    if wanted is None:
        return error_response(request, 404, f"{paper_id!r} is not an arXiv id.")
    if wanted != paper_id:
        return RedirectResponse(paper_url(wanted), status_code=301)
    # The page names its own absolute URL (og:url): cached per host, so a forged
    # Host header never reaches another visitor.
    page = cached(
        request,
        lambda: _page(request, wanted, submitted == "1", authors == "all"),
        site_url(request),
    )
    user = current_user(request)
    if user is not None and page.status_code == 200:
        # A paper a reader opened is one people see: it gets a thumbnail.
        state = app_state(request)
        state.store.record_opened(user.id, wanted, state.clock().timestamp())
    return page


def _page(request: Request, paper_id: str, submitted: bool, all_authors: bool) -> Response:
    state = app_state(request)
    found = state.store.listed_with_votes([paper_id])
    if not found:
        return render(
            request,
            "paper_missing.html",
            status=404,
            paper_id=paper_id,
            arxiv=canonical_id(paper_id) == paper_id and ":" not in paper_id,
        )
    # One list, so the reader's marks on the paper and its similar ones are one read.
    card, *similar = listed_cards(request, found + _similar(state, found[0].paper))
    code = code_links(state.store, card.paper)
    return render(
        request,
        "paper.html",
        card=card,
        paper=card.paper,
        code=code,
        code_urls={link.url for link in code},
        artifacts=state.store.paper_artifacts(paper_id, top=ARTIFACTS_SHOWN),
        hub_url=state.settings.hf_api_url.rstrip("/"),
        bibtex=bibtex(card.paper),
        meta=paper_meta(card.paper, _absolute(request, card.url), card.paper.ai_summary),
        similar=similar,
        submitted=submitted,
        all_authors=all_authors,
        discussion=discussion_context(request, paper_id),
    )


def _absolute(request: Request, path: str) -> str:
    return site_url(request) + quote(path, safe="/:")


def _similar(state: AppState, paper: Paper) -> list[ListedPaper]:
    engine = state.search_engine()
    if engine is None:
        return []
    try:
        results = engine.similar(paper.id, limit=SIMILAR)
    except QueryError:
        return []
    votes = state.store.local_votes(hit.paper_id for hit in results.hits)
    return [ListedPaper(h.paper, votes.get(h.paper_id, 0)) for h in results.hits if h.paper]
