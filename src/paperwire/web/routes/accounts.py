"""Accounts: ``/register``, ``/login`` and ``/logout`` (POST), all CSRF-checked.

Passwords are hashed with argon2id. Logging in starts a new server-side
session (rotating any earlier one). Failed logins are limited per address
and per account, account creation per address; a limited request gets 429
with Retry-After. ``next=`` sends the browser back only to a local path.
"""

from __future__ import annotations

import re

from fastapi import APIRouter, Depends, Form
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from paperwire.store.accounts import UsernameTaken
from paperwire.web.render.templates import render
from paperwire.web.security.csrf import require_csrf
from paperwire.web.security.passwords import (
    MAX_PASSWORD,
    MIN_PASSWORD,
    hash_password,
    needs_rehash,
    verify_password,
)
from paperwire.web.security.ratelimit import Limited, LoginLimiter, client_address, too_many
from paperwire.web.security.redirects import safe_next
from paperwire.web.security.sessions import end_session, start_session
from paperwire.web.state import app_state

__all__ = ["USERNAME_RULE", "router"]

router = APIRouter()

USERNAME_RULE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{2,31}$")


def _limiter(request: Request) -> LoginLimiter:
    state = app_state(request)
    return LoginLimiter(state.store, state.web)


def _form(request: Request, page: str, status: int = 200, **context: object) -> Response:
    context.setdefault("error", None)
    context.setdefault("username", "")
    context.setdefault("next", "/")
    return render(request, page, status=status, min_password=MIN_PASSWORD, **context)


def _limited(request: Request, page: str, limited: Limited, **context: object) -> Response:
    return too_many(_form(request, page, status=429, error=limited.message, **context), limited)


@router.get("/login", include_in_schema=False)
def login_form(request: Request, next: str | None = None) -> Response:
    return _form(request, "login.html", next=safe_next(next))


@router.post("/login", include_in_schema=False, dependencies=[Depends(require_csrf)])
def login(
    request: Request,
    username: str = Form(""),
    password: str = Form(""),
    next: str = Form("/"),
) -> Response:
    state = app_state(request)
    target = safe_next(next)
    now = state.clock().timestamp()
    limiter = _limiter(request)
    name = username.strip()[:64]
    limited = limiter.check_login(client_address(request), name, now)
    if limited is not None:
        return _limited(request, "login.html", limited, username=name, next=target)
    found = state.store.user_by_name(name) if name else None
    stored_hash = found[1] if found else None
    if found is None or len(password) > MAX_PASSWORD or not verify_password(stored_hash, password):
        limiter.login_failed(client_address(request), name, now)
        return _form(
            request,
            "login.html",
            status=401,
            error="Wrong user name or password.",
            username=name,
            next=target,
        )
    user, password_hash = found
    if state.store.is_banned(user.id):
        # A banned account's sessions are ended; logging in again would start a new one.
        return _form(
            request,
            "login.html",
            status=403,
            error="A moderator banned this account from the discussion, which ended its"
            " sessions: it can no longer log in here.",
            username=name,
            next=target,
        )
    limiter.login_succeeded(name)
    if needs_rehash(password_hash):
        state.store.set_password_hash(user.id, hash_password(password))
    response = RedirectResponse(target, status_code=303)
    start_session(request, response, user)
    return response


@router.get("/register", include_in_schema=False)
def register_form(request: Request, next: str | None = None) -> Response:
    return _form(request, "register.html", next=safe_next(next))


@router.post("/register", include_in_schema=False, dependencies=[Depends(require_csrf)])
def register(
    request: Request,
    username: str = Form(""),
    password: str = Form(""),
    confirm: str = Form(""),
    next: str = Form("/"),
) -> Response:
    state = app_state(request)
    target = safe_next(next)
    now = state.clock().timestamp()
    name = username.strip()
    limited = _limiter(request).check_register(client_address(request), now)
    if limited is not None:
        return _limited(request, "register.html", limited, username=name[:64], next=target)
    problem = _registration_problem(name, password, confirm)
    if problem is None:
        try:
            user = state.store.create_user(name, hash_password(password))
        except UsernameTaken:
            problem = "That user name is taken; choose another."
    if problem is not None:
        return _form(
            request, "register.html", status=400, error=problem, username=name[:64], next=target
        )
    _limiter(request).registered(client_address(request), now)
    response = RedirectResponse(target, status_code=303)
    start_session(request, response, user)
    return response


@router.post("/logout", include_in_schema=False, dependencies=[Depends(require_csrf)])
def logout(request: Request) -> Response:
    response = RedirectResponse("/", status_code=303)
    end_session(request, response)
    return response


def _registration_problem(name: str, password: str, confirm: str) -> str | None:
    if not USERNAME_RULE.match(name):
        return (
            "A user name is 3 to 32 letters, digits, dots, dashes or underscores, "
            "starting with a letter or digit."
        )
    if not MIN_PASSWORD <= len(password) <= MAX_PASSWORD:
        return f"A password needs at least {MIN_PASSWORD} characters."
    if password != confirm:
        return "The two passwords differ."
    return None
