"""Watched papers, notifications, and which of them each user takes by mail.

A query mixin of both stores. A notification is written in the transaction
that writes its comment (``DiscussionMixin.add_comment``), one per user and
comment. A notification mail goes into the outbox and marks the
notifications it carries as mailed in one transaction, under an idempotency
key derived from them, so each notification is mailed at most once whatever
process dies when. Mail goes to the address the user confirmed (their digest
subscription's); a kind with no setting row is mailed.
"""

from __future__ import annotations

from collections.abc import Sequence

from paperwire.store.discussion import comment_from_row
from paperwire.store.discussion_records import NOTIFICATION_KINDS, Notification, PendingMail
from paperwire.store.mail import insert_outbox_message
from paperwire.store.mail_records import NewMessage
from paperwire.store.sql import SqlBackend, column_int, in_chunks

__all__ = ["NotificationsMixin"]

_NOTIFICATION = (
    "SELECT n.id, n.kind, n.created_at, n.read_at, n.user_id,"
    " c.id, c.paper_id, c.user_id, u.username, c.parent_id, c.root_id, c.body,"
    " c.revision, c.created_at, c.edited_at, c.deleted_at, c.hidden_at, pu.username"
    " FROM notifications n JOIN comments c ON c.id = n.comment_id"
    " JOIN users u ON u.id = c.user_id"
    " LEFT JOIN comments p ON p.id = c.parent_id LEFT JOIN users pu ON pu.id = p.user_id"
)


