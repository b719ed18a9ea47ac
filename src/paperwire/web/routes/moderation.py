"""Moderation: the queue of reported comments, the audit log, hide, unhide, ban.

GET  /moderation                         open reports, each with the revision reported
GET  /moderation/log                     every moderation action, newest first
POST /moderation/comments/{n}/hide       hide (hidden=1) or unhide (hidden=0) a comment
POST /moderation/comments/{n}/dismiss    close a comment's reports, leaving it as it is
POST /moderation/ban, /moderation/unban  ban a user by name (sessions end, comments hidden)
Moderators and admins only (``paperwire users grant moderator NAME``); everyone
else gets 403. Every POST is CSRF-checked; the rules and the audit entries are
``application.discussion``'s and the store's.
"""

from __future__ import annotations

from fastapi import APIRouter, Depends, Form
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from paperwire.application import discussion
from paperwire.application.discussion import Forbidden
from paperwire.store.discussion_records import NotFound
from paperwire.store.records import User
from paperwire.web.errors import error_response
from paperwire.web.render.discussion_view import views_of
from paperwire.web.render.templates import render
from paperwire.web.security.csrf import require_csrf
from paperwire.web.security.sessions import LoggedIn
from paperwire.web.state import app_state

__all__ = ["router"]

router = APIRouter()

ONLY_MODERATORS = "Only moderators can see this page."


def _is_moderator(request: Request, user: User) -> bool:
    return discussion.is_moderator(app_state(request).store, user)


@router.get("/moderation", include_in_schema=False)
def queue(request: Request, user: LoggedIn, done: str = "") -> Response:
    if not _is_moderator(request, user):
        return error_response(request, 403, ONLY_MODERATORS)
    store = app_state(request).store
    reports = store.open_reports()
    reported = views_of(
        store,
        [r.comment for r in reports],
        user,
        True,
    )
    return render(
        request,
        "discussion/moderation.html",
        items=list(zip(reports, reported, strict=True)),
        done=done[:200],
    )


@router.get("/moderation/log", include_in_schema=False)
def log_page(request: Request, user: LoggedIn) -> Response:
    if not _is_moderator(request, user):
        return error_response(request, 403, ONLY_MODERATORS)
    entries = app_state(request).store.audit_log(limit=200)
    return render(request, "discussion/audit_log.html", entries=entries)


@router.post(
    "/moderation/comments/{comment_id}/hide",
    include_in_schema=False,
    dependencies=[Depends(require_csrf)],
)
def hide(request: Request, user: LoggedIn, comment_id: str, hidden: str = Form("1")) -> Response:
    state = app_state(request)
    try:
        discussion.set_hidden(
            state.store, user, _id(comment_id), hidden != "0", state.clock().timestamp()
        )
    except Forbidden as exc:
        return error_response(request, 403, str(exc))
    except NotFound:
        return error_response(request, 404, "There is no such comment here.")
    return RedirectResponse("/moderation?done=" + ("hidden" if hidden != "0" else "unhidden"), 303)


@router.post(
    "/moderation/comments/{comment_id}/dismiss",
    include_in_schema=False,
    dependencies=[Depends(require_csrf)],
)
def dismiss(request: Request, user: LoggedIn, comment_id: str) -> Response:
    state = app_state(request)
    try:
        discussion.dismiss_reports(state.store, user, _id(comment_id), state.clock().timestamp())
    except Forbidden as exc:
        return error_response(request, 403, str(exc))
    return RedirectResponse("/moderation?done=dismissed", 303)


@router.post("/moderation/ban", include_in_schema=False, dependencies=[Depends(require_csrf)])
def ban(
    request: Request, user: LoggedIn, username: str = Form(""), reason: str = Form("")
) -> Response:
    state = app_state(request)
    try:
        discussion.ban_user(state.store, user, username, reason, state.clock().timestamp())
    except Forbidden as exc:
        return error_response(request, 403, str(exc))
    except NotFound:
        return error_response(request, 404, f"There is no user {username[:40]!r} here.")
    return RedirectResponse("/moderation?done=banned", 303)


@router.post("/moderation/unban", include_in_schema=False, dependencies=[Depends(require_csrf)])
def unban(request: Request, user: LoggedIn, username: str = Form("")) -> Response:
    state = app_state(request)
    try:
        discussion.unban_user(state.store, user, username, state.clock().timestamp())
    except Forbidden as exc:
        return error_response(request, 403, str(exc))
    except NotFound:
        return error_response(request, 404, f"There is no user {username[:40]!r} here.")
    return RedirectResponse("/moderation?done=unbanned", 303)


def _id(raw: str) -> int:
    if not raw.isdigit() or len(raw) > 18:
        raise NotFound(raw)
    return int(raw)
