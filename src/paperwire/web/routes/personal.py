"""A reader's own pages: the library (with folders), follows, and the "for you" feed.

/for-you                 recommendations, each with its reason; POST /for-you/seen hides them
/for-you/feed.rss?token= the same as RSS, behind a private signed token (no cookie needed)
/library                 saved papers; POST /library/save, /library/remove, /library/folders
/follows                 authors, organisations, keywords, saved searches; POST /follows
POST /for-you/dismiss   "not interested"
Every POST is CSRF-checked and needs a logged-in user; email subscriptions
live in ``subscriptions`` and the undo routes of triage in ``triage``, both hung
under this router. Saving, removing, dismissing and marking seen answer the
page's script with JSON and a plain form with a redirect (``triage.triaged``).
"""

from __future__ import annotations

from fastapi import APIRouter, Depends, Form
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from paperwire.mail.links import SiteLinks
from paperwire.mail.tokens import read_token
from paperwire.rank.recommend import ForYou, recommend_for_user
from paperwire.store.personal_records import FOLLOW_KINDS
from paperwire.store.records import ListedPaper, User
from paperwire.web.errors import error_response
from paperwire.web.render.page_helpers import listed_cards
from paperwire.web.render.syndication import MEDIA_TYPES, Channel, entries_for, rss_document
from paperwire.web.render.templates import render
from paperwire.web.routes import subscriptions, triage
from paperwire.web.security.csrf import require_csrf
from paperwire.web.security.redirects import safe_next
from paperwire.web.security.sessions import LoggedIn
from paperwire.web.state import app_state, site_url

__all__ = ["router"]

router = APIRouter()
router.include_router(subscriptions.router)
router.include_router(triage.router)

FEED_ITEMS = 30


def _back(next_path: str | None, default: str) -> RedirectResponse:
    return RedirectResponse(safe_next(next_path, default), status_code=303)


def _for_you(request: Request, user: User, limit: int) -> ForYou:
    state = app_state(request)
    return recommend_for_user(state.store, user.id, today=state.today(), limit=limit)


@router.get("/for-you", include_in_schema=False)
def for_you_page(
    request: Request, user: LoggedIn, done: str | None = None, paper: str | None = None
) -> Response:
    """The recommendations; ``done`` and ``paper`` (set by a triage form's redirect) name
    what was just done, shown as a note with its undo."""
    state = app_state(request)
    found = _for_you(request, user, state.web.page_size)
    votes = state.store.local_votes(r.paper.id for r in found.items)
    listed = [ListedPaper(r.paper, votes.get(r.paper.id, 0)) for r in found.items]
    cards = listed_cards(request, listed, {r.paper.id: r.why for r in found.items})
    secret = subscriptions.mail_settings(state).secret
    feed_url = SiteLinks(site_url(request), secret).for_you_feed(user.id)
    page = render(
        request,
        "personal/for_you.html",
        found=found,
        cards=cards,
        feed_url=feed_url,
        triage_in="for-you",
        notice=triage.notice_for(request, done, paper),
    )
    # The private feed link is a secret no mask can hide: never compressed (BREACH).
    page.headers["cache-control"] = "private, no-store, no-transform"
    return page


@router.post("/for-you/seen", include_in_schema=False, dependencies=[Depends(require_csrf)])
async def mark_seen(request: Request, user: LoggedIn) -> Response:
    """Mark the papers ``paper_id`` (one, from a card, or a whole page of them) seen."""
    form = await request.form()
    ids = [str(v)[:64] for v in form.getlist("paper_id")][:200]
    next_path = str(form.get("next") or "")
    if len(ids) == 1:
        if (missing := triage.unknown_paper(request, ids[0])) is not None:
            return missing
        app_state(request).store.mark_seen(user.id, ids)
        view = str(form.get("view") or "")
        return triage.triaged(request, ids[0], "seen", next_path, "/for-you", view)
    app_state(request).store.mark_seen(user.id, ids)
    return _back(next_path, "/for-you")


