"""Discussion and moderation: comments with replies and revisions, roles, reports, bans, audit log.

A query mixin of both stores. A comment keeps every text it had
(``comment_revisions``), so a report names the revision it was about and a
moderator sees an edit made after it. Deleting a comment empties its text and
keeps the row, a tombstone, so its replies keep their place. A page of a
discussion is one ordered range: threads by their first comment (oldest or
newest first), each thread's replies oldest first under it. Every change bumps
``discussion_version``, which cached pages follow. Who may do what is decided
by the caller (``application.discussion``); this module keeps what it is given,
each action in one transaction, a moderation action with its audit entry.
"""

from __future__ import annotations

from collections.abc import Sequence

from paperwire.store.discussion_records import (
    NOTIFICATION_KINDS,
    ROLES,
    SORTS,
    AuditEntry,
    Comment,
    CommentPage,
    CommentRevision,
    NotFound,
    Report,
    ThreadSummary,
)
from paperwire.store.sql import SqlBackend, SqlConnection, column_int, in_chunks
from paperwire.store.versions import DISCUSSION, bump_version

__all__ = ["DiscussionMixin", "comment_from_row"]

_COMMENT = (
    "SELECT c.id, c.paper_id, c.user_id, u.username, c.parent_id, c.root_id, c.body,"
    " c.revision, c.created_at, c.edited_at, c.deleted_at, c.hidden_at, pu.username"
    " FROM comments c JOIN users u ON u.id = c.user_id"
    " LEFT JOIN comments p ON p.id = c.parent_id LEFT JOIN users pu ON pu.id = p.user_id"
)
_VISIBLE = "c.deleted_at IS NULL AND c.hidden_at IS NULL"


