"""CSRF tokens on every state-changing request (all of them POST).

A logged-in user's token is their session's, kept server-side. A visitor
who is not logged in (the login and registration forms) gets a signed
random token in an HttpOnly cookie, and the form must echo it (the
double-submit pattern; the signature stops a cookie planted from elsewhere
being accepted). Either way the token arrives in the form field
``csrf_token`` or the ``X-CSRF-Token`` header (the page's script sends it).
A request whose Origin header names another site is refused as well.

Pages carry the token masked afresh on every response (``masked_csrf_token``:
a random pad and the token XORed with it, as Django does), so that a page
compressed in transit and echoing what a visitor typed does not reveal the
token through its compressed length (the BREACH attack,
https://www.breachattack.com/). The check accepts the masked form and the
plain token alike.
"""

from __future__ import annotations

import base64
import binascii
import hmac
import secrets
from urllib.parse import urlsplit

from itsdangerous import BadSignature, Signer
from starlette.requests import Request
from starlette.responses import Response

from paperwire.web.security.sessions import session_csrf
from paperwire.web.state import app_state

__all__ = [
    "ANON_COOKIE",
    "CsrfFailed",
    "apply_csrf_cookie",
    "check_csrf",
    "csrf_token",
    "masked_csrf_token",
    "require_csrf",
    "unmask_csrf_token",
]

ANON_COOKIE = "pw_csrf"
FIELD = "csrf_token"
HEADER = "x-csrf-token"


class CsrfFailed(Exception):
    """The request's CSRF token is missing or wrong; the message says what to do."""


def _signer(request: Request) -> Signer:
    return Signer(app_state(request).web.secret_key, salt="paperwire-csrf")


def csrf_token(request: Request) -> str:
    """The token forms on this page must carry (made, and its cookie queued, if need be)."""
    token = session_csrf(request)
    if token is not None:
        return token
    fresh = getattr(request.state, "pw_new_csrf", None)
    if fresh is not None:
        return str(fresh)
    cookie = request.cookies.get(ANON_COOKIE)
    if cookie and _valid_signature(request, cookie):
        return cookie
    fresh = _signer(request).sign(secrets.token_urlsafe(24)).decode("ascii")
    request.state.pw_new_csrf = fresh
    return fresh


def masked_csrf_token(request: Request) -> str:
    """``csrf_token`` under a fresh one-time pad: different bytes in every page, the same
    token to ``check_csrf`` (see the module docstring: BREACH)."""
    token = csrf_token(request).encode("utf-8")
    pad = secrets.token_bytes(len(token))
    masked = bytes(a ^ b for a, b in zip(token, pad, strict=True))
    return "m." + base64.urlsafe_b64encode(pad + masked).decode("ascii").rstrip("=")


def unmask_csrf_token(sent: str) -> str:
    """The token a ``masked_csrf_token`` value carries; any other value unchanged."""
    if not sent.startswith("m."):
        return sent
    body = sent[2:]
    try:
        raw = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
    except (binascii.Error, ValueError):
        return sent
    half = len(raw) // 2
    if len(raw) % 2 or half == 0:
        return sent
    token = bytes(a ^ b for a, b in zip(raw[half:], raw[:half], strict=True))
    return token.decode("utf-8", "replace")


def apply_csrf_cookie(request: Request, response: Response) -> None:
    """Set the anonymous token's cookie if this request made one."""
    fresh = getattr(request.state, "pw_new_csrf", None)
    if fresh is not None:
        response.set_cookie(
            ANON_COOKIE,
            fresh,
            path="/",
            httponly=True,
            samesite="lax",
            secure=app_state(request).web.secure_cookies,
        )


def check_csrf(request: Request, sent: str | None) -> None:
    """Raise CsrfFailed unless ``sent`` is this visitor's token and the origin is ours."""
    _check_origin(request)
    expected = session_csrf(request)
    if expected is None:
        cookie = request.cookies.get(ANON_COOKIE)
        expected = cookie if cookie and _valid_signature(request, cookie) else None
    if sent:
        sent = unmask_csrf_token(sent)
    if (
        not sent
        or expected is None
        or not sent.isascii()
        or not hmac.compare_digest(sent, expected)
    ):
        raise CsrfFailed(
            "This form has expired or did not come from this site. "
            "Go back, reload the page and send it again."
        )


async def require_csrf(request: Request) -> None:
    """A dependency for POST routes: checks the form field or the header."""
    sent = request.headers.get(HEADER)
    if sent is None:
        form = await request.form()
        value = form.get(FIELD)
        sent = value if isinstance(value, str) else None
    check_csrf(request, sent)


def _valid_signature(request: Request, value: str) -> bool:
    try:
        _signer(request).unsign(value)
    except BadSignature:
        return False
    return True


def _check_origin(request: Request) -> None:
    origin = request.headers.get("origin")
    if origin is None:  # not a browser, or an old one: the token alone decides
        return
    host = request.headers.get("host", "")
    if urlsplit(origin).netloc != host:
        raise CsrfFailed("This request came from another site and was refused.")
