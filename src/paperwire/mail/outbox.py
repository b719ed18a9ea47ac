"""The durable outbox: compose, insert, then send each waiting message exactly once.

A run goes: compose every message -> insert them all in one transaction
(``PaperStore.enqueue_messages``; each has one idempotency key per subscriber
and period, UNIQUE, so composing the same period again inserts nothing) ->
for each waiting message: claim it ("sending", attempts + 1, committed) ->
hand it to SMTP -> mark it "sent". A run killed anywhere leaves every
message either sent and marked, or still waiting, and the next run sends
what waits, the same bytes with the same Message-ID.

The one window left: the server accepted a message and the process died
before "sent" was committed (the time of one local SQLite commit). The next
run sends that message again, so delivery is at least once; because its
Message-ID is derived from the idempotency key, a receiving system that
drops duplicate Message-IDs shows it once. Killed anywhere else, nothing is
sent twice: a claimed message whose DATA the server had not accepted was
not delivered. Only one process delivers at a time (the store's job lock).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

from paperwire.mail.smtp import MailSender, SendError
from paperwire.store.base import PaperStore

__all__ = ["DELIVERY_JOB", "MAX_ATTEMPTS", "DeliveryReport", "deliver_pending", "message_id_for"]

DELIVERY_JOB = "mail delivery"  # the store's job lock that one deliverer holds

MAX_ATTEMPTS = 5  # after this many failed attempts a message is given up ("failed")
_STOP_AFTER_ERRORS = 3  # retryable errors in a row: the server is unwell, try again later
_PAGE = 100

Progress = Callable[[int], None]  # messages sent so far


@dataclass(slots=True)
class DeliveryReport:
    sent: int = 0
    retry_later: int = 0
    failed: int = 0
    stopped_early: bool = False
    errors: list[str] | None = None

    def note(self, error: str) -> None:
        self.errors = [*(self.errors or []), error][-10:]


def message_id_for(idempotency_key: str, base_url: str) -> str:
    """A Message-ID that is the same for every attempt at one message."""
    digest = hashlib.sha256(idempotency_key.encode("utf-8")).hexdigest()[:32]
    return f"<{digest}@{urlsplit(base_url).hostname or 'localhost'}>"


def deliver_pending(
    store: PaperStore,
    mailer: MailSender,
    sender: str,
    progress: Progress | None = None,
    wait_seconds: float = 60.0,
) -> DeliveryReport:
    """Send every message waiting in the outbox, oldest first, holding the delivery lock.

    Raises ``JobBusy`` if another process keeps the lock for over ``wait_seconds``.
    """
    with store.job_lock(DELIVERY_JOB, wait_seconds=wait_seconds):
        return _deliver(store, mailer, sender, progress)


def _deliver(
    store: PaperStore, mailer: MailSender, sender: str, progress: Progress | None
) -> DeliveryReport:
    report = DeliveryReport()
    errors_in_a_row = 0
    after = 0
    while page := store.deliverable_messages(limit=_PAGE, after_id=after):
        for row in page:
            after = row.id
            if not store.mark_sending(row.id):
                continue  # cancelled meanwhile (an unsubscribe)
            try:
                mailer.send(sender, row.recipient, row.message)
            except SendError as exc:
                final = exc.permanent or row.attempts + 1 >= MAX_ATTEMPTS
                store.mark_failed(row.id, str(exc), final)
                report.note(f"message {row.id} to {row.recipient}: {exc}")
                if final:
                    report.failed += 1
                    continue
                report.retry_later += 1
                errors_in_a_row += 1
                if errors_in_a_row >= _STOP_AFTER_ERRORS:
                    report.stopped_early = True
                    return report
                continue
            store.mark_sent(row.id)
            errors_in_a_row = 0
            report.sent += 1
            if progress is not None:
                progress(report.sent)
    return report
