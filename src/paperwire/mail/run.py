"""A digest run, as the CLI and the service's scheduler call it.

``send_digests``: compose a digest for every active subscriber who has none
for the current period yet, insert them all into the outbox in one
transaction, then deliver everything waiting (this run's messages and any a
killed run left behind). ``dry_run`` composes and reports, and writes and
sends nothing. ``scheduled_digests`` is the whole job as a scheduler calls it
once a day: settings read, SMTP opened and closed, no arguments to get wrong.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from paperwire.config import Settings
from paperwire.mail.compose import digest_message
from paperwire.mail.digest import DEFAULT_LIMITS, DigestLimits, digest_sections, period_key
from paperwire.mail.links import SiteLinks
from paperwire.mail.outbox import DeliveryReport, deliver_pending
from paperwire.mail.settings import MailSettings, load_mail_settings
from paperwire.mail.smtp import MailSender, SmtpSender
from paperwire.store.base import PaperStore
from paperwire.store.mail_records import NewMessage

__all__ = ["DIGEST_JOB", "DigestRun", "compose_digests", "scheduled_digests", "send_digests"]

DIGEST_JOB = "digest run"  # the store's job lock: one run at a time over every node

Progress = Callable[[str, int, int], None]  # (stage, done, total)


@dataclass(slots=True)
class DigestRun:
    subscribers: int = 0  # active subscribers looked at
    composed: int = 0  # digests composed in this run
    already_queued: int = 0  # subscribers whose digest for the period existed already
    nothing_new: int = 0  # subscribers with nothing new to send
    queued: int = 0  # digests inserted into the outbox
    delivery: DeliveryReport = field(default_factory=DeliveryReport)
    previews: list[NewMessage] = field(default_factory=list)  # dry runs only


def compose_digests(
    store: PaperStore,
    settings: Settings,
    mail: MailSettings,
    today: date,
    limits: DigestLimits = DEFAULT_LIMITS,
    progress: Progress | None = None,
) -> tuple[list[NewMessage], DigestRun]:
    run = DigestRun()
    links = SiteLinks(settings.base_url, mail.secret)
    subscribers = store.active_subscribers()
    run.subscribers = len(subscribers)
    messages = []
    for done, subscriber in enumerate(subscribers, start=1):
        period = period_key(subscriber.frequency, today)
        if store.has_message(f"digest:{subscriber.id}:{period}"):
            run.already_queued += 1
        elif sections := digest_sections(store, subscriber, links, today, limits):
            messages.append(digest_message(subscriber, period, sections, links, mail.sender, today))
        else:
            run.nothing_new += 1
        if progress is not None:
            progress("compose", done, len(subscribers))
    run.composed = len(messages)
    return messages, run


def send_digests(
    store: PaperStore,
    settings: Settings,
    mail: MailSettings,
    mailer: MailSender | None,
    today: date,
    *,
    dry_run: bool = False,
    limits: DigestLimits = DEFAULT_LIMITS,
    progress: Progress | None = None,
) -> DigestRun:
    """One whole run; ``mailer`` may be None only for a dry run.

    Raises ``JobBusy`` while another run holds the lock, on any node.
    """
    if dry_run:
        messages, run = compose_digests(store, settings, mail, today, limits, progress)
        run.previews = messages
        return run
    if mailer is None:
        raise ValueError("a run that sends needs a mailer")
    with store.job_lock(DIGEST_JOB):
        return _send(store, mail, mailer, today, limits, progress, settings)


def _send(
    store: PaperStore,
    mail: MailSettings,
    mailer: MailSender,
    today: date,
    limits: DigestLimits,
    progress: Progress | None,
    settings: Settings,
) -> DigestRun:
    messages, run = compose_digests(store, settings, mail, today, limits, progress)
    run.queued = store.enqueue_messages(messages)
    waiting = len(store.deliverable_messages(limit=100_000))

    def sent(count: int) -> None:
        if progress is not None:
            progress("send", count, waiting)

    run.delivery = deliver_pending(store, mailer, mail.sender, sent)
    return run


def scheduled_digests(
    store: PaperStore, settings: Settings, today: date | None = None
) -> DigestRun | None:
    """Today's digest run for a scheduler; None (nothing done) when no SMTP server is set."""
    mail = load_mail_settings(settings)
    if not mail.smtp_host:
        return None
    with SmtpSender(mail) as mailer:
        return send_digests(store, settings, mail, mailer, today or datetime.now(UTC).date())