class DiscussionMixin(SqlBackend):
    # -- comments ------------------------------------------------------------

    def add_comment(
        self,
        paper_id: str,
        user_id: int,
        body: str,
        parent_id: int | None,
        now: float,
        notify: Sequence[tuple[int, str]] = (),
    ) -> Comment:
        """Insert a comment (a reply when ``parent_id`` is given) and, in the same
        transaction, its notifications: ``notify`` is (user id, kind) pairs, the first
        kind given for a user wins. Raises ``NotFound`` for a parent that is not a
        comment on this paper."""
        with self.transaction() as conn:
            root_id = 0
            if parent_id is not None:
                row = conn.execute(
                    "SELECT root_id FROM comments WHERE id = ? AND paper_id = ?",
                    (parent_id, paper_id),
                ).fetchone()
                if row is None:
                    raise NotFound(f"there is no comment {parent_id} on {paper_id} to reply to")
                root_id = column_int(row[0])
            comment_id = column_int(
                conn.execute(
                    "INSERT INTO comments (paper_id, user_id, parent_id, root_id, body,"
                    " created_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
                    (paper_id, user_id, parent_id, root_id, body, now),
                ).fetchone()[0]
            )
            if parent_id is None:
                conn.execute("UPDATE comments SET root_id = id WHERE id = ?", (comment_id,))
            conn.execute(
                "INSERT INTO comment_revisions (comment_id, revision, body, created_at)"
                " VALUES (?, 1, ?, ?)",
                (comment_id, body, now),
            )
            _notify(conn, comment_id, notify, now)
            bump_version(conn, DISCUSSION)
            return _one(conn, comment_id)

    def comment(self, comment_id: int) -> Comment | None:
        row = self._reader().execute(_COMMENT + " WHERE c.id = ?", (comment_id,)).fetchone()
        return None if row is None else comment_from_row(row)

    def comments_page(
        self, paper_id: str, sort: str = "oldest", limit: int = 50, offset: int = 0
    ) -> CommentPage:
        """One page of a paper's discussion, tombstones and hidden comments included (the
        caller decides what each reader sees of them)."""
        direction = _direction(sort)
        reader = self._reader()
        rows = reader.execute(
            _COMMENT + f" WHERE c.paper_id = ? ORDER BY c.root_id {direction}, c.id"
            " LIMIT ? OFFSET ?",
            (paper_id, limit, offset),
        ).fetchall()
        total = reader.execute(
            "SELECT COUNT(*) FROM comments WHERE paper_id = ?", (paper_id,)
        ).fetchone()[0]
        return CommentPage([comment_from_row(row) for row in rows], column_int(total))

    def comment_position(self, comment_id: int, sort: str = "oldest") -> int | None:
        """How many comments come before this one in its paper's discussion in ``sort``
        order (so the page it is on), or None for no such comment."""
        found = self.comment(comment_id)
        if found is None:
            return None
        before = "<" if _direction(sort) == "ASC" else ">"
        row = (
            self._reader()
            .execute(
                "SELECT COUNT(*) FROM comments WHERE paper_id = ?"
                f" AND (root_id {before} ? OR (root_id = ? AND id < ?))",
                (found.paper_id, found.root_id, found.root_id, found.id),
            )
            .fetchone()
        )
        return column_int(row[0])

    def recent_comments(self, paper_id: str | None = None, limit: int = 50) -> list[Comment]:
        """The newest comments everyone can read, of one paper or of all."""
        where = f"WHERE {_VISIBLE}" + (" AND c.paper_id = ?" if paper_id is not None else "")
        params: tuple[object, ...] = (paper_id, limit) if paper_id is not None else (limit,)
        rows = self._reader().execute(_COMMENT + f" {where} ORDER BY c.id DESC LIMIT ?", params)
        return [comment_from_row(row) for row in rows]

    def recent_threads(self, limit: int = 50) -> list[ThreadSummary]:
        """The papers most recently commented on, newest first, with their visible counts."""
        reader = self._reader()
        rows = reader.execute(
            f"SELECT c.paper_id, COUNT(*), MAX(c.id) FROM comments c WHERE {_VISIBLE}"
            " GROUP BY c.paper_id ORDER BY MAX(c.id) DESC LIMIT ?",
            (limit,),
        ).fetchall()
        threads = []
        for paper_id, count, latest_id in rows:
            latest = reader.execute(_COMMENT + " WHERE c.id = ?", (latest_id,)).fetchone()
            threads.append(
                ThreadSummary(str(paper_id), column_int(count), comment_from_row(latest))
            )
        return threads

    def comment_counts(self, paper_ids: Sequence[str]) -> dict[str, int]:
        """Comments everyone can read, per paper (papers without any left out)."""
        found: dict[str, int] = {}
        for chunk, marks in in_chunks(list(paper_ids)):
            rows = self._reader().execute(
                f"SELECT c.paper_id, COUNT(*) FROM comments c WHERE c.paper_id IN ({marks})"
                f" AND {_VISIBLE} GROUP BY c.paper_id",
                chunk,
            )
            found.update({str(p): column_int(n) for p, n in rows})
        return found

    def comments_since(self, user_id: int, since: float) -> tuple[int, float | None]:
        """How many comments ``user_id`` posted at or after ``since`` (deleted ones count),
        and when the oldest of them was."""
        row = (
            self._reader()
            .execute(
                "SELECT COUNT(*), MIN(created_at) FROM comments WHERE user_id = ?"
                " AND created_at >= ?",
                (user_id, since),
            )
            .fetchone()
        )
        return column_int(row[0]), (None if row[1] is None else _float(row[1]))

    def edit_comment(
        self, comment_id: int, body: str, now: float, notify: Sequence[tuple[int, str]] = ()
    ) -> Comment:
        """Give a comment a new text, kept as its next revision, with the notifications
        ``notify`` asks for (a user already told of this comment is not told again).
        Raises ``NotFound`` for no such comment, or one deleted."""
        with self.transaction() as conn:
            row = conn.execute(
                "UPDATE comments SET body = ?, revision = revision + 1, edited_at = ?"
                " WHERE id = ? AND deleted_at IS NULL RETURNING revision",
                (body, now, comment_id),
            ).fetchone()
            if row is None:
                raise NotFound(f"there is no comment {comment_id} to edit")
            conn.execute(
                "INSERT INTO comment_revisions (comment_id, revision, body, created_at)"
                " VALUES (?, ?, ?, ?)",
                (comment_id, row[0], body, now),
            )
            _notify(conn, comment_id, notify, now)
            bump_version(conn, DISCUSSION)
            return _one(conn, comment_id)

    def delete_comment(self, comment_id: int, now: float) -> Comment:
        """Leave a tombstone: the text goes, the row and its place in the thread stay.
        Its revisions stay for moderators. Deleting twice changes nothing."""
        with self.transaction() as conn:
            found = conn.execute(
                "UPDATE comments SET body = '', deleted_at = COALESCE(deleted_at, ?)"
                " WHERE id = ? RETURNING id",
                (now, comment_id),
            ).fetchone()
            if found is None:
                raise NotFound(f"there is no comment {comment_id} to delete")
            bump_version(conn, DISCUSSION)
            return _one(conn, comment_id)

    def comment_revisions(self, comment_id: int) -> list[CommentRevision]:
        rows = self._reader().execute(
            "SELECT comment_id, revision, body, created_at FROM comment_revisions"
            " WHERE comment_id = ? ORDER BY revision",
            (comment_id,),
        )
        return [
            CommentRevision(column_int(c), column_int(r), str(b), float(t)) for c, r, b, t in rows
        ]

    # -- roles ---------------------------------------------------------------

    def grant_role(self, user_id: int, role: str, now: float) -> bool:
        """Give a role (one of ``ROLES``); False when the user had it already."""
        _check_role(role)
        with self.transaction() as conn:
            cursor = conn.execute(
                "INSERT INTO user_roles (user_id, role, granted_at) VALUES (?, ?, ?)"
                " ON CONFLICT DO NOTHING",
                (user_id, role, now),
            )
        return cursor.rowcount == 1

    def revoke_role(self, user_id: int, role: str) -> bool:
        _check_role(role)
        with self.transaction() as conn:
            cursor = conn.execute(
                "DELETE FROM user_roles WHERE user_id = ? AND role = ?", (user_id, role)
            )
        return cursor.rowcount == 1

    def user_roles(self, user_id: int) -> set[str]:
        rows = self._reader().execute("SELECT role FROM user_roles WHERE user_id = ?", (user_id,))
        return {str(row[0]) for row in rows}

    def is_banned(self, user_id: int) -> bool:
        row = self._reader().execute("SELECT 1 FROM bans WHERE user_id = ?", (user_id,)).fetchone()
        return row is not None

    # -- reports and moderation ----------------------------------------------

    def report_comment(self, comment_id: int, reporter_id: int, reason: str, now: float) -> bool:
        """Report the comment's current revision; False when this reporter already reported
        that revision. Raises ``NotFound`` for no such comment."""
        with self.transaction() as conn:
            row = conn.execute(
                "SELECT revision FROM comments WHERE id = ?", (comment_id,)
            ).fetchone()
            if row is None:
                raise NotFound(f"there is no comment {comment_id} to report")
            cursor = conn.execute(
                "INSERT INTO comment_reports (comment_id, reporter_id, revision, reason,"
                " created_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
                (comment_id, reporter_id, row[0], reason, now),
            )
        return cursor.rowcount == 1

    def open_reports(self, limit: int = 100) -> list[Report]:
        """Reports no moderator has acted on, oldest first: the moderation queue."""
        reader = self._reader()
        rows = reader.execute(
            "SELECT r.id, r.comment_id, u.username, r.revision, v.body, r.reason, r.created_at,"
            " r.resolved_at FROM comment_reports r JOIN users u ON u.id = r.reporter_id"
            " JOIN comment_revisions v ON v.comment_id = r.comment_id AND v.revision = r.revision"
            " WHERE r.resolved_at IS NULL ORDER BY r.id LIMIT ?",
            (limit,),
        ).fetchall()
        reports = []
        for rid, cid, reporter, revision, body, reason, created, resolved in rows:
            comment = comment_from_row(
                reader.execute(_COMMENT + " WHERE c.id = ?", (cid,)).fetchone()
            )
            reports.append(
                Report(
                    column_int(rid),
                    comment,
                    str(reporter),
                    column_int(revision),
                    str(body),
                    str(reason),
                    float(created),
                    None if resolved is None else float(resolved),
                )
            )
        return reports

    def set_hidden(self, comment_id: int, hidden: bool, moderator_id: int, now: float) -> Comment:
        """Hide or unhide a comment, resolving its open reports, with an audit entry."""
        with self.transaction() as conn:
            found = conn.execute(
                "UPDATE comments SET hidden_at = ? WHERE id = ? RETURNING user_id",
                (now if hidden else None, comment_id),
            ).fetchone()
            if found is None:
                raise NotFound(f"there is no comment {comment_id}")
            _resolve_reports(conn, "comment_id = ?", comment_id, moderator_id, now)
            _audit(
                conn,
                moderator_id,
                "hide" if hidden else "unhide",
                comment_id,
                column_int(found[0]),
                "",
                now,
            )
            bump_version(conn, DISCUSSION)
            return _one(conn, comment_id)

    def dismiss_reports(self, comment_id: int, moderator_id: int, now: float) -> int:
        """Close a comment's open reports without acting on it; returns how many."""
        with self.transaction() as conn:
            closed = _resolve_reports(conn, "comment_id = ?", comment_id, moderator_id, now)
            if closed:
                _audit(conn, moderator_id, "dismiss", comment_id, None, f"{closed} reports", now)
        return closed

    def ban_user(self, user_id: int, moderator_id: int, reason: str, now: float) -> int:
        """Ban a user: every session of theirs ends and every comment of theirs is hidden,
        in one transaction. Returns how many comments were hidden now."""
        with self.transaction() as conn:
            conn.execute(
                "INSERT INTO bans (user_id, banned_by, reason, banned_at) VALUES (?, ?, ?, ?)"
                " ON CONFLICT (user_id) DO UPDATE SET reason = excluded.reason",
                (user_id, moderator_id, reason, now),
            )
            conn.execute("DELETE FROM sessions WHERE user_id = ?", (user_id,))
            hidden = conn.execute(
                "UPDATE comments SET hidden_at = ? WHERE user_id = ? AND hidden_at IS NULL",
                (now, user_id),
            ).rowcount
            _resolve_reports(
                conn,
                "comment_id IN (SELECT id FROM comments WHERE user_id = ?)",
                user_id,
                moderator_id,
                now,
            )
            _audit(conn, moderator_id, "ban", None, user_id, reason, now)
            bump_version(conn, DISCUSSION)
        return hidden

    def unban_user(self, user_id: int, moderator_id: int, now: float) -> bool:
        """Lift a ban (their comments stay hidden until a moderator unhides them)."""
        with self.transaction() as conn:
            lifted = conn.execute("DELETE FROM bans WHERE user_id = ?", (user_id,)).rowcount
            if lifted:
                _audit(conn, moderator_id, "unban", None, user_id, "", now)
        return lifted == 1

    def audit_log(self, limit: int = 100, offset: int = 0) -> list[AuditEntry]:
        """Every moderation action, newest first."""
        rows = self._reader().execute(
            "SELECT l.id, m.username, l.action, l.comment_id, t.username, l.detail, l.at"
            " FROM moderation_log l LEFT JOIN users m ON m.id = l.moderator_id"
            " LEFT JOIN users t ON t.id = l.target_user_id ORDER BY l.id DESC LIMIT ? OFFSET ?",
            (limit, offset),
        )
        return [
            AuditEntry(
                column_int(i),
                None if mod is None else str(mod),
                str(action),
                None if cid is None else column_int(cid),
                None if target is None else str(target),
                str(detail),
                float(at),
            )
            for i, mod, action, cid, target, detail, at in rows
        ]


