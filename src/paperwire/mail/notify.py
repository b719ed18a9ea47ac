"""Notification mail: replies, mentions and watched papers' new comments, batched per user.

One run (``queue_notification_mail``) looks at every user with notifications
not mailed yet, of kinds they take by mail, and a confirmed address; a user
last mailed less than the interval ago (an hour by default,
PAPERWIRE_NOTIFY_MAIL_INTERVAL_SECONDS) waits for a later run, so nobody gets
more than one such mail an hour. The mail and the marking of the
notifications it carries happen in one transaction under an idempotency key
made from them (``PaperStore.enqueue_notification_mail``): a run killed
anywhere never mails a notification twice, and the outbox then sends each
message once (``mail.outbox``). Every mail carries RFC 8058 one-click
unsubscribe (``List-Unsubscribe`` and ``List-Unsubscribe-Post``), which turns
off all notification mail for that user; each kind can be turned off on
``/notifications``. Comment text goes in as written, as plain text, and the
HTML part is autoescaped.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime

from paperwire.config import Settings
from paperwire.mail.compose import add_parts, new_message, outbox_entry
from paperwire.mail.links import SiteLinks
from paperwire.mail.outbox import DeliveryReport, deliver_pending
from paperwire.mail.settings import MailSettings, load_mail_settings
from paperwire.mail.smtp import MailSender, SmtpSender
from paperwire.store.base import PaperStore
from paperwire.store.discussion_records import Notification, PendingMail
from paperwire.store.locks import JobBusy
from paperwire.store.mail_records import NewMessage

__all__ = [
    "DEFAULT_INTERVAL_SECONDS",
    "NOTIFY_JOB",
    "NotifyRun",
    "mail_interval",
    "notification_message",
    "queue_notification_mail",
    "scheduled_notification_mail",
]

NOTIFY_JOB = "notification mail"  # the store's job lock: one composer at a time
DEFAULT_INTERVAL_SECONDS = 3600
_EXCERPT = 280
_WHY = {
    "reply": "{who} replied to you",
    "mention": "{who} mentioned you",
    "watch": "{who} commented on a paper you watch",
}


@dataclass(slots=True)
class NotifyRun:
    users: int = 0  # users with notifications waiting for mail
    waiting: int = 0  # of them, mailed less than the interval ago
    queued: int = 0  # mails put in the outbox now
    delivery: DeliveryReport | None = None


def mail_interval(environ: Mapping[str, str] | None = None) -> int:
    """Seconds between two notification mails to one user; raises ``ValueError`` when bad."""
    raw = (os.environ if environ is None else environ).get(
        "PAPERWIRE_NOTIFY_MAIL_INTERVAL_SECONDS", ""
    )
    if not raw.strip():
        return DEFAULT_INTERVAL_SECONDS
    if not raw.strip().isdigit():
        raise ValueError(
            f"PAPERWIRE_NOTIFY_MAIL_INTERVAL_SECONDS must be a whole number, not {raw!r}"
        )
    return int(raw)


def notification_message(
    pending: PendingMail, notes: list[Notification], links: SiteLinks, sender: str
) -> NewMessage:
    """One mail of ``notes`` to ``pending``'s address; its key names the newest of them."""
    key = f"notify:{pending.user_id}:{max(n.id for n in notes)}"
    count = len(notes)
    subject = f"paperwire: {count} new notification{'s' if count > 1 else ''}"
    unsubscribe = links.notifications_off(pending.user_id)
    items = [
        {
            "why": _WHY[n.kind].format(who=n.comment.username),
            "paper_id": n.comment.paper_id,
            "excerpt": _excerpt(n.comment.body),
            "url": links.comment(n.comment.paper_id, n.comment.id),
        }
        for n in notes
    ]
    context = {
        "subject": subject,
        "username": pending.username,
        "items": items,
        "site_url": links.base_url,
        "settings_url": f"{links.base_url}/notifications",
        "unsubscribe_url": unsubscribe,
    }
    message = new_message(pending.email, sender, subject, key, links.base_url)
    message["List-Unsubscribe"] = f"<{unsubscribe}>"
    message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    add_parts(message, "notify", context)
    return outbox_entry(pending.subscriber_id, pending.email, "notify", key, message)


def queue_notification_mail(
    store: PaperStore,
    links: SiteLinks,
    sender: str,
    now: float,
    interval: int = DEFAULT_INTERVAL_SECONDS,
    wait_seconds: float = 30.0,
) -> NotifyRun:
    """Put one mail in the outbox for each user due one. Raises ``JobBusy`` while
    another process composes for longer than ``wait_seconds``."""
    run = NotifyRun()
    with store.job_lock(NOTIFY_JOB, wait_seconds=wait_seconds):
        for pending in store.pending_notification_mail():
            run.users += 1
            if pending.last_mailed_at is not None and now - pending.last_mailed_at < interval:
                run.waiting += 1
                continue
            notes = pending.notifications
            message = notification_message(pending, notes, links, sender)
            if store.enqueue_notification_mail(message, [n.id for n in notes], now):
                run.queued += 1
    return run


def send_notification_mail(
    store: PaperStore,
    settings: Settings,
    mail: MailSettings,
    mailer: MailSender,
    now: float | None = None,
    wait_seconds: float = 30.0,
) -> NotifyRun:
    """Queue what is due, then deliver everything waiting in the outbox. Raises ``JobBusy``
    when another process holds the composing or the delivery lock past ``wait_seconds``."""
    links = SiteLinks(settings.base_url, mail.secret)
    when = datetime.now(UTC).timestamp() if now is None else now
    interval = mail_interval()
    run = queue_notification_mail(store, links, mail.sender, when, interval, wait_seconds)
    run.delivery = deliver_pending(store, mailer, mail.sender, wait_seconds=wait_seconds)
    return run


def scheduled_notification_mail(
    store: PaperStore, settings: Settings, now: float | None = None, wait_seconds: float = 30.0
) -> NotifyRun | None:
    """The job as a scheduler or a web request's background task calls it; None when no
    SMTP server is set or another process is at it. A request passes ``wait_seconds=0``:
    it never waits on another sender (which picks up the newer mail as it goes, or the
    next comment's request or the next scheduled run does)."""
    mail = load_mail_settings(settings)
    if not mail.smtp_host:
        return None
    try:
        with SmtpSender(mail) as mailer:
            return send_notification_mail(store, settings, mail, mailer, now, wait_seconds)
    except JobBusy:
        return None


def _excerpt(body: str) -> str:
    text = " ".join(body.split())
    return text if len(text) <= _EXCERPT else text[: _EXCERPT - 1] + "…"