class NotificationsMixin(SqlBackend):
    # -- watches -------------------------------------------------------------

    def set_watch(self, user_id: int, paper_id: str, watching: bool, now: float) -> None:
        """Watch (or stop watching) a paper's discussion; idempotent."""
        with self.transaction() as conn:
            if watching:
                conn.execute(
                    "INSERT INTO paper_watches (user_id, paper_id, created_at) VALUES (?, ?, ?)"
                    " ON CONFLICT DO NOTHING",
                    (user_id, paper_id, now),
                )
            else:
                conn.execute(
                    "DELETE FROM paper_watches WHERE user_id = ? AND paper_id = ?",
                    (user_id, paper_id),
                )

    def is_watching(self, user_id: int, paper_id: str) -> bool:
        row = (
            self._reader()
            .execute(
                "SELECT 1 FROM paper_watches WHERE user_id = ? AND paper_id = ?",
                (user_id, paper_id),
            )
            .fetchone()
        )
        return row is not None

    def watchers(self, paper_id: str) -> list[int]:
        rows = self._reader().execute(
            "SELECT user_id FROM paper_watches WHERE paper_id = ? ORDER BY user_id", (paper_id,)
        )
        return [column_int(row[0]) for row in rows]

    def user_ids_by_names(self, names: Sequence[str]) -> dict[str, int]:
        """The ids of the users named (compared without case), keyed by the name as stored."""
        found: dict[str, int] = {}
        for chunk, marks in in_chunks(list(dict.fromkeys(names))):
            rows = self._reader().execute(
                f"SELECT username, id FROM users WHERE username IN ({marks})", chunk
            )
            found.update({str(name): column_int(uid) for name, uid in rows})
        return found

    # -- notifications in the app ---------------------------------------------

    def notifications(self, user_id: int, limit: int = 50) -> list[Notification]:
        """A user's notifications, newest first."""
        rows = self._reader().execute(
            _NOTIFICATION + " WHERE n.user_id = ? ORDER BY n.id DESC LIMIT ?", (user_id, limit)
        )
        return [_notification(row) for row in rows]

    def unread_notifications(self, user_id: int) -> int:
        row = (
            self._reader()
            .execute(
                "SELECT COUNT(*) FROM notifications n JOIN comments c ON c.id = n.comment_id"
                " WHERE n.user_id = ? AND n.read_at IS NULL AND c.hidden_at IS NULL",
                (user_id,),
            )
            .fetchone()
        )
        return column_int(row[0])

    def mark_notifications_read(self, user_id: int, now: float) -> int:
        with self.transaction() as conn:
            return conn.execute(
                "UPDATE notifications SET read_at = ? WHERE user_id = ? AND read_at IS NULL",
                (now, user_id),
            ).rowcount

    # -- notifications by mail ---------------------------------------------------

    def notification_mail_kinds(self, user_id: int) -> dict[str, bool]:
        """Whether each kind of notification is mailed to this user (on unless turned off)."""
        kinds = dict.fromkeys(NOTIFICATION_KINDS, True)
        rows = self._reader().execute(
            "SELECT kind, email FROM notification_settings WHERE user_id = ?", (user_id,)
        )
        kinds.update({str(kind): bool(column_int(on)) for kind, on in rows})
        return kinds

    def set_notification_mail(self, user_id: int, kind: str, on: bool) -> None:
        if kind not in NOTIFICATION_KINDS:
            raise ValueError(f"kind must be one of {', '.join(NOTIFICATION_KINDS)}, not {kind!r}")
        with self.transaction() as conn:
            conn.execute(
                "INSERT INTO notification_settings (user_id, kind, email) VALUES (?, ?, ?)"
                " ON CONFLICT (user_id, kind) DO UPDATE SET email = excluded.email",
                (user_id, kind, 1 if on else 0),
            )

    def pending_notification_mail(self) -> list[PendingMail]:
        """Per user with a confirmed address: the notifications of comments still readable,
        of kinds they take by mail, not mailed yet (oldest first), and when they were last
        mailed."""
        reader = self._reader()
        rows = reader.execute(
            _NOTIFICATION + " WHERE n.mailed_at IS NULL AND c.deleted_at IS NULL"
            " AND c.hidden_at IS NULL AND NOT EXISTS (SELECT 1 FROM notification_settings s"
            " WHERE s.user_id = n.user_id AND s.kind = n.kind AND s.email = 0)"
            " ORDER BY n.id"
        ).fetchall()
        by_user: dict[int, list[Notification]] = {}
        for row in rows:
            by_user.setdefault(column_int(row[4]), []).append(_notification(row))
        pending = []
        for user_id, notes in by_user.items():
            address = reader.execute(
                "SELECT s.id, s.email, u.username FROM subscribers s JOIN users u"
                " ON u.id = s.user_id WHERE s.user_id = ? AND s.confirmed_at IS NOT NULL"
                " ORDER BY s.id DESC LIMIT 1",
                (user_id,),
            ).fetchone()
            if address is None:
                continue
            last = reader.execute(
                "SELECT MAX(mailed_at) FROM notifications WHERE user_id = ?", (user_id,)
            ).fetchone()[0]
            pending.append(
                PendingMail(
                    user_id,
                    str(address[2]),
                    column_int(address[0]),
                    str(address[1]),
                    notes,
                    None if last is None else float(last),
                )
            )
        return pending

    def enqueue_notification_mail(
        self, message: NewMessage, notification_ids: Sequence[int], now: float
    ) -> bool:
        """Put one notification mail in the outbox and mark the notifications it carries
        mailed, in one transaction. False (nothing written) when its key is there already
        or any of them was mailed meanwhile."""
        try:
            self._enqueue_notification_mail(message, notification_ids, now)
        except _Raced:
            return False
        return True

    def _enqueue_notification_mail(
        self, message: NewMessage, notification_ids: Sequence[int], now: float
    ) -> None:
        with self.transaction() as conn:
            marked = 0
            for chunk, marks in in_chunks([str(n) for n in notification_ids]):
                marked += conn.execute(
                    f"UPDATE notifications SET mailed_at = ?, outbox_key = ?"
                    f" WHERE id IN ({marks}) AND mailed_at IS NULL",
                    (now, message.idempotency_key, *[int(n) for n in chunk]),
                ).rowcount
            if marked != len(set(notification_ids)):
                raise _Raced
            if insert_outbox_message(conn, message, now) is None:
                raise _Raced


class _Raced(Exception):
    """Another run mailed these first: the transaction rolls back."""


def _notification(row: tuple[object, ...]) -> Notification:
    nid, kind, created, read = row[:4]
    return Notification(
        column_int(nid),
        str(kind),
        comment_from_row(row[5:]),
        float(str(created)),
        None if read is None else float(str(read)),
    )