def _direction(sort: str) -> str:
    if sort not in SORTS:
        raise ValueError(f"sort must be one of {', '.join(SORTS)}, not {sort!r}")
    return "ASC" if sort == "oldest" else "DESC"


def _check_role(role: str) -> None:
    if role not in ROLES:
        raise ValueError(f"role must be one of {', '.join(ROLES)}, not {role!r}")


def _resolve_reports(
    conn: SqlConnection, where: str, subject: int, moderator_id: int, now: float
) -> int:
    return conn.execute(
        f"UPDATE comment_reports SET resolved_at = ?, resolved_by = ? WHERE {where}"
        " AND resolved_at IS NULL",
        (now, moderator_id, subject),
    ).rowcount


def _audit(
    conn: SqlConnection,
    moderator_id: int,
    action: str,
    comment_id: int | None,
    target_user_id: int | None,
    detail: str,
    now: float,
) -> None:
    conn.execute(
        "INSERT INTO moderation_log (moderator_id, action, comment_id, target_user_id,"
        " detail, at) VALUES (?, ?, ?, ?, ?, ?)",
        (moderator_id, action, comment_id, target_user_id, detail, now),
    )


def _one(conn: SqlConnection, comment_id: int) -> Comment:
    return comment_from_row(conn.execute(_COMMENT + " WHERE c.id = ?", (comment_id,)).fetchone())


