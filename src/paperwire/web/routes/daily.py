"""The daily feed: ``/`` (the newest listing day) and ``/papers?date=|week=|month=``."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, datetime

from fastapi import APIRouter
from starlette.requests import Request
from starlette.responses import Response

from paperwire.ingest import arxiv_calendar
from paperwire.web.render.page_helpers import (
    BadParameter,
    cached,
    listed_cards,
    page_number,
    pager_for,
)
from paperwire.web.render.periods import Period, day_period, month_period, parse_period, week_period
from paperwire.web.render.sync_notice import SyncNotice, read_sync_notice
from paperwire.web.render.templates import render
from paperwire.web.state import AppState, app_state

__all__ = ["router"]

router = APIRouter()

SORTS = {"upvotes": "Most upvoted", "published": "Newest"}


@dataclass(frozen=True, slots=True)
class Link:
    label: str
    url: str
    current: bool = False


@router.get("/", include_in_schema=False)
def home(request: Request, page: str | None = None, sort: str | None = None) -> Response:
    notice = _notice(request)
    return cached(request, lambda: _feed(request, None, page, sort, notice), _variant(notice))


@router.get("/papers", include_in_schema=False)
def papers(
    request: Request,
    date: str | None = None,
    week: str | None = None,
    month: str | None = None,
    page: str | None = None,
    sort: str | None = None,
) -> Response:
    period = parse_period(date, week, month)
    notice = _notice(request)
    return cached(request, lambda: _feed(request, period, page, sort, notice), _variant(notice))


def _notice(request: Request) -> SyncNotice | None:
    state = app_state(request)
    return read_sync_notice(state.store, state.clock(), state.web.display_zone)


def _variant(notice: SyncNotice | None) -> str:
    return notice.text if notice is not None else ""


def _feed(
    request: Request,
    period: Period | None,
    page_raw: str | None,
    sort: str | None,
    notice: SyncNotice | None,
) -> Response:
    state = app_state(request)
    order = sort or "upvotes"
    if order not in SORTS:
        raise BadParameter("sort", f"sort must be one of {', '.join(SORTS)}, not {sort!r}")
    page = page_number(page_raw)
    if period is None:
        latest = state.store.latest_listed_day(state.today())
        if latest is None:
            # Nothing is stored: the notice cannot promise stored papers.
            empty = replace(notice, stored=None) if notice is not None else None
            return render(request, "empty.html", sync_notice=empty)
        period = day_period(latest)
    size = state.web.page_size
    found = state.store.listed_papers(period.first, period.last, order, size, (page - 1) * size)
    before, after = _neighbours(state, period)
    return render(
        request,
        "feed.html",
        period=period,
        cards=listed_cards(request, found.items),
        total=found.total,
        pager=pager_for(request, page, found.total, size),
        prev_url=f"/papers?{before.query}" if before else None,
        next_url=f"/papers?{after.query}" if after else None,
        prev_label=_step_label(period, "Previous"),
        next_label=_step_label(period, "Next"),
        views=_views(state, period),
        sorts=[Link(label, _with_sort(period, key), key == order) for key, label in SORTS.items()],
        sync_notice=notice,
        next_announcement=_next_announcement(state.clock()),
    )


def _next_announcement(now: datetime) -> str:
    """When arXiv next announces, in US Eastern time and in UTC (daylight saving
    followed): "Tue 24 Nov, 20:00 ET (01:00 UTC)"."""
    listing = arxiv_calendar.next_listing(arxiv_calendar.latest_listing(now))
    at = arxiv_calendar.announcement_at(listing)
    eastern, utc = at.astimezone(arxiv_calendar.EASTERN), at.astimezone(UTC)
    return f"{eastern:%a} {eastern.day} {eastern:%b}, {eastern:%H:%M} ET ({utc:%H:%M} UTC)"


def _neighbours(state: AppState, period: Period) -> tuple[Period | None, Period | None]:
    """Days step to the nearest day with papers; weeks and months step one at a time."""
    if period.kind == "date":
        before, after = state.store.listing_neighbours(period.first, period.last)
        return (day_period(before) if before else None, day_period(after) if after else None)
    return period.shifted(-1), period.shifted(1)


def _step_label(period: Period, word: str) -> str:
    return f"{word} {'day' if period.kind == 'date' else period.kind}"


def _views(state: AppState, period: Period) -> list[Link]:
    # "Day" opens the newest day of this week or month that has papers.
    newest = state.store.latest_listed_day(period.last)
    day = newest if newest is not None and newest >= period.first else period.first
    return [
        Link("Day", f"/papers?date={day.isoformat()}", period.kind == "date"),
        Link("Week", f"/papers?{week_period(day).query}", period.kind == "week"),
        Link("Month", f"/papers?{month_period(day.year, day.month).query}", period.kind == "month"),
    ]


def _with_sort(period: Period, sort: str) -> str:
    return f"/papers?{period.query}" + ("" if sort == "upvotes" else f"&sort={sort}")
