"""Library folders out of the library: exports, public collections, public profiles.

/library/{folder}.bib             the folder as BibTeX: its owner's session, or ?token=
/library/{folder}.rss?token=      the folder as RSS, behind the owner's private feed token
/library/{folder}/collection      the owner's sharing page; POSTs (CSRF-checked) publish, make
                                  private again and set a note on a paper
/collections/{user}/{slug}        a public collection, with .rss and .bib beside it
/users/{name}                     a user's public profile: their public collections

The private feed token is the one the "for you" feed already uses (``mail.tokens``,
purpose "feed", the user's id): it opens only that user's folders. A folder that
is not public answers 404 at every public URL, as one that does not exist.
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import quote

from fastapi import APIRouter, Depends, Form
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from paperwire.mail.tokens import make_token, read_token
from paperwire.store.personal_records import Collection
from paperwire.store.records import ListedPaper, User
from paperwire.web.errors import error_response
from paperwire.web.render.bibtex import MEDIA_TYPE as BIBTEX_TYPE
from paperwire.web.render.bibtex import bibliography
from paperwire.web.render.comments import comment_html
from paperwire.web.render.page_helpers import listed_cards
from paperwire.web.render.syndication import MEDIA_TYPES, Channel, entries_for, rss_document
from paperwire.web.render.templates import FeedLink, render
from paperwire.web.routes import subscriptions
from paperwire.web.security.csrf import require_csrf
from paperwire.web.security.sessions import LoggedIn, current_user
from paperwire.web.state import AppState, app_state, site_url

__all__ = ["router"]

router = APIRouter()

_NOT_FOUND = "There is no such folder in your library."
_NO_COLLECTION = "There is no public collection here."
_PRIVATE = {"Cache-Control": "private, max-age=300", "X-Robots-Tag": "noindex"}


# -- a folder's exports (private) ------------------------------------------------


@router.get("/library/{folder}.bib", include_in_schema=False)
def folder_bibtex(request: Request, folder: int, token: str = "") -> Response:
    state = app_state(request)
    viewer = current_user(request)
    user_id = _token_user(state, token) if token else (viewer.id if viewer else None)
    found = state.store.folder_collection(user_id, folder) if user_id is not None else None
    if found is None:
        return error_response(request, 404, _NOT_FOUND)
    return _bibtex_response(state, found, private=True)


@router.get("/library/{folder}.rss", include_in_schema=False)
def folder_feed(request: Request, folder: int, token: str = "") -> Response:
    state = app_state(request)
    user_id = _token_user(state, token)
    found = state.store.folder_collection(user_id, folder) if user_id is not None else None
    if found is None:
        return error_response(request, 404, "This feed link is not valid.")
    base = site_url(request)
    return _rss_response(
        state,
        found,
        title=f"paperwire: {found.name}",
        page_url=f"{base}/library?folder={found.id}",
        self_url=f"{base}/library/{found.id}.rss",
        headers=_PRIVATE,
        base=base,
    )


# -- the owner's sharing page ------------------------------------------------------


@router.get("/library/{folder}/collection", include_in_schema=False)
def sharing_page(request: Request, user: LoggedIn, folder: int) -> Response:
    return _sharing(request, user, folder)


@router.post(
    "/library/{folder}/collection", include_in_schema=False, dependencies=[Depends(require_csrf)]
)
def publish(
    request: Request,
    user: LoggedIn,
    folder: int,
    title: str = Form(""),
    description: str = Form(""),
) -> Response:
    store = app_state(request).store
    return _change_folder(
        request, user, folder, lambda: store.publish_folder(user.id, folder, title, description)
    )


@router.post(
    "/library/{folder}/collection/private",
    include_in_schema=False,
    dependencies=[Depends(require_csrf)],
)
def make_private(request: Request, user: LoggedIn, folder: int) -> Response:
    store = app_state(request).store
    return _change_folder(request, user, folder, lambda: store.unpublish_folder(user.id, folder))


@router.post(
    "/library/{folder}/notes", include_in_schema=False, dependencies=[Depends(require_csrf)]
)
def set_note(
    request: Request,
    user: LoggedIn,
    folder: int,
    paper_id: str = Form(""),
    note: str = Form(""),
) -> Response:
    store = app_state(request).store
    return _change_folder(
        request, user, folder, lambda: store.set_folder_note(user.id, folder, paper_id, note)
    )


def _change_folder(
    request: Request, user: User, folder: int, change: Callable[[], object]
) -> Response:
    """Run ``change`` on the reader's own ``folder``, then back to its sharing page: 404
    for a folder they do not have, the page with the error (400) for a ``ValueError``."""
    if app_state(request).store.folder_collection(user.id, folder) is None:
        return error_response(request, 404, _NOT_FOUND)
    try:
        change()
    except ValueError as exc:
        return _sharing(request, user, folder, error=str(exc), status=400)
    return RedirectResponse(f"/library/{folder}/collection", status_code=303)


def _sharing(
    request: Request, user: User, folder: int, error: str | None = None, status: int = 200
) -> Response:
    state = app_state(request)
    found = state.store.folder_collection(user.id, folder)
    if found is None:
        return error_response(request, 404, _NOT_FOUND)
    items = state.store.collection_items(found.id)
    papers = state.store.get_papers([item.paper_id for item in items])
    token = make_token(subscriptions.mail_settings(state).secret, "feed", str(user.id))
    base = site_url(request)
    return render(
        request,
        "personal/collection_edit.html",
        status=status,
        collection=found,
        items=[(item, papers[item.paper_id]) for item in items if item.paper_id in papers],
        bib_url=f"/library/{found.id}.bib",
        private_bib_url=f"{base}/library/{found.id}.bib?token={token}",
        private_feed_url=f"{base}/library/{found.id}.rss?token={token}",
        error=error,
    )


# -- public pages --------------------------------------------------------------------


@router.get("/collections/{username}/{slug}.rss", include_in_schema=False)
def collection_feed(request: Request, username: str, slug: str) -> Response:
    state = app_state(request)
    found = state.store.public_collection(username, slug)
    if found is None:
        return error_response(request, 404, _NO_COLLECTION)
    base = site_url(request)
    path = _collection_path(found)
    return _rss_response(
        state,
        found,
        title=f"{found.shown_title} (a collection by {found.owner})",
        page_url=f"{base}{path}",
        self_url=f"{base}{path}.rss",
        headers={"Cache-Control": "public, max-age=300"},
        base=base,
    )


@router.get("/collections/{username}/{slug}.bib", include_in_schema=False)
def collection_bibtex(request: Request, username: str, slug: str) -> Response:
    state = app_state(request)
    found = state.store.public_collection(username, slug)
    if found is None:
        return error_response(request, 404, _NO_COLLECTION)
    return _bibtex_response(state, found, private=False)


@router.get("/collections/{username}/{slug}", include_in_schema=False)
def collection_page(request: Request, username: str, slug: str) -> Response:
    state = app_state(request)
    found = state.store.public_collection(username, slug)
    if found is None:
        return error_response(request, 404, _NO_COLLECTION)
    if found.owner != username:  # the name as registered, for one URL per collection
        return RedirectResponse(_collection_path(found), status_code=301)
    items = state.store.collection_items(found.id)
    listed = state.store.listed_with_votes([item.paper_id for item in items])
    notes = {item.paper_id: item.note for item in items if item.note}
    path = _collection_path(found)
    viewer = current_user(request)
    cards = listed_cards(request, listed)
    for card in cards:  # the owner's Markdown, rendered and sanitised as comments are
        card.note = comment_html(notes[card.id]) if card.id in notes else None
    return render(
        request,
        "collection.html",
        collection=found,
        description_html=comment_html(found.description or ""),
        cards=cards,
        path=path,
        is_owner=viewer is not None and viewer.id == found.user_id,
        feeds=(FeedLink(f"{found.shown_title} (RSS)", f"{path}.rss", "rss"),),
    )


@router.get("/users/{username}", include_in_schema=False)
def profile_page(request: Request, username: str) -> Response:
    store = app_state(request).store
    found = store.user_by_name(username)
    if found is None:
        return error_response(request, 404, "There is no user by that name here.")
    user = found[0]
    if user.username != username:
        return RedirectResponse(f"/users/{quote(user.username, safe='')}", status_code=301)
    collections = store.public_collections(user.id)
    return render(request, "profile.html", profile=user, collections=collections)


# -- shared ----------------------------------------------------------------------------


def _token_user(state: AppState, token: str) -> int | None:
    subject = read_token(subscriptions.mail_settings(state).secret, "feed", token)
    return int(subject) if subject and subject.isdigit() else None


def _collection_path(collection: Collection) -> str:
    return f"/collections/{quote(collection.owner, safe='')}/{collection.slug}"


def _listed(state: AppState, collection: Collection) -> tuple[list[ListedPaper], dict[str, str]]:
    items = state.store.collection_items(collection.id)
    # Deleted papers stay in a library (marked there), but a feed or a file leaves them out.
    listed = [
        item
        for item in state.store.listed_with_votes([i.paper_id for i in items])
        if not item.paper.deleted
    ]
    return listed, {item.paper_id: item.note for item in items if item.note}


def _rss_response(
    state: AppState,
    collection: Collection,
    *,
    title: str,
    page_url: str,
    self_url: str,
    headers: dict[str, str],
    base: str,
) -> Response:
    listed, notes = _listed(state, collection)
    channel = Channel(
        title=title,
        description=collection.description or f"Papers in {collection.shown_title}.",
        page_url=page_url,
        self_url=self_url,
        entries=entries_for(base, listed, notes),
    )
    return Response(rss_document(channel), media_type=MEDIA_TYPES["rss"], headers=headers)


def _bibtex_response(state: AppState, collection: Collection, *, private: bool) -> Response:
    listed, notes = _listed(state, collection)
    filename = (collection.slug or f"folder-{collection.id}") + ".bib"
    headers = dict(_PRIVATE) if private else {"Cache-Control": "public, max-age=300"}
    headers["Content-Disposition"] = f'inline; filename="{filename}"'
    body = bibliography([item.paper for item in listed], notes)
    return Response(body, media_type=BIBTEX_TYPE, headers=headers)
