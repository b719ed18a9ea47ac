"""Server-side sessions: who is logged in, starting a session (rotated) and ending it.

The cookie holds a random token; the store keeps only its SHA-256, so a
copy of the database opens no session. The cookie is HttpOnly and
SameSite=Lax (and Secure when configured). Logging in always makes a new
token and drops the one presented, so a token planted before login is
worthless after it (no session fixation).
"""

from __future__ import annotations

import hashlib
import secrets
from typing import Annotated

from fastapi import Depends
from starlette.requests import Request
from starlette.responses import Response

from paperwire.store.records import User
from paperwire.web.state import app_state

__all__ = [
    "SESSION_COOKIE",
    "LoggedIn",
    "LoginRequired",
    "current_user",
    "end_session",
    "require_user",
    "session_csrf",
    "start_session",
]

SESSION_COOKIE = "pw_session"
_UNSET = object()


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def current_user(request: Request) -> User | None:
    """The logged-in user of this request, or None (looked up once per request)."""
    found = getattr(request.state, "pw_user", _UNSET)
    if found is None or isinstance(found, User):  # looked up already (set below)
        return found
    user, csrf = None, None
    token = request.cookies.get(SESSION_COOKIE)
    if token and len(token) < 200:
        state = app_state(request)
        row = state.store.session_user(_token_hash(token), state.clock().timestamp())
        if row is not None:
            user, csrf = row
    request.state.pw_user = user
    request.state.pw_session_csrf = csrf
    return user


class LoginRequired(Exception):
    """This page is a user's own: the visitor is sent to log in, then back to it."""


def require_user(request: Request) -> User:
    """A dependency for a logged-in user's pages and actions."""
    user = current_user(request)
    if user is None:
        raise LoginRequired
    return user


# A user's own pages and actions take this parameter: a visitor is sent to log in.
LoggedIn = Annotated[User, Depends(require_user)]


def session_csrf(request: Request) -> str | None:
    """The CSRF token of the logged-in session, or None."""
    current_user(request)
    return request.state.pw_session_csrf


def start_session(request: Request, response: Response, user: User) -> None:
    state = app_state(request)
    old = request.cookies.get(SESSION_COOKIE)
    if old:
        state.store.delete_session(_token_hash(old))
    token = secrets.token_urlsafe(32)
    now = state.clock().timestamp()
    lifetime = state.web.session_days * 86400
    state.store.create_session(
        _token_hash(token), user.id, secrets.token_urlsafe(32), now, now + lifetime
    )
    response.set_cookie(
        SESSION_COOKIE,
        token,
        max_age=lifetime,
        path="/",
        httponly=True,
        samesite="lax",
        secure=state.web.secure_cookies,
    )


def end_session(request: Request, response: Response) -> None:
    token = request.cookies.get(SESSION_COOKIE)
    if token:
        app_state(request).store.delete_session(_token_hash(token))
    response.delete_cookie(
        SESSION_COOKIE,
        path="/",
        httponly=True,
        samesite="lax",
        secure=app_state(request).web.secure_cookies,
    )
