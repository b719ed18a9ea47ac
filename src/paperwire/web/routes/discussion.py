"""The discussion under every paper, its permalinks, its feeds and ``/discussions``.

POST /papers/{id}/comments          post a comment or a reply (``parent_id``)
GET  /comments/{n}                  a comment's permalink: to its page of the discussion
GET|POST /comments/{n}/edit         edit one's own comment (marked "edited" with the time)
POST /comments/{n}/delete           delete one's own comment (a tombstone stays)
POST /comments/{n}/report           report a comment to the moderators
POST /papers/{id}/watch             watch a paper's discussion (notifications) or stop
GET  /discussions                   recent threads; /discussions/feed.atom their comments
GET  /discussions/{id}/feed.atom    one paper's discussion as Atom
Every POST is CSRF-checked and needs a logged-in user. Without JavaScript
each form answers with a redirect to the comment; the page's script sends
``Accept: application/json`` and gets the comment's HTML instead, so posting
does not reload the page. The rules are ``application.discussion``'s.
"""

from __future__ import annotations

import logging
from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, BackgroundTasks, Depends, Form
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response

from paperwire.application import discussion
from paperwire.application.discussion import (
    CommentRejected,
    DiscussionLimits,
    Forbidden,
    RateLimited,
    load_discussion_limits,
)
from paperwire.mail.notify import scheduled_notification_mail
from paperwire.store.discussion_records import SORTS, Comment, NotFound
from paperwire.store.records import User
from paperwire.web.errors import error_response
from paperwire.web.render.cards import paper_url
from paperwire.web.render.discussion_view import (
    PAGE_SIZE,
    comment_json,
    comments_atom,
    thread_view,
    views_of,
)
from paperwire.web.render.templates import FeedLink, render, render_string
from paperwire.web.security.csrf import require_csrf
from paperwire.web.security.sessions import LoggedIn, current_user
from paperwire.web.state import AppState, app_state, site_url

__all__ = ["discussion_context", "discussion_limits", "mail_notifications", "router", "wants_json"]

router = APIRouter()
log = logging.getLogger(__name__)

ATOM = "application/atom+xml"
RECENT = 50


def discussion_limits(state: AppState) -> DiscussionLimits:
    """The rate limits, read from the environment once per app."""
    found = state.extras.get("discussion_limits")
    if not isinstance(found, DiscussionLimits):
        found = load_discussion_limits()
        state.extras["discussion_limits"] = found
    return found


def wants_json(request: Request) -> bool:
    return "application/json" in request.headers.get("accept", "")


def discussion_context(request: Request, paper_id: str) -> dict[str, Any]:
    """What the paper page's discussion needs: a page of it, the sort, the reader's watch."""
    state = app_state(request)
    user = current_user(request)
    sort = request.query_params.get("csort", "oldest")
    sort = sort if sort in SORTS else "oldest"
    raw_page = request.query_params.get("cpage", "1")
    page = int(raw_page) if raw_page.isdigit() and 0 < len(raw_page) < 7 else 1
    moderator = discussion.is_moderator(state.store, user)
    thread = thread_view(state.store, paper_id, user, moderator, max(page, 1), sort)
    return {
        "thread": thread,
        "moderator": moderator,
        # Comments everyone can read, as cards and the API count them (no tombstones).
        "count": state.store.comment_counts([paper_id]).get(paper_id, 0),
        "watching": user is not None and state.store.is_watching(user.id, paper_id),
        "max_chars": discussion.MAX_COMMENT_CHARS,
    }


def _permalink_target(state: AppState, comment: Comment, sort: str = "oldest") -> str:
    before = state.store.comment_position(comment.id, sort) or 0
    page = before // PAGE_SIZE + 1
    query = f"?cpage={page}" + ("" if sort == "oldest" else f"&csort={sort}")
    return f"{paper_url(comment.paper_id)}{query}#comment-{comment.id}"


