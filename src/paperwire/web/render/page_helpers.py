"""What every page router shares: the page cache, paging links, the user's votes and
marks on the cards, and the error a bad parameter raises.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import quote

from starlette.requests import Request
from starlette.responses import Response

from paperwire.store.records import ListedPaper
from paperwire.web.render.cards import PaperCard, cards_for, with_keyphrases
from paperwire.web.render.summary_lines import attach_summaries
from paperwire.web.render.sync_notice import current_sync_notice
from paperwire.web.security.sessions import current_user
from paperwire.web.state import app_state

__all__ = ["BadParameter", "Pager", "cached", "listed_cards", "page_number", "pager_for"]

MAX_PAGE = 10_000


class BadParameter(ValueError):
    """A query parameter that cannot be used; ``where`` names it. Shown with status 400."""

    def __init__(self, where: str, message: str) -> None:
        super().__init__(message)
        self.where = where
        self.message = message


@dataclass(frozen=True, slots=True)
class Pager:
    page: int
    pages: int
    prev_url: str | None
    next_url: str | None


def page_number(raw: str | None, name: str = "page") -> int:
    if raw is None or raw == "":
        return 1
    if not raw.isdigit() or not 1 <= int(raw) <= MAX_PAGE:
        raise BadParameter(name, f"{name} must be a whole number from 1 to {MAX_PAGE}, not {raw!r}")
    return int(raw)


def pager_for(request: Request, page: int, total: int, per_page: int) -> Pager:
    pages = max(1, -(-total // per_page))

    def url(number: int) -> str:
        params = [(k, v) for k, v in request.query_params.multi_items() if k != "page"]
        if number > 1:
            params.append(("page", str(number)))
        query = "&".join(f"{k}={quote(v, safe='')}" for k, v in params)
        return request.url.path + (f"?{query}" if query else "")

    return Pager(
        page,
        pages,
        url(page - 1) if page > 1 else None,
        url(page + 1) if page < pages else None,
    )


def listed_cards(
    request: Request, listed: list[ListedPaper], why: dict[str, str] | None = None
) -> list[PaperCard]:
    """Cards for ``listed``, marked with the logged-in user's votes, saved, dismissed and
    seen papers (one query for the whole list), with their summaries, keyphrases,
    thumbnails and comment counts (imported plus local). These pages are never
    cached: ``cached`` serves only visitors who are not logged in."""
    user = current_user(request)
    store = app_state(request).store
    attach_summaries(store, listed)
    if user is None:
        cards = cards_for(listed, None, why)
    else:
        marks = store.paper_marks(user.id, [i.paper.id for i in listed])
        voted = {paper_id for paper_id, mark in marks.items() if mark.voted}
        cards = cards_for(listed, voted, why, marks)
    sizes = store.thumbnail_sizes(card.id for card in cards)
    local = store.comment_counts([card.id for card in cards])
    for card in cards:
        card.thumbnail = sizes.get(card.id)
        card.comments = (card.paper.num_comments or 0) + local.get(card.id, 0)
    return with_keyphrases(store, cards)


def cached(request: Request, build: Callable[[], Response], variant: str = "") -> Response:
    """``build()``'s response, reused for visitors who are not logged in while the store
    and the votes are unchanged (see ``PageCache``); ``variant`` is what else the page
    shows that the store's versions do not follow, part of the key, as is the sync
    notice every page shows."""
    state = app_state(request)
    if current_user(request) is not None or not state.cache.enabled:
        return build()
    notice = current_sync_notice(state)
    variant += "#" + notice.text if notice is not None else ""
    key = request.url.path + "?" + request.url.query + ("#" + variant if variant else "")
    version = state.version()
    page = state.cache.get(key, version)
    if page is not None:
        return Response(page.body, page.status, headers={"content-type": page.media_type})
    response = build()
    if response.status_code == 200 and "set-cookie" not in response.headers:
        content_type = response.headers.get("content-type", "text/html; charset=utf-8")
        state.cache.put(key, version, bytes(response.body), 200, content_type)
    return response
