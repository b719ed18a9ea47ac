"""``/trending`` (each paper says why it ranks where it does), ``/trending?by=code``
(by code activity: GitHub stars gained this week) and ``/about/ranking``."""

from __future__ import annotations

from datetime import date, timedelta

from fastapi import APIRouter
from starlette.requests import Request
from starlette.responses import Response

from paperwire.rank.code_trending import CodeScore, CodeTrendingWeights, rank_by_code
from paperwire.rank.topics import rising_topics
from paperwire.rank.trending import trending_score, window_start
from paperwire.web.render.code_lists import code_trending_list
from paperwire.web.render.page_helpers import (
    BadParameter,
    cached,
    listed_cards,
    page_number,
    pager_for,
)
from paperwire.web.render.templates import FeedLink, render
from paperwire.web.render.trending_lists import trending_list
from paperwire.web.state import app_state

__all__ = ["CODE_FEEDS", "TRENDING_FEEDS", "router"]

router = APIRouter()

TRENDING_FEEDS = (
    FeedLink("Trending papers (RSS)", "/feeds/trending.rss", "rss"),
    FeedLink("Trending papers (Atom)", "/feeds/trending.atom", "atom"),
)
CODE_FEEDS = (
    FeedLink("Trending by code (RSS)", "/feeds/trending-code.rss", "rss"),
    FeedLink("Trending by code (Atom)", "/feeds/trending-code.atom", "atom"),
)
ORDERS = ("score", "code")


@router.get("/trending", include_in_schema=False)
def trending_page(request: Request, page: str | None = None, by: str | None = None) -> Response:
    number = page_number(page)
    if by not in (None, "", *ORDERS):
        raise BadParameter("by", f"by must be one of {', '.join(ORDERS)}, not {by!r}")
    if by == "code":
        return cached(request, lambda: _trending_by_code(request, number))
    return cached(request, lambda: _trending(request, number))


def _trending_by_code(request: Request, page: int) -> Response:
    state = app_state(request)
    ranking = code_trending_list(state)
    size = state.web.page_size
    rows = ranking.page(state, (page - 1) * size, size)
    why = {score.paper_id: score.explain() for score, _ in rows}
    return render(
        request,
        "trending_code.html",
        ranking=ranking,
        cards=listed_cards(request, [listed for _, listed in rows], why),
        numbered=True,
        first_rank=(page - 1) * size + 1,
        pager=pager_for(request, page, len(ranking.scores), size),
        feeds=CODE_FEEDS,
        order="code",
    )


def _trending(request: Request, page: int) -> Response:
    state = app_state(request)
    ranking = trending_list(state)
    size = state.web.page_size
    rows = ranking.page(state, (page - 1) * size, size)
    why = {score.paper_id: score.explain() for score, _ in rows}
    rising = rising_topics(state.store, ranking.reference_day) if ranking.reference_day else []
    return render(
        request,
        "trending.html",
        rising=rising,
        topic_labels={t.key: state.store.keyphrase_label(t.key) or t.key for t in rising},
        reference_day=ranking.reference_day,
        cards=listed_cards(request, [listed for _, listed in rows], why),
        numbered=True,
        first_rank=(page - 1) * size + 1,
        pager=pager_for(request, page, len(ranking.scores), size),
        feeds=TRENDING_FEEDS,
        order="score",
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
    code_weights = state.code_weights
    code_examples = [
        _code_example(gained, age, code_weights)
        for gained, age in ((412, 3), (412, 20), (60, 0), (1500, 28))
    ]
    return render(
        request,
        "about_ranking.html",
        code_weights=code_weights,
        code_examples=code_examples,
        weights=weights,
        examples=examples,
        reference_day=reference,
        window_first=window_start(reference, weights) if reference else None,
    )


def _code_example(gained: int, age: int, weights: CodeTrendingWeights) -> CodeScore:
    """The score of an example paper, by the same rule the page ranks with."""
    day = date(2026, 1, 31)
    week = day - timedelta(days=weights.history_days)
    history = {"example": [(week, 1000), (day, 1000 + gained)]}
    (score,) = rank_by_code([("example", day - timedelta(days=age))], history, day, weights)
    return score
