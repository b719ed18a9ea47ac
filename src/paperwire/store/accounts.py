"""Accounts: users, server-side sessions, votes and failed logins.

A query mixin of both stores. Password hashing and token making are the
caller's job; this module only keeps what it is given. A vote never edits a
paper's record: it is a row in ``votes`` plus a per-paper tally in
``vote_counts``, and ``votes_version`` counts every change so pages cached
by the store's change sequence know to refresh.
"""

from __future__ import annotations

from datetime import UTC, datetime

from paperwire.store.records import User
from paperwire.store.sql import SqlBackend, in_chunks
from paperwire.store.versions import VOTES, bump_version

__all__ = ["AccountsMixin", "UsernameTaken"]


class UsernameTaken(ValueError):
    """Another account already has this user name (compared without case)."""


class AccountsMixin(SqlBackend):
    # -- users ---------------------------------------------------------------

    def create_user(self, username: str, password_hash: str) -> User:
        created = datetime.now(UTC).isoformat(timespec="seconds")
        with self.transaction() as conn:
            row = conn.execute(
                "INSERT INTO users (username, password_hash, created_at) VALUES (?, ?, ?)"
                " ON CONFLICT DO NOTHING RETURNING id",
                (username, password_hash, created),
            ).fetchone()
        if row is None:
            raise UsernameTaken(f"the user name {username!r} is taken")
        return User(int(row[0]), username, created)

    def user_by_name(self, username: str) -> tuple[User, str] | None:
        """The user and their password hash, or None."""
        row = (
            self._reader()
            .execute(
                "SELECT id, username, created_at, password_hash FROM users WHERE username = ?",
                (username,),
            )
            .fetchone()
        )
        return None if row is None else (User(int(row[0]), row[1], row[2]), str(row[3]))

    def set_password_hash(self, user_id: int, password_hash: str) -> None:
        with self.transaction() as conn:
            conn.execute(
                "UPDATE users SET password_hash = ? WHERE id = ?", (password_hash, user_id)
            )

    # -- sessions ------------------------------------------------------------

    def create_session(
        self, token_hash: str, user_id: int, csrf_token: str, now: float, expires_at: float
    ) -> None:
        """Store a new session and drop this user's expired ones."""
        with self.transaction() as conn:
            conn.execute(
                "DELETE FROM sessions WHERE user_id = ? AND expires_at <= ?", (user_id, now)
            )
            conn.execute(
                "INSERT INTO sessions (token_hash, user_id, csrf_token, created_at, expires_at)"
                " VALUES (?, ?, ?, ?, ?)",
                (token_hash, user_id, csrf_token, now, expires_at),
            )

    def session_user(self, token_hash: str, now: float) -> tuple[User, str] | None:
        """The user of a live session and its CSRF token, or None."""
        row = (
            self._reader()
            .execute(
                "SELECT u.id, u.username, u.created_at, s.csrf_token FROM sessions s"
                " JOIN users u ON u.id = s.user_id"
                " WHERE s.token_hash = ? AND s.expires_at > ?"
                # A ban ends the user's sessions; this keeps one made in a race dead too.
                " AND NOT EXISTS (SELECT 1 FROM bans b WHERE b.user_id = u.id)",
                (token_hash, now),
            )
            .fetchone()
        )
        return None if row is None else (User(int(row[0]), row[1], row[2]), str(row[3]))

    def delete_session(self, token_hash: str) -> None:
        with self.transaction() as conn:
            conn.execute("DELETE FROM sessions WHERE token_hash = ?", (token_hash,))

    # -- failed logins -------------------------------------------------------

    def record_login_failure(self, keys: list[str], now: float, forget_before: float) -> None:
        """Note one failure under each key, forgetting that key's failures before a time."""
        with self.transaction() as conn:
            for key in keys:
                conn.execute(
                    "DELETE FROM login_failures WHERE key = ? AND at < ?", (key, forget_before)
                )
                conn.execute("INSERT INTO login_failures (key, at) VALUES (?, ?)", (key, now))

    def login_failures_since(self, key: str, since: float) -> tuple[int, float | None]:
        """How many failures ``key`` had since ``since``, and when the oldest of them was."""
        row = (
            self._reader()
            .execute(
                "SELECT COUNT(*), MIN(at) FROM login_failures WHERE key = ? AND at >= ?",
                (key, since),
            )
            .fetchone()
        )
        return int(row[0]), (float(row[1]) if row[1] is not None else None)

    def clear_login_failures(self, key: str) -> None:
        with self.transaction() as conn:
            conn.execute("DELETE FROM login_failures WHERE key = ?", (key,))

    # -- votes ---------------------------------------------------------------

    def set_vote(self, user_id: int, paper_id: str, voted: bool, now: float) -> int:
        """Cast (``voted``) or take back this user's vote; return the paper's local votes.

        Idempotent: casting twice or taking back a vote never cast changes nothing.
        """
        with self.transaction() as conn:
            if voted:
                changed = conn.execute(
                    "INSERT INTO votes (user_id, paper_id, created_at) VALUES (?, ?, ?)"
                    " ON CONFLICT DO NOTHING",
                    (user_id, paper_id, now),
                ).rowcount
            else:
                changed = -conn.execute(
                    "DELETE FROM votes WHERE user_id = ? AND paper_id = ?", (user_id, paper_id)
                ).rowcount
            if changed:
                conn.execute(
                    "INSERT INTO vote_counts (paper_id, votes) VALUES (?, ?)"
                    " ON CONFLICT (paper_id) DO UPDATE SET votes = CASE"
                    " WHEN vote_counts.votes + ? > 0 THEN vote_counts.votes + ? ELSE 0 END",
                    (paper_id, max(changed, 0), changed, changed),
                )
                bump_version(conn, VOTES)
            row = conn.execute(
                "SELECT votes FROM vote_counts WHERE paper_id = ?", (paper_id,)
            ).fetchone()
        return int(row[0]) if row else 0

    def user_votes(self, user_id: int, paper_ids: list[str]) -> set[str]:
        """Which of ``paper_ids`` this user has voted for."""
        voted: set[str] = set()
        for chunk, marks in in_chunks(paper_ids):
            rows = self._reader().execute(
                f"SELECT paper_id FROM votes WHERE user_id = ? AND paper_id IN ({marks})",
                (user_id, *chunk),
            )
            voted.update(str(row[0]) for row in rows)
        return voted

    def vote_rows(self, paper_ids: list[str]) -> dict[str, int]:
        """How many users voted for each of ``paper_ids`` (counted from the votes, not the
        tally), so a check can compare the two."""
        found: dict[str, int] = {}
        for chunk, marks in in_chunks(paper_ids):
            for paper_id, count in self._reader().execute(
                f"SELECT paper_id, COUNT(*) FROM votes WHERE paper_id IN ({marks})"
                " GROUP BY paper_id",
                chunk,
            ):
                found[str(paper_id)] = int(count)
        return found
