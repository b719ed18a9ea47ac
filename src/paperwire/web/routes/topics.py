"""``/topics/{keyphrase}``: the papers that share a keyphrase, their weeks, a follow button.

Any spelling of a keyphrase reaches its topic: the path is read by
``paperwire.phrases.topic_key`` and a spelling other than the key itself
redirects to the key's page (``/topics/LLMs`` to ``/topics/large%20language%20model``).
"""

from __future__ import annotations

from fastapi import APIRouter
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from paperwire.application.topic_weeks import topic_weeks
from paperwire.phrases import topic_key
from paperwire.store.records import ListedPaper
from paperwire.web.errors import error_response
from paperwire.web.render.cards import topic_url
from paperwire.web.render.page_helpers import cached, listed_cards, page_number, pager_for
from paperwire.web.render.templates import render
from paperwire.web.render.topic_chart import weekly_chart
from paperwire.web.security.sessions import current_user
from paperwire.web.state import app_state

__all__ = ["router"]

router = APIRouter()

CHART_WEEKS = 26


@router.get("/topics/{phrase:path}", include_in_schema=False)
def topic_page(request: Request, phrase: str, page: str | None = None) -> Response:
    number = page_number(page)
    key = topic_key(phrase)
    if not key:
        return error_response(request, 404, f"no topic {phrase!r}: a topic needs a word")
    if key != phrase:
        query = f"?{request.url.query}" if request.url.query else ""
        return RedirectResponse(topic_url(key) + query, status_code=301)
    return cached(request, lambda: _topic(request, key, number))


def _topic(request: Request, key: str, page: int) -> Response:
    state = app_state(request)
    size = state.web.page_size
    papers, total = state.store.papers_with_keyphrase(key, size, (page - 1) * size)
    if total == 0:
        return error_response(request, 404, f"no paper has the keyphrase {key!r} yet")
    label = state.store.keyphrase_label(key) or key
    votes = state.store.local_votes(p.id for p in papers)
    cards = listed_cards(request, [ListedPaper(p, votes.get(p.id, 0)) for p in papers])
    weeks = topic_weeks(state.store, key, weeks=CHART_WEEKS)
    user = current_user(request)
    followed = user is not None and any(
        f.kind == "topic" and f.value.casefold() == key for f in state.store.follows(user.id)
    )
    return render(
        request,
        "topic.html",
        key=key,
        label=label,
        total=total,
        chart=weekly_chart(weeks, label),
        weeks=weeks,
        cards=cards,
        followed=followed,
        pager=pager_for(request, page, total, size),
    )