def _refused(request: Request, exc: Exception, retry: dict[str, str] | None = None) -> Response:
    """The answer to a use case's refusal, as a page or (for the script) JSON; ``retry``
    (the form's action, text and parent) gives the page the text back, to fix and resend."""
    if isinstance(exc, RateLimited):
        response = error_response(request, 429, str(exc))
        response.headers["Retry-After"] = str(exc.retry_after)
    elif isinstance(exc, NotFound):
        response = error_response(request, 404, str(exc)[:1].upper() + str(exc)[1:] + ".")
    elif isinstance(exc, Forbidden):
        response = error_response(request, 403, str(exc))
    else:
        response = error_response(request, 400, str(exc))
    if retry is not None and not wants_json(request) and response.status_code in (400, 429):
        page = render(
            request,
            "discussion/refused.html",
            status=response.status_code,
            message=str(exc),
            **retry,
        )
        page.headers.update({k: v for k, v in response.headers.items() if k == "retry-after"})
        return page
    if wants_json(request):
        return JSONResponse(
            {"error": str(exc), "status": response.status_code}, response.status_code
        )
    return response


def _login_first(request: Request, back: str) -> Response:
    if wants_json(request):
        return JSONResponse({"error": "Log in to take part.", "status": 401}, 401)
    return RedirectResponse("/login?next=" + quote(back, safe=""), 303)


def mail_notifications(state: AppState) -> None:
    # Replies, mentions and watchers are mailed at once when due (else the next job run).
    try:
        scheduled_notification_mail(
            state.store, state.settings, state.clock().timestamp(), wait_seconds=0.0
        )
    except Exception:
        log.exception("notification mail failed; the next run retries it")


def _answer(request: Request, state: AppState, comment: Comment, user: User) -> Response:
    if not wants_json(request):
        return RedirectResponse(_permalink_target(state, comment), 303)
    moderator = discussion.is_moderator(state.store, user)
    (view,) = views_of(state.store, [comment], user, moderator)
    html = render_string(request, "discussion/one.html", view=view, moderator=moderator)
    return JSONResponse({**comment_json(view), "fragment": html})


@router.post(
    "/papers/{paper_id:path}/comments",
    include_in_schema=False,
    dependencies=[Depends(require_csrf)],
)
def post_comment(
    request: Request,
    background: BackgroundTasks,
    paper_id: str,
    body: str = Form(""),
    parent_id: str = Form(""),
) -> Response:
    state = app_state(request)
    user = current_user(request)
    if user is None:
        return _login_first(request, paper_url(paper_id))
    try:
        parent = _comment_id(parent_id) if parent_id else None
        made = discussion.post_comment(
            state.store,
            discussion_limits(state),
            user,
            paper_id,
            body,
            state.clock().timestamp(),
            parent,
        )
    except (CommentRejected, Forbidden, RateLimited, NotFound) as exc:
        retry = {"action": f"{paper_url(paper_id)}/comments", "body": body, "parent": parent_id}
        return _refused(request, exc, retry)
    background.add_task(mail_notifications, state)
    return _answer(request, state, made, user)


@router.get("/comments/{comment_id}", include_in_schema=False)
def permalink(request: Request, comment_id: str, sort: str = "oldest") -> Response:
    state = app_state(request)
    found = state.store.comment(_comment_id_or_zero(comment_id))
    if found is None:
        return error_response(request, 404, "There is no such comment here.")
    return RedirectResponse(_permalink_target(state, found, sort if sort in SORTS else "oldest"))


@router.get("/comments/{comment_id}/edit", include_in_schema=False)
def edit_form(request: Request, comment_id: str, user: LoggedIn) -> Response:
    found = app_state(request).store.comment(_comment_id_or_zero(comment_id))
    if found is None or found.deleted:
        return error_response(request, 404, "There is no such comment here.")
    if found.user_id != user.id:
        return error_response(request, 403, "Only its author can edit a comment.")
    return render(
        request, "discussion/edit.html", comment=found, max_chars=discussion.MAX_COMMENT_CHARS
    )


@router.post(
    "/comments/{comment_id}/edit", include_in_schema=False, dependencies=[Depends(require_csrf)]
)
def edit(request: Request, comment_id: str, body: str = Form("")) -> Response:
    state = app_state(request)
    user = current_user(request)
    if user is None:
        return _login_first(request, f"/comments/{comment_id}/edit")
    try:
        changed = discussion.edit_comment(
            state.store, user, _comment_id(comment_id), body, state.clock().timestamp()
        )
    except (CommentRejected, Forbidden, NotFound) as exc:
        retry = {"action": f"/comments/{comment_id}/edit", "body": body, "parent": ""}
        return _refused(request, exc, retry)
    return _answer(request, state, changed, user)


