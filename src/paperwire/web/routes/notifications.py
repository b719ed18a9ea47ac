"""A user's notifications: ``/notifications``, mail settings, and one-click unsubscribe.

GET  /notifications                  replies, mentions and watched papers' comments
POST /notifications/read             mark them all read (the header's count goes to 0)
POST /notifications/settings         which kinds are mailed
GET|POST /notifications/unsubscribe?token=  RFC 8058 one-click: every kind's mail off
The unsubscribe POST carries a signed token and no session (a mail client
makes it), so it needs no CSRF token; the others are a logged-in user's,
CSRF-checked.
"""

from __future__ import annotations

from fastapi import APIRouter, Depends
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from paperwire.mail.tokens import read_token
from paperwire.store.discussion_records import NOTIFICATION_KINDS
from paperwire.web.errors import error_response
from paperwire.web.render.templates import render
from paperwire.web.security.csrf import require_csrf
from paperwire.web.security.sessions import LoggedIn
from paperwire.web.state import app_state

__all__ = ["router"]

router = APIRouter()

KIND_LABELS = {
    "reply": "Replies to my comments",
    "mention": "Mentions of @me",
    "watch": "New comments on papers I watch",
}


@router.get("/notifications", include_in_schema=False)
def notifications_page(request: Request, user: LoggedIn) -> Response:
    store = app_state(request).store
    notes = store.notifications(user.id, 100)
    papers = store.get_papers({n.comment.paper_id for n in notes})
    return render(
        request,
        "discussion/notifications.html",
        notes=notes,
        titles={paper_id: paper.title for paper_id, paper in papers.items()},
        mail_kinds=store.notification_mail_kinds(user.id),
        labels=KIND_LABELS,
        address=store.subscriber_of_user(user.id),
    )


@router.post("/notifications/read", include_in_schema=False, dependencies=[Depends(require_csrf)])
def mark_read(request: Request, user: LoggedIn) -> Response:
    state = app_state(request)
    state.store.mark_notifications_read(user.id, state.clock().timestamp())
    return RedirectResponse("/notifications", 303)


@router.post(
    "/notifications/settings", include_in_schema=False, dependencies=[Depends(require_csrf)]
)
async def mail_settings(request: Request, user: LoggedIn) -> Response:
    form = await request.form()
    store = app_state(request).store
    for kind in NOTIFICATION_KINDS:
        store.set_notification_mail(user.id, kind, form.get(f"mail_{kind}") == "1")
    return RedirectResponse("/notifications", 303)


@router.get("/notifications/unsubscribe", include_in_schema=False)
def unsubscribe_form(request: Request, token: str = "") -> Response:
    if _user_of(request, token) is None:
        return error_response(request, 400, "This unsubscribe link is not valid.")
    return render(request, "discussion/unsubscribe.html", token=token, done=False)


@router.post("/notifications/unsubscribe", include_in_schema=False)
def unsubscribe(request: Request, token: str = "") -> Response:
    user_id = _user_of(request, token)
    if user_id is None:
        return error_response(request, 400, "This unsubscribe link is not valid.")
    store = app_state(request).store
    for kind in NOTIFICATION_KINDS:
        store.set_notification_mail(user_id, kind, False)
    return render(request, "discussion/unsubscribe.html", token=token, done=True)


def _user_of(request: Request, token: str) -> int | None:
    subject = read_token(app_state(request).mail_settings().secret, "notifications", token)
    return int(subject) if subject is not None and subject.isdigit() else None
