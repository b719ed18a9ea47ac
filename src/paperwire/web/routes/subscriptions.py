"""Email digests on the web: ``/subscribe``, ``/subscribe/confirm``, one-click ``/unsubscribe``.

``POST /subscribe`` (CSRF-checked) takes an address alone, or the logged-in
user's; the address gets a confirmation request and nothing else until its
link is opened and its button pressed (``POST /subscribe/confirm``): double opt-in.
``POST /unsubscribe?token=`` is the RFC 8058 one-click endpoint mail clients
call (signed token, no CSRF: there is no session), and the button that
``GET /unsubscribe`` shows; it takes effect at once, queued mail included.
Outgoing mail goes through the outbox, delivered after the response.
Subscribing is rate limited per client address and per email address (see
``security.ratelimit``); a limited request gets 429 with Retry-After.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable

from fastapi import APIRouter, BackgroundTasks, Depends, Form
from starlette.requests import Request
from starlette.responses import Response

from paperwire.mail.compose import confirmation_message
from paperwire.mail.links import SiteLinks
from paperwire.mail.outbox import deliver_pending
from paperwire.mail.settings import MailSettings
from paperwire.mail.smtp import SmtpSender
from paperwire.mail.tokens import read_token
from paperwire.store.base import PaperStore
from paperwire.store.locks import JobBusy
from paperwire.store.mail_records import FREQUENCIES, Subscriber
from paperwire.web.errors import error_response
from paperwire.web.render.templates import render
from paperwire.web.security.csrf import require_csrf
from paperwire.web.security.ratelimit import ActionLimiter, client_address, too_many
from paperwire.web.security.sessions import current_user
from paperwire.web.state import AppState, app_state, site_url

__all__ = ["mail_settings", "router"]

router = APIRouter()
log = logging.getLogger(__name__)

# One local part and a dotted host name; the confirmation mail is the real check.
_EMAIL = re.compile(
    r"^[^@\s<>,;\"]{1,64}@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9-]+)+$"
)
_MAX_EMAIL = 254
MAIL_OFF = "Mail is not configured on this server, so it cannot send digests."


def mail_settings(state: AppState) -> MailSettings:
    """Read once per app: the SMTP settings and the signing key."""
    return state.mail_settings()


def _deliver(state: AppState, mail: MailSettings) -> None:
    """Send what waits in the outbox; without SMTP it waits for `paperwire digest send`."""
    if not mail.smtp_host:
        return
    try:
        with SmtpSender(mail) as mailer:
            deliver_pending(state.store, mailer, mail.sender)
    except JobBusy:
        log.info("another process is sending mail; the confirmation waits in the outbox")


@router.get("/subscribe", include_in_schema=False)
def subscribe_form(request: Request, email: str = "") -> Response:
    user = current_user(request)
    state = app_state(request)
    current = state.store.subscriber_of_user(user.id) if user else None
    return render(
        request, "personal/subscribe.html", email=email[:_MAX_EMAIL], error=None, current=current
    )


@router.post("/subscribe", include_in_schema=False, dependencies=[Depends(require_csrf)])
def subscribe(
    request: Request,
    background: BackgroundTasks,
    email: str = Form(""),
    frequency: str = Form("daily"),
) -> Response:
    state = app_state(request)
    user = current_user(request)
    address = email.strip()
    limited = ActionLimiter(state.store, state.web).try_subscribe(
        client_address(request), address, state.clock().timestamp()
    )
    if limited is not None:
        return too_many(_refused(request, 429, address[:_MAX_EMAIL], limited.message), limited)
    problem = _email_problem(address) or (
        None if frequency in FREQUENCIES else "Choose a daily or a weekly digest."
    )
    if problem:
        return _refused(request, 400, address, problem)
    if not mail_settings(state).can_send:
        # Nothing could send the confirmation: keep no address, promise nothing.
        return _refused(request, 503, address, MAIL_OFF)
    subscriber, pending = state.store.add_subscriber(address, frequency, user.id if user else None)
    if pending:
        mail = mail_settings(state)
        links = SiteLinks(site_url(request), mail.secret)
        state.store.enqueue_messages(
            [confirmation_message(subscriber, links, mail.sender, state.today())]
        )
        background.add_task(_deliver, state, mail)
    return render(request, "personal/subscribed.html", subscriber=subscriber, pending=pending)


@router.get("/subscribe/confirm", include_in_schema=False)
def confirm_form(request: Request, token: str = "") -> Response:
    # Opening the link only asks: mail scanners open links, and must not confirm.
    found = _by_token(request, "confirm", token, lambda store, id_: store.subscriber(id_))
    if found is None:
        return error_response(request, 400, "This confirmation link is not valid.")
    return render(request, "personal/confirmed.html", subscriber=found, token=token, done=False)


@router.post("/subscribe/confirm", include_in_schema=False)
def confirm(request: Request, token: str = "") -> Response:
    found = _by_token(request, "confirm", token, lambda store, id_: store.confirm_subscriber(id_))
    if found is None:
        return error_response(request, 400, "This confirmation link is not valid.")
    return render(request, "personal/confirmed.html", subscriber=found, token=token, done=True)


@router.get("/unsubscribe", include_in_schema=False)
def unsubscribe_form(request: Request, token: str = "") -> Response:
    found = _by_token(request, "unsubscribe", token, lambda store, id_: store.subscriber(id_))
    if found is None:
        return error_response(request, 400, "This unsubscribe link is not valid.")
    return render(request, "personal/unsubscribe.html", subscriber=found, token=token, done=False)


@router.post("/unsubscribe", include_in_schema=False)
def unsubscribe(request: Request, token: str = "") -> Response:
    found = _by_token(request, "unsubscribe", token, lambda store, id_: store.unsubscribe(id_))
    if found is None:
        return error_response(request, 400, "This unsubscribe link is not valid.")
    return render(request, "personal/unsubscribe.html", subscriber=found, token=token, done=True)


def _refused(request: Request, status: int, email: str, message: str) -> Response:
    return render(
        request, "personal/subscribe.html", status=status, email=email, error=message, current=None
    )


def _by_token(
    request: Request, purpose: str, token: str, act: Callable[[PaperStore, int], Subscriber | None]
) -> Subscriber | None:
    """``act`` on the subscriber a signed token names; None for a forged or stale token."""
    state = app_state(request)
    subscriber_id = read_token(mail_settings(state).secret, purpose, token)
    return act(state.store, int(subscriber_id)) if subscriber_id else None


def _email_problem(address: str) -> str | None:
    if not address:
        return "Enter your email address."
    if len(address) > _MAX_EMAIL or not _EMAIL.match(address):
        return f"{address[:80]!r} does not look like an email address."
    return None