@router.post(
    "/comments/{comment_id}/delete",
    include_in_schema=False,
    dependencies=[Depends(require_csrf)],
)
def delete(request: Request, comment_id: str) -> Response:
    state = app_state(request)
    user = current_user(request)
    if user is None:
        return _login_first(request, "/")
    try:
        gone = discussion.delete_comment(
            state.store, user, _comment_id(comment_id), state.clock().timestamp()
        )
    except (CommentRejected, Forbidden, NotFound) as exc:
        return _refused(request, exc)
    return _answer(request, state, gone, user)


@router.post(
    "/comments/{comment_id}/report",
    include_in_schema=False,
    dependencies=[Depends(require_csrf)],
)
def report(request: Request, comment_id: str, reason: str = Form("")) -> Response:
    state = app_state(request)
    user = current_user(request)
    if user is None:
        return _login_first(request, "/")
    try:
        cid = _comment_id(comment_id)
        discussion.report_comment(state.store, user, cid, reason, state.clock().timestamp())
    except (CommentRejected, Forbidden, NotFound) as exc:
        return _refused(request, exc)
    if wants_json(request):
        return JSONResponse({"reported": cid})
    return render(request, "discussion/reported.html", comment_id=cid)


@router.post(
    "/papers/{paper_id:path}/watch",
    include_in_schema=False,
    dependencies=[Depends(require_csrf)],
)
def watch(request: Request, paper_id: str, watch: str = Form("1")) -> Response:
    state = app_state(request)
    user = current_user(request)
    if user is None:
        return _login_first(request, paper_url(paper_id))
    if state.store.get_paper(paper_id) is None:
        return error_response(request, 404, f"There is no paper {paper_id[:64]!r} here.")
    on = watch == "1"
    state.store.set_watch(user.id, paper_id, on, state.clock().timestamp())
    if wants_json(request):
        return JSONResponse({"watching": on})
    return RedirectResponse(paper_url(paper_id) + "#discussion", 303)


@router.get("/discussions", include_in_schema=False)
def discussions_page(request: Request) -> Response:
    state = app_state(request)
    threads = state.store.recent_threads(RECENT)
    user = current_user(request)
    latest = views_of(state.store, [t.latest for t in threads], user, False)
    titles = {p.id: p.title for p in state.store.get_papers(t.paper_id for t in threads).values()}
    feeds = (FeedLink("Recent comments (Atom)", "/discussions/feed.atom", "atom"),)
    return render(
        request,
        "discussion/recent.html",
        threads=list(zip(threads, latest, strict=True)),
        titles=titles,
        feeds=feeds,
    )


@router.get("/discussions/feed.atom", include_in_schema=False)
def discussions_feed(request: Request) -> Response:
    state = app_state(request)
    base = site_url(request)
    body = comments_atom(
        "paperwire: recent comments",
        f"{base}/discussions",
        f"{base}/discussions/feed.atom",
        base,
        state.store.recent_comments(None, RECENT),
    )
    return Response(body, media_type=ATOM)


@router.get("/discussions/{paper_id:path}/feed.atom", include_in_schema=False)
def paper_feed(request: Request, paper_id: str) -> Response:
    state = app_state(request)
    paper = state.store.get_paper(paper_id)
    if paper is None:
        return error_response(request, 404, f"There is no paper {paper_id[:64]!r} here.")
    base = site_url(request)
    body = comments_atom(
        f"paperwire: discussion of {paper.title}",
        f"{base}{paper_url(paper.id)}#discussion",
        f"{base}/discussions/{paper.id}/feed.atom",
        base,
        state.store.recent_comments(paper.id, RECENT),
    )
    return Response(body, media_type=ATOM)


def _comment_id(raw: str) -> int:
    if not raw.isdigit() or len(raw) > 18:
        raise NotFound(f"there is no comment {raw[:20]!r}")
    return int(raw)


def _comment_id_or_zero(raw: str) -> int:
    return int(raw) if raw.isdigit() and len(raw) <= 18 else 0