@router.get("/for-you/feed.rss", include_in_schema=False)
def for_you_feed(request: Request, token: str = "") -> Response:
    state = app_state(request)
    subject = read_token(subscriptions.mail_settings(state).secret, "feed", token)
    if subject is None:
        return error_response(request, 404, "This feed link is not valid.")
    user_id = int(subject)
    found = recommend_for_user(state.store, user_id, today=state.today(), limit=FEED_ITEMS)
    base = site_url(request)
    listed = [ListedPaper(r.paper, 0) for r in found.items]
    channel = Channel(
        title="paperwire: for you",
        description="Recent papers picked for you, each with the reason why.",
        page_url=f"{base}/for-you",
        self_url=f"{base}/for-you/feed.rss",
        entries=entries_for(base, listed, {r.paper.id: r.why for r in found.items}),
    )
    headers = {"Cache-Control": "private, max-age=300", "X-Robots-Tag": "noindex"}
    return Response(rss_document(channel), media_type=MEDIA_TYPES["rss"], headers=headers)


@router.get("/library", include_in_schema=False)
def library_page(request: Request, user: LoggedIn, folder: int | None = None) -> Response:
    store = app_state(request).store
    folders = store.folders(user.id)
    if folder is not None and folder not in {f.id for f in folders}:
        return error_response(request, 404, "There is no such folder in your library.")
    saved = store.library(user.id, folder)
    cards = listed_cards(request, store.listed_with_votes([s.paper_id for s in saved]))
    return render(request, "personal/library.html", cards=cards, folders=folders, folder=folder)


@router.post("/library/save", include_in_schema=False, dependencies=[Depends(require_csrf)])
def save(
    request: Request, user: LoggedIn, form: triage.TriageFields, folder: str = Form("")
) -> Response:
    store = app_state(request).store
    if (missing := triage.unknown_paper(request, form.paper_id)) is not None:
        return missing
    try:
        folder_id = store.create_folder(user.id, folder).id if folder.strip() else None
        store.save_paper(user.id, form.paper_id, folder_id)
    except ValueError as exc:
        return error_response(request, 400, str(exc))
    return triage.triaged(request, form.paper_id, "saved", form.next, "/library", form.view)


@router.post("/library/remove", include_in_schema=False, dependencies=[Depends(require_csrf)])
def remove(request: Request, user: LoggedIn, form: triage.TriageFields) -> Response:
    app_state(request).store.unsave_paper(user.id, form.paper_id)
    return triage.triaged(request, form.paper_id, "unsaved", form.next, "/library", form.view)


@router.post(
    "/library/folders/delete", include_in_schema=False, dependencies=[Depends(require_csrf)]
)
def delete_folder(request: Request, user: LoggedIn, folder: int = Form(0)) -> Response:
    app_state(request).store.delete_folder(user.id, folder)
    return _back(None, "/library")


@router.post("/for-you/dismiss", include_in_schema=False, dependencies=[Depends(require_csrf)])
def dismiss(request: Request, user: LoggedIn, form: triage.TriageFields) -> Response:
    if (missing := triage.unknown_paper(request, form.paper_id)) is not None:
        return missing
    app_state(request).store.set_not_interested(user.id, form.paper_id)
    return triage.triaged(request, form.paper_id, "dismissed", form.next, "/for-you", form.view)


@router.get("/follows", include_in_schema=False)
def follows_page(request: Request, user: LoggedIn) -> Response:
    follows = app_state(request).store.follows(user.id)
    return render(request, "personal/follows.html", follows=follows, kinds=FOLLOW_KINDS, error=None)


@router.post("/follows", include_in_schema=False, dependencies=[Depends(require_csrf)])
def follow(
    request: Request,
    user: LoggedIn,
    kind: str = Form(""),
    value: str = Form(""),
    next: str = Form(""),
) -> Response:
    store = app_state(request).store
    try:
        store.follow(user.id, kind, value)
    except ValueError as exc:
        follows = store.follows(user.id)
        return render(
            request,
            "personal/follows.html",
            status=400,
            follows=follows,
            kinds=FOLLOW_KINDS,
            error=str(exc),
        )
    return _back(next, "/follows")


@router.post("/follows/delete", include_in_schema=False, dependencies=[Depends(require_csrf)])
def unfollow(request: Request, user: LoggedIn, follow_id: int = Form(0)) -> Response:
    app_state(request).store.unfollow(user.id, follow_id)
    return _back(None, "/follows")
