"""``/submit``: put a paper in today's feed by arXiv id or URL, fetched from arXiv's API.

Only recent papers are taken (``PAPERWIRE_SUBMIT_MAX_AGE_DAYS``, 14 by
default, counted from the first version's date): the daily feed is for new
work. The check happens before anything is written, so a refusal leaves
the store as it was. Submissions are rate limited per account and per
address (each one asks arXiv); a limited one gets 429 with Retry-After.
A paper already listed stays on the day it was listed.
"""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import APIRouter, Depends, Form
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from paperwire.ids import InvalidArxivId, parse_arxiv_id
from paperwire.ingest.arxiv_api import ArxivApiError
from paperwire.ingest.fetch import AlreadyListed, PaperNotFound, PaperTooOld, fetch_paper
from paperwire.ingest.http import FetchError
from paperwire.model import Paper
from paperwire.store.records import User
from paperwire.web.render.cards import paper_url
from paperwire.web.render.templates import render
from paperwire.web.security.csrf import require_csrf
from paperwire.web.security.ratelimit import ActionLimiter, client_address, too_many
from paperwire.web.security.sessions import LoggedIn
from paperwire.web.state import AppState, app_state

__all__ = ["SubmitRefused", "router", "submit_paper"]

router = APIRouter()


@dataclass(frozen=True, slots=True)
class SubmitRefused(Exception):
    status: int
    message: str


@router.get("/submit", include_in_schema=False)
def submit_form(request: Request, paper: str | None = None) -> Response:
    return render(request, "submit.html", value=paper or "", error=None, max_age=_max_age(request))


@router.post("/submit", include_in_schema=False, dependencies=[Depends(require_csrf)])
def submit(request: Request, user: LoggedIn, paper: str = Form("")) -> Response:
    state = app_state(request)
    limited = ActionLimiter(state.store, state.web).try_submit(
        client_address(request), user.id, state.clock().timestamp()
    )
    if limited is not None:
        refused = SubmitRefused(429, limited.message)
        return too_many(_refused(request, paper[:300], refused), limited)
    try:
        stored = submit_paper(state, paper, user)
    except SubmitRefused as refused:
        return _refused(request, paper, refused)
    if state.search is not None:
        state.search.poke()
    return RedirectResponse(paper_url(stored.id) + "?submitted=1", status_code=303)


def submit_paper(state: AppState, text: str, user: User) -> Paper:
    """Fetch, check and store one paper for ``user`` (``fetch_paper`` with today's
    listing and the age limit); raise SubmitRefused with the reason."""
    try:
        return fetch_paper(
            state.store,
            text,
            state.settings,
            list_on=state.today(),
            submitted_by=user.username,
            max_age_days=state.web.submit_max_age_days,
        )
    except InvalidArxivId:
        raise SubmitRefused(400, "That is not an arXiv id or URL (e.g. 2401.12345).") from None
    except AlreadyListed as exc:
        raise SubmitRefused(409, str(exc)) from None
    except PaperNotFound:
        raise SubmitRefused(404, f"arXiv has no paper {parse_arxiv_id(text).id}.") from None
    except PaperTooOld as exc:
        raise SubmitRefused(422, str(exc)) from None
    except (FetchError, ArxivApiError) as exc:
        raise SubmitRefused(
            502, f"arXiv could not be asked just now ({exc}). Try again later."
        ) from exc


def _refused(request: Request, value: str, refused: SubmitRefused) -> Response:
    return render(
        request,
        "submit.html",
        status=refused.status,
        value=value,
        error=refused.message,
        max_age=_max_age(request),
    )


def _max_age(request: Request) -> int:
    return app_state(request).web.submit_max_age_days
