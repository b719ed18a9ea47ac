"""The JSON API under ``/api/``, in Hugging Face's shapes, documented at ``/docs``.

``/api/daily_papers``, ``/api/papers`` (every paper, for mirrors),
``/api/papers/search`` and ``/api/papers/{id}``, in the shapes
``render.hf_shape`` builds.

Every error is ``{"error": MESSAGE, "status": CODE, "where": PARAMETER}``
(see ``errors``), never a stack trace.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from paperwire.store.base import PaperStore
from paperwire.store.records import ListedPaper
from paperwire.web.conditional import conditional_route
from paperwire.web.errors import json_error
from paperwire.web.openapi import DAILY_ITEMS, PAPER, PAPERS_PAGE, answers
from paperwire.web.render.code_links import code_links
from paperwire.web.render.code_lists import code_trending_list
from paperwire.web.render.hf_shape import daily_item, linked_artifacts, paper_json
from paperwire.web.render.page_helpers import BadParameter
from paperwire.web.render.periods import day_period, parse_period
from paperwire.web.render.summary_lines import attach_summaries
from paperwire.web.render.trending_lists import period_trending, trending_list
from paperwire.web.routes.papers import canonical_id
from paperwire.web.state import AppState, app_state

__all__ = ["API_CACHE_CONTROL", "router"]

API_CACHE_CONTROL = "public, max-age=60"

# Answers change with every sync and vote: a minute's freshness, then revalidation.
router = APIRouter(prefix="/api", tags=["papers"], route_class=conditional_route(API_CACHE_CONTROL))

MAX_LIMIT = 100
LINKED_SHOWN = 10  # linked repositories of each kind in a paper object


@router.get(
    "/daily_papers",
    summary="Daily papers of a day, week or month",
    responses=answers(DAILY_ITEMS, "Daily items, in Hugging Face's shape", 400),
)
def daily_papers(
    request: Request,
    date: Annotated[str | None, Query(description="A day, YYYY-MM-DD")] = None,
    week: Annotated[str | None, Query(description="An ISO week, YYYY-Www")] = None,
    month: Annotated[str | None, Query(description="A month, YYYY-MM")] = None,
    p: Annotated[int, Query(ge=0, le=10_000, description="Page number, from 0")] = 0,
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT, description="Items per page")] = 50,
    sort: Annotated[
        Literal["publishedAt", "trending", "code"],
        Query(
            description="Newest first, by trending score, or by code activity (GitHub stars "
            "gained this week, with recency; the current ranking, no date)"
        ),
    ] = "publishedAt",
) -> Response:
    """A list of items `{paper: {id, title, summary, authors: [{name}], publishedAt, upvotes,
    githubRepo, githubStars, projectPage, ...}, publishedAt, title, summary, numComments,
    organization}`. Without date, week or month: the newest listing day (or, sorted by
    trending, the current trending papers). `sort=code` gives the current ranking by code
    activity (`/trending?by=code`): empty until a week of star history is recorded."""
    state = app_state(request)
    period = parse_period(date, week, month)
    offset = p * limit
    if sort == "code":
        if period is not None:
            raise BadParameter(
                "sort", "sort=code ranks the current week: give no date, week or month"
            )
        code_ranking = code_trending_list(state)
        return _items(state, [item for _, item in code_ranking.page(state, offset, limit)])
    if sort == "trending":
        ranking = (
            trending_list(state)
            if period is None
            else period_trending(state, period.first, period.last)
        )
        listed = [item for _, item in ranking.page(state, offset, limit)]
        return _items(state, listed)
    if period is None:
        latest = state.store.latest_listed_day(state.today())
        if latest is None:
            return JSONResponse([])
        period = day_period(latest)
    found = state.store.listed_papers(period.first, period.last, "published", limit, offset)
    return _items(state, found.items)


@router.get(
    "/papers/search",
    summary="Search papers",
    responses=answers(DAILY_ITEMS, "Daily items, best match first", 400, 503),
)
def search_papers(
    request: Request,
    q: Annotated[
        str, Query(min_length=1, max_length=1000, description="The query; filters allowed")
    ],
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = 20,
) -> Response:
    """Daily-item shaped results, best first. A query the engine cannot run is a 400
    whose `error` says why."""
    state = app_state(request)
    engine = state.search_engine()
    if engine is None:
        return json_error(503, "search is switched off on this server", "q")
    results = engine.search(q, page=1, per_page=limit)  # QueryError: the handler's 400
    votes = state.store.local_votes(hit.paper_id for hit in results.hits)
    return _items(
        state,
        [
            ListedPaper(hit.paper, votes.get(hit.paper_id, 0))
            for hit in results.hits
            if hit.paper is not None
        ],
    )


@router.get(
    "/papers",
    summary="Every paper, in change order (for mirrors)",
    responses=answers(PAPERS_PAGE, "One page of papers and the cursor of the next", 400),
)
def list_papers(
    request: Request,
    cursor: Annotated[str | None, Query(description="`nextCursor` of the previous page")] = None,
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = 50,
) -> Response:
    """`{papers: [paper objects, each with "seq"], nextCursor}`: follow `nextCursor` until it is
    null. A paper changed since reappears later in the order, so a mirror stays exact."""
    state = app_state(request)
    after = _cursor(cursor)
    changes = state.store.changes_since(after, limit)
    votes = state.store.local_votes(paper.id for _, paper in changes)
    listed = [ListedPaper(paper, votes.get(paper.id, 0)) for _, paper in changes]
    attach_summaries(state.store, listed)
    papers: list[dict[str, Any]] = []
    for (seq, _), item in zip(changes, listed, strict=True):
        papers.append({**paper_json(item), "seq": seq})
    more = bool(changes) and len(changes) == limit and changes[-1][0] < state.store.max_seq()
    return JSONResponse({"papers": papers, "nextCursor": str(changes[-1][0]) if more else None})


@router.get(
    "/papers/{paper_id:path}",
    summary="One paper",
    responses=answers(PAPER, "The paper object", 400, 404),
)
def get_paper(request: Request, paper_id: str) -> Response:
    """The paper object: `{id, title, summary, authors: [{name}], publishedAt, upvotes,
    githubRepo, githubStars, projectPage, ..., linkedModels, numTotalModels, linkedDatasets,
    numTotalDatasets, linkedSpaces, numTotalSpaces}` (the Hub repositories citing it, most
    liked first). Any arXiv id form is accepted."""
    wanted = canonical_id(paper_id)
    if wanted is None:
        return json_error(400, f"{paper_id!r} is not an arXiv id", "paper_id")
    store = app_state(request).store
    found = store.listed_with_votes([wanted])
    if not found:
        return json_error(404, f"no paper {wanted} here", "paper_id")
    attach_summaries(store, found)
    artifacts = linked_artifacts(store.paper_artifacts(wanted, top=LINKED_SHOWN))
    return JSONResponse({**paper_json(found[0]), **_code(store, found[0]), **artifacts})


def _items(state: AppState, listed: list[ListedPaper]) -> JSONResponse:
    """Daily items of ``listed``, each with its one-line summary and ``numComments``
    counting the comments posted here too."""
    attach_summaries(state.store, listed)
    local = state.store.comment_counts([item.paper.id for item in listed])
    return JSONResponse([daily_item(item, local.get(item.paper.id, 0)) for item in listed])


def _code(store: PaperStore, listed: ListedPaper) -> dict[str, Any]:
    """``githubRepo`` and ``githubStars`` as last checked: a renamed repository's new
    link, the latest recorded count (the imported one until a check)."""
    links = [link for link in code_links(store, listed.paper) if link.host == "GitHub"]
    if not links:
        return {}
    first = links[0]
    return {"githubRepo": first.url, "githubStars": first.stars}


def _cursor(raw: str | None) -> int:
    if raw is None or raw == "":
        return 0
    if not raw.isdigit() or len(raw) > 18:
        raise BadParameter("cursor", f"cursor must be a nextCursor this API gave, not {raw!r}")
    return int(raw)
