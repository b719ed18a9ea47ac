"""Triage of one paper by the logged-in reader: save, "not interested" and "seen", with undo.

The controls every card shows (``partials/triage.html``) post to the library's and
"for you"'s routes in ``personal`` and to the two undo routes here; all of them answer
through ``triaged``: a plain form gets a redirect back (303), and the page's script
(``Accept: application/json``) gets the paper's new marks, a sentence saying what was
done and the controls rendered afresh, so the card changes in place without a reload.
In "for you", a saved, dismissed or seen paper leaves the list the next time it loads
(``rank.recommend`` hides them); the redirect names what was done (``?done=&paper=``)
and ``notice_for`` turns that into the note, with its undo, that the page shows.

POST /for-you/undismiss   take back "not interested"
POST /for-you/unseen      take back "seen"
Both are CSRF-checked, like every state change, and need a logged-in user.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Depends, Form
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response

from paperwire.web.errors import error_response
from paperwire.web.render.page_helpers import listed_cards
from paperwire.web.render.templates import render_string
from paperwire.web.security.csrf import require_csrf
from paperwire.web.security.redirects import safe_next
from paperwire.web.security.sessions import LoggedIn
from paperwire.web.state import app_state

__all__ = [
    "MESSAGES",
    "TriageFields",
    "TriageForm",
    "TriageNotice",
    "notice_for",
    "router",
    "triaged",
    "unknown_paper",
]

router = APIRouter()

# What each action did, said to the reader (a sentence; ``{title}`` is the paper's).
MESSAGES = {
    "saved": "Saved to your library: “{title}”.",
    "unsaved": "Removed from your library: “{title}”.",
    "dismissed": "Marked not interested: “{title}”. It will not be recommended to you again.",
    "undismissed": "No longer marked not interested: “{title}”.",
    "seen": "Marked seen: “{title}”. It leaves this list the next time it loads.",
    "unseen": "No longer marked seen: “{title}”.",
}
# The form that takes each action back: its URL and its button.
_UNDO = {
    "saved": ("/library/remove", "Undo save"),
    "dismissed": ("/for-you/undismiss", "Undo not interested"),
    "seen": ("/for-you/unseen", "Undo seen"),
}
_NO_STORE = {"Cache-Control": "private, no-store"}


@dataclass(frozen=True, slots=True)
class TriageNotice:
    """The note "for you" shows after a plain form's action: what was done, and its undo
    (``undo_url`` is None for an undo itself)."""

    message: str
    paper_id: str
    undo_url: str | None
    undo_label: str
    undo_next: str  # back to "for you", saying the undo was done


@dataclass(frozen=True, slots=True)
class TriageForm:
    """The fields every triage form posts: the paper, the path to go back to, and the
    view it came from ("for-you" or empty; see ``triaged``)."""

    paper_id: str
    next: str
    view: str


def _triage_form(
    paper_id: str = Form(""), next: str = Form(""), view: str = Form("")
) -> TriageForm:
    return TriageForm(paper_id, next, view)


# A route's parameter for a triage form's fields, read from the posted form.
TriageFields = Annotated[TriageForm, Depends(_triage_form)]


def unknown_paper(request: Request, paper_id: str) -> Response | None:
    """A 404 answer when the store holds no paper ``paper_id``, else None."""
    if app_state(request).store.get_paper(paper_id) is None:
        return error_response(request, 404, f"There is no paper {paper_id[:64]!r} here.")
    return None


def triaged(
    request: Request,
    paper_id: str,
    action: str,
    next_path: str,
    default: str,
    view: str = "",
) -> Response:
    """The answer to a triage form after ``action`` (a key of ``MESSAGES``) was done.

    JSON when the request accepts it: ``{"paper_id", "action", "message", "saved",
    "dismissed", "seen", "html"}``, ``html`` being the card's controls for the view the
    form came from (``view``, its field of that name: "for-you" or empty); else a 303
    redirect to ``next_path`` when it is a path on this site, or ``default``."""
    if "application/json" not in request.headers.get("accept", ""):
        return RedirectResponse(safe_next(next_path, default), status_code=303)
    found = app_state(request).store.listed_with_votes([paper_id])
    if not found:  # the paper is unknown: undo of a mark it never had
        return error_response(request, 404, f"There is no paper {paper_id[:64]!r} here.")
    [card] = listed_cards(request, found)
    html = render_string(
        request,
        "partials/triage.html",
        card=card,
        triage_in="for-you" if view == "for-you" else "",
        triage_back=safe_next(next_path, default),
        sync_notice=None,
    )
    body = {
        "paper_id": paper_id,
        "action": action,
        "message": MESSAGES[action].format(title=card.title),
        "saved": card.marks.saved,
        "dismissed": card.marks.dismissed,
        "seen": card.marks.seen,
        "html": html.strip(),
    }
    return JSONResponse(body, headers=_NO_STORE)


def notice_for(request: Request, done: str | None, paper_id: str | None) -> TriageNotice | None:
    """The note for ``?done=ACTION&paper=ID`` on "for you", or None when either is missing,
    unknown, or names no paper the store holds."""
    if not done or done not in MESSAGES or not paper_id:
        return None
    paper = app_state(request).store.get_paper(paper_id[:64])
    if paper is None:
        return None
    undo_url, undo_label = _UNDO.get(done, (None, ""))
    title = " ".join(paper.title.split())
    undo_next = f"/for-you?done=un{done}&paper={quote(paper.id, safe='')}"
    message = MESSAGES[done].format(title=title)
    return TriageNotice(message, paper.id, undo_url, undo_label, undo_next)


@router.post("/for-you/undismiss", include_in_schema=False, dependencies=[Depends(require_csrf)])
def undismiss(request: Request, user: LoggedIn, form: TriageFields) -> Response:
    app_state(request).store.set_not_interested(user.id, form.paper_id, dismissed=False)
    return triaged(request, form.paper_id, "undismissed", form.next, "/for-you", form.view)


@router.post("/for-you/unseen", include_in_schema=False, dependencies=[Depends(require_csrf)])
def unseen(request: Request, user: LoggedIn, form: TriageFields) -> Response:
    app_state(request).store.unmark_seen(user.id, form.paper_id)
    return triaged(request, form.paper_id, "unseen", form.next, "/for-you", form.view)
