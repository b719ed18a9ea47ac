"""``/trending`` (each paper says why it ranks where it does) and ``/about/ranking``."""

from __future__ import annotations

from fastapi import APIRouter
from starlette.requests import Request
from starlette.responses import Response

from paperwire.rank.trending import trending_score, window_start
from paperwire.web.render.page_helpers import cached, listed_cards, page_number, pager_for
from paperwire.web.render.templates import FeedLink, render
from paperwire.web.render.trending_lists import trending_list
from paperwire.web.state import app_state

__all__ = ["TRENDING_FEEDS", "router"]

router = APIRouter()

TRENDING_FEEDS = (
    FeedLink("Trending papers (RSS)", "/feeds/trending.rss", "rss"),
    FeedLink("Trending papers (Atom)", "/feeds/trending.atom", "atom"),
)


@router.get("/trending", include_in_schema=False)
def trending_page(request: Request, page: str | None = None) -> Response:
    number = page_number(page)
    return cached(request, lambda: _trending(request, number))


def _trending(request: Request, page: int) -> Response:
    state = app_state(request)
    ranking = trending_list(state)
    size = state.web.page_size
    rows = ranking.page(state, (page - 1) * size, size)
    why = {score.paper_id: score.explain() for score, _ in rows}
    return render(
        request,
        "trending.html",
        reference_day=ranking.reference_day,
        cards=listed_cards(request, [listed for _, listed in rows], why),
        numbered=True,
        first_rank=(page - 1) * size + 1,
        pager=pager_for(request, page, len(ranking.scores), size),
        feeds=TRENDING_FEEDS,
    )


@router.get("/about/ranking", include_in_schema=False)
def about_ranking(request: Request) -> Response:
    state = app_state(request)
    weights = state.trending_weights
    examples = [
        trending_score("example", upvotes, stars, age, weights=weights)
        for upvotes, stars, age in ((42, 310, 2), (42, 0, 2), (10, 0, 0), (100, 0, 7))
    ]
    reference = state.store.latest_listed_day(state.today())
    return render(
        request,
        "about_ranking.html",
        weights=weights,
        examples=examples,
        reference_day=reference,
        window_first=window_start(reference, weights) if reference else None,
    )
