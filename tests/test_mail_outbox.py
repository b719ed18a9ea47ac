"""The outbox against a real SMTP server: cancelled on unsubscribe, refusals, retries."""

from __future__ import annotations

from datetime import date
from email.utils import make_msgid

import pytest

from paperwire.config import load_settings
from paperwire.mail.outbox import DELIVERY_JOB, MAX_ATTEMPTS, deliver_pending, message_id_for
from paperwire.mail.run import scheduled_digests
from paperwire.mail.settings import MailSettings
from paperwire.mail.smtp import SmtpSender
from paperwire.store import SQLiteStore
from paperwire.store.locks import JobBusy
from paperwire.store.mail_records import NewMessage
from smtp_helpers import MailCatcher, smtp_server

SENDER = "paperwire@example.org"


class Refusing(MailCatcher):
    """Refuses some recipients: permanently (5xx) or for now (4xx)."""

    def __init__(self, permanent: set[str], temporary: set[str]) -> None:
        super().__init__()
        self.permanent, self.temporary = permanent, temporary

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.permanent:
            return "550 No such user here"
        if address in self.temporary:
            return "451 Try again later"
        return await super().handle_RCPT(server, session, envelope, address, rcpt_options)


def _queue(store: SQLiteStore, address: str) -> int:
    subscriber, _ = store.add_subscriber(address, "daily")
    store.confirm_subscriber(subscriber.id)
    key = f"digest:{subscriber.id}:2026-07-01"
    message = f"To: {address}\r\nMessage-ID: {make_msgid()}\r\nSubject: hi\r\n\r\nhello\r\n"
    store.enqueue_messages(
        [NewMessage(key, subscriber.id, "digest", address, "<x@y>", message.encode(), ["p1"])]
    )
    return subscriber.id


def _mail(port: int) -> MailSettings:
    return MailSettings(
        secret="s" * 40, sender=SENDER, smtp_host="127.0.0.1", smtp_port=port, starttls=False
    )


def test_unsubscribing_cancels_queued_mail(store: SQLiteStore) -> None:
    kept = _queue(store, "kept@example.org")
    gone = _queue(store, "gone@example.org")
    store.unsubscribe(gone)
    catcher = MailCatcher()
    with smtp_server(catcher) as port, SmtpSender(_mail(port)) as mailer:
        report = deliver_pending(store, mailer, SENDER)
    assert report.sent == 1 and [m["To"] for m in catcher.messages] == ["kept@example.org"]
    assert store.outbox_counts() == {"sent": 1, "cancelled": 1}
    assert store.emailed_paper_ids(kept) == {"p1"}


def test_refusals_fail_for_good_or_wait_for_a_retry(store: SQLiteStore) -> None:
    _queue(store, "nobody@example.org")
    _queue(store, "busy@example.org")
    _queue(store, "fine@example.org")
    catcher = Refusing({"nobody@example.org"}, {"busy@example.org"})
    with smtp_server(catcher) as port:
        with SmtpSender(_mail(port)) as mailer:
            report = deliver_pending(store, mailer, SENDER)
        assert (report.sent, report.failed, report.retry_later) == (1, 1, 1)
        assert store.outbox_counts() == {"sent": 1, "failed": 1, "pending": 1}
        for _ in range(MAX_ATTEMPTS):  # still busy: given up after MAX_ATTEMPTS in all
            with SmtpSender(_mail(port)) as mailer:
                deliver_pending(store, mailer, SENDER)
    assert store.outbox_counts() == {"sent": 1, "failed": 2}
    assert [m["To"] for m in catcher.messages] == ["fine@example.org"]


def test_an_unreachable_server_leaves_mail_waiting(store: SQLiteStore) -> None:
    _queue(store, "a@example.org")
    with smtp_server(MailCatcher()) as port:
        pass  # the port is closed again
    with SmtpSender(_mail(port)) as mailer:
        report = deliver_pending(store, mailer, SENDER)
    assert report.sent == 0 and report.retry_later == 1
    assert store.outbox_counts() == {"pending": 1}


def test_message_ids_are_stable_per_key() -> None:
    first = message_id_for("digest:1:2026-07-01", "https://p.example.org/x")
    assert first == message_id_for("digest:1:2026-07-01", "https://p.example.org/x")
    assert first != message_id_for("digest:2:2026-07-01", "https://p.example.org/x")
    assert first.endswith("@p.example.org>")


def test_the_scheduled_job_does_nothing_without_smtp(
    store: SQLiteStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("PAPERWIRE_SMTP_HOST", raising=False)
    _queue(store, "a@example.org")
    assert scheduled_digests(store, load_settings(), date(2026, 7, 1)) is None
    assert store.outbox_counts() == {"pending": 1}


def test_one_deliverer_at_a_time(store: SQLiteStore) -> None:
    busy = pytest.raises(JobBusy, match="another mail delivery is running")
    with store.job_lock(DELIVERY_JOB), busy, store.job_lock(DELIVERY_JOB, wait_seconds=0.2):
        pass
    with store.job_lock(DELIVERY_JOB, wait_seconds=0.2):
        pass  # released with its holder
