"""Email subscribers and the durable outbox.

A query mixin of both stores. A subscriber is "pending" until the address is
confirmed (double opt-in), then "active", or "unsubscribed" (which also
cancels every message still waiting for them, in the same transaction, so an
unsubscribe takes effect at once). The outbox keeps each composed message
whole under a UNIQUE idempotency key; ``enqueue_messages`` inserts a batch and
records the papers each new message names in one transaction, so a paper is
reserved for a subscriber exactly when the message that carries it exists.
"""

from __future__ import annotations

import time
from collections.abc import Iterable

from paperwire.store.mail_records import FREQUENCIES, NewMessage, OutboxRow, Subscriber
from paperwire.store.sql import SqlBackend, SqlConnection, column_bytes, column_int

__all__ = ["MailMixin", "insert_outbox_message"]

_SUBSCRIBER = "SELECT id, email, frequency, status, user_id FROM subscribers"
_OUTBOX = (
    "SELECT o.id, o.idempotency_key, o.subscriber_id, o.kind, o.recipient, o.message_id,"
    " o.message, o.status, o.attempts FROM outbox o"
)


def insert_outbox_message(conn: SqlConnection, message: NewMessage, now: float) -> object | None:
    """Insert ``message`` as pending in the outbox within ``conn``'s transaction; its
    new row's id, or None when its idempotency key is there already."""
    row = conn.execute(
        "INSERT INTO outbox (idempotency_key, subscriber_id, kind,"
        " recipient, message_id, message, status, created_at)"
        " VALUES (?, ?, ?, ?, ?, ?, 'pending', ?) ON CONFLICT DO NOTHING RETURNING id",
        (
            message.idempotency_key,
            message.subscriber_id,
            message.kind,
            message.recipient,
            message.message_id,
            message.message,
            now,
        ),
    ).fetchone()
    return None if row is None else row[0]