def comment_from_row(row: Sequence[object]) -> Comment:
    """A ``Comment`` from the columns of ``_COMMENT``, in its order."""
    (
        cid,
        paper,
        user,
        name,
        parent,
        root,
        body,
        revision,
        created,
        edited,
        deleted,
        hidden,
        pname,
    ) = row
    return Comment(
        id=column_int(cid),
        paper_id=str(paper),
        user_id=column_int(user),
        username=str(name),
        parent_id=None if parent is None else column_int(parent),
        root_id=column_int(root),
        body=str(body),
        revision=column_int(revision),
        created_at=_float(created),
        edited_at=None if edited is None else _float(edited),
        deleted_at=None if deleted is None else _float(deleted),
        hidden_at=None if hidden is None else _float(hidden),
        parent_username=None if pname is None else str(pname),
    )


def _float(value: object) -> float:
    if isinstance(value, int | float | str):
        return float(value)
    raise TypeError(f"expected a number column, got {type(value).__name__}")


def _notify(
    conn: SqlConnection, comment_id: int, notify: Sequence[tuple[int, str]], now: float
) -> None:
    """One notification per (user, comment): the first kind given for a user wins."""
    for recipient, kind in notify:
        if kind not in NOTIFICATION_KINDS:
            raise ValueError(f"unknown notification kind {kind!r}")
        conn.execute(
            "INSERT INTO notifications (user_id, kind, comment_id, created_at)"
            " VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING",
            (recipient, kind, comment_id, now),
        )