class MailMixin(SqlBackend):
    # -- subscribers -----------------------------------------------------------

    def add_subscriber(
        self, email: str, frequency: str, user_id: int | None = None
    ) -> tuple[Subscriber, bool]:
        """Subscribe ``email``; return the subscriber and whether it awaits confirmation.

        An active subscriber stays as it is (its own user may change the
        frequency); a new or unsubscribed address becomes "pending" until confirmed.
        """
        if frequency not in FREQUENCIES:
            raise ValueError(f"frequency must be one of {', '.join(FREQUENCIES)}")
        with self.transaction() as conn:
            conn.execute(
                "INSERT INTO subscribers (email, user_id, frequency, status, created_at)"
                " VALUES (?, ?, ?, 'pending', ?) ON CONFLICT(email) DO UPDATE SET"
                # A confirmed subscription changes only for its own user: nobody else
                # can re-route or re-time someone's digest by typing their address.
                " frequency = CASE WHEN subscribers.status != 'active'"
                " OR subscribers.user_id = excluded.user_id THEN excluded.frequency"
                " ELSE subscribers.frequency END,"
                " user_id = CASE WHEN subscribers.status != 'active'"
                " THEN COALESCE(excluded.user_id, subscribers.user_id)"
                " ELSE subscribers.user_id END,"
                " status = CASE subscribers.status WHEN 'unsubscribed' THEN 'pending'"
                " ELSE subscribers.status END",
                (email, user_id, frequency, time.time()),
            )
            row = conn.execute(_SUBSCRIBER + " WHERE email = ?", (email,)).fetchone()
        subscriber = _subscriber(row)
        return subscriber, subscriber.status == "pending"

    def subscriber(self, subscriber_id: int) -> Subscriber | None:
        row = self._reader().execute(_SUBSCRIBER + " WHERE id = ?", (subscriber_id,)).fetchone()
        return None if row is None else _subscriber(row)

    def subscriber_by_email(self, email: str) -> Subscriber | None:
        row = self._reader().execute(_SUBSCRIBER + " WHERE email = ?", (email,)).fetchone()
        return None if row is None else _subscriber(row)

    def subscriber_of_user(self, user_id: int) -> Subscriber | None:
        row = (
            self._reader()
            .execute(_SUBSCRIBER + " WHERE user_id = ? ORDER BY id DESC LIMIT 1", (user_id,))
            .fetchone()
        )
        return None if row is None else _subscriber(row)

    def active_subscribers(self) -> list[Subscriber]:
        rows = self._reader().execute(_SUBSCRIBER + " WHERE status = 'active' ORDER BY id")
        return [_subscriber(row) for row in rows]

    def confirm_subscriber(self, subscriber_id: int) -> Subscriber | None:
        """Make a pending subscriber active; an unsubscribed one stays unsubscribed."""
        with self.transaction() as conn:
            conn.execute(
                "UPDATE subscribers SET status = 'active', confirmed_at = ?"
                " WHERE id = ? AND status = 'pending'",
                (time.time(), subscriber_id),
            )
            row = conn.execute(_SUBSCRIBER + " WHERE id = ?", (subscriber_id,)).fetchone()
        return None if row is None else _subscriber(row)

    def unsubscribe(self, subscriber_id: int) -> Subscriber | None:
        """Stop every email to this subscriber now, messages already queued included."""
        with self.transaction() as conn:
            conn.execute(
                "UPDATE subscribers SET status = 'unsubscribed', unsubscribed_at = ?"
                " WHERE id = ? AND status != 'unsubscribed'",
                (time.time(), subscriber_id),
            )
            conn.execute(
                "UPDATE outbox SET status = 'cancelled' WHERE subscriber_id = ?"
                " AND status IN ('pending', 'sending')",
                (subscriber_id,),
            )
            row = conn.execute(_SUBSCRIBER + " WHERE id = ?", (subscriber_id,)).fetchone()
        return None if row is None else _subscriber(row)

    def emailed_paper_ids(self, subscriber_id: int) -> set[str]:
        rows = self._reader().execute(
            "SELECT paper_id FROM emailed_papers WHERE subscriber_id = ?", (subscriber_id,)
        )
        return {str(row[0]) for row in rows}

    # -- outbox ----------------------------------------------------------------

    def enqueue_messages(self, messages: Iterable[NewMessage]) -> int:
        """Insert new messages in one transaction; a known idempotency key is skipped.

        Returns how many were inserted. Each inserted message's papers are recorded
        as emailed to its subscriber in the same transaction.
        """
        inserted = 0
        now = time.time()
        with self.transaction() as conn:
            for message in messages:
                outbox_id = insert_outbox_message(conn, message, now)
                if outbox_id is None:
                    continue
                inserted += 1
                conn.executemany(
                    "INSERT INTO emailed_papers (subscriber_id, paper_id, outbox_id)"
                    " VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
                    [(message.subscriber_id, p, outbox_id) for p in message.paper_ids],
                )
        return inserted

    def has_message(self, idempotency_key: str) -> bool:
        row = (
            self._reader()
            .execute("SELECT 1 FROM outbox WHERE idempotency_key = ?", (idempotency_key,))
            .fetchone()
        )
        return row is not None

    def deliverable_messages(self, limit: int = 100, after_id: int = 0) -> list[OutboxRow]:
        """Messages not sent yet ("pending", or "sending" when a run was cut off), oldest first.

        Messages to a subscriber who has since unsubscribed are never returned;
        confirmation requests go to pending subscribers, digests only to active ones,
        notification mail to any address once confirmed.
        """
        rows = self._reader().execute(
            _OUTBOX + " JOIN subscribers s ON s.id = o.subscriber_id"
            " WHERE o.status IN ('pending', 'sending') AND o.id > ?"
            " AND (s.status = 'active' OR (o.kind = 'confirm' AND s.status = 'pending')"
            # Notification mail goes to an address its user confirmed, digest or not.
            " OR (o.kind = 'notify' AND s.confirmed_at IS NOT NULL))"
            " ORDER BY o.id LIMIT ?",
            (after_id, limit),
        )
        return [_outbox_row(row) for row in rows]

    def mark_sending(self, outbox_id: int) -> bool:
        """Claim a message for one attempt; False when it is no longer deliverable."""
        with self.transaction() as conn:
            cursor = conn.execute(
                "UPDATE outbox SET status = 'sending', attempts = attempts + 1"
                " WHERE id = ? AND status IN ('pending', 'sending')",
                (outbox_id,),
            )
        return cursor.rowcount == 1

    def mark_sent(self, outbox_id: int) -> None:
        with self.transaction() as conn:
            conn.execute(
                "UPDATE outbox SET status = 'sent', sent_at = ?, last_error = NULL WHERE id = ?",
                (time.time(), outbox_id),
            )

    def mark_failed(self, outbox_id: int, error: str, final: bool) -> None:
        """Note an error: back to "pending" for a later run, or "failed" for good."""
        with self.transaction() as conn:
            conn.execute(
                "UPDATE outbox SET status = ?, last_error = ? WHERE id = ? AND status = 'sending'",
                ("failed" if final else "pending", error[:500], outbox_id),
            )

    def outbox_counts(self) -> dict[str, int]:
        rows = self._reader().execute("SELECT status, COUNT(*) FROM outbox GROUP BY status")
        return {str(status): int(count) for status, count in rows}


def _subscriber(row: tuple[object, ...]) -> Subscriber:
    sid, email, frequency, status, user_id = row
    return Subscriber(
        column_int(sid),
        str(email),
        str(frequency),
        str(status),
        None if user_id is None else column_int(user_id),
    )


def _outbox_row(row: tuple[object, ...]) -> OutboxRow:
    oid, key, sid, kind, recipient, message_id, message, status, attempts = row
    return OutboxRow(
        column_int(oid),
        str(key),
        column_int(sid),
        str(kind),
        str(recipient),
        str(message_id),
        column_bytes(message),
        str(status),
        column_int(attempts),
    )
