"""A reader's own signals: library and folders, "not interested", follows, seen and
opened papers.

A query mixin of both stores. These rows are what the per-user recommender
learns from (saved papers and votes are positives, "not interested" are
negatives, follows seed a user who has saved nothing yet) and what the
"for you" feed hides (papers saved, dismissed or already seen); their marks on
a page's papers come back in one read (``paper_marks``), for every card to show.
Papers opened and what readers follow also tell the thumbnail fetcher which
papers people see.
"""

from __future__ import annotations

import time

from paperwire.store.personal_records import (
    FOLLOW_KINDS,
    Folder,
    Follow,
    PaperMarks,
    SavedPaper,
    Signals,
)
from paperwire.store.sql import SqlBackend, SqlConnection

__all__ = ["PersonalMixin"]

_MAX_FOLDER_NAME = 80
_MAX_FOLLOW_VALUE = 200
# Ids per marks query: the ids appear once for each of the four tables, and the
# statement stays under SQLite's oldest limit of 999 parameters.
_MARKS_CHUNK = 100
# Each table a mark comes from, with the letter the marks query tags its rows with.
_MARK_TABLES = (("votes", "v"), ("library", "s"), ("not_interested", "d"), ("seen_papers", "n"))


class PersonalMixin(SqlBackend):
    # -- library -------------------------------------------------------------

    def save_paper(self, user_id: int, paper_id: str, folder_id: int | None = None) -> None:
        """Put a paper in the library (and in ``folder_id`` when given); idempotent."""
        with self.transaction() as conn:
            conn.execute(
                "INSERT INTO library (user_id, paper_id, saved_at) VALUES (?, ?, ?)"
                " ON CONFLICT DO NOTHING",
                (user_id, paper_id, time.time()),
            )
            if folder_id is not None:
                _check_folder(conn, user_id, folder_id)
                conn.execute(
                    "INSERT INTO folder_papers (folder_id, paper_id) VALUES (?, ?)"
                    " ON CONFLICT DO NOTHING",
                    (folder_id, paper_id),
                )
            # Saving a paper takes back an earlier "not interested".
            conn.execute(
                "DELETE FROM not_interested WHERE user_id = ? AND paper_id = ?",
                (user_id, paper_id),
            )

    def unsave_paper(self, user_id: int, paper_id: str) -> None:
        with self.transaction() as conn:
            conn.execute(
                "DELETE FROM folder_papers WHERE paper_id = ? AND folder_id IN"
                " (SELECT id FROM folders WHERE user_id = ?)",
                (paper_id, user_id),
            )
            conn.execute(
                "DELETE FROM library WHERE user_id = ? AND paper_id = ?", (user_id, paper_id)
            )

    def create_folder(self, user_id: int, name: str) -> Folder:
        """A new folder; an existing folder of the same name (without case) is returned as is."""
        name = " ".join(name.split())
        if not name or len(name) > _MAX_FOLDER_NAME:
            raise ValueError(f"a folder name needs 1 to {_MAX_FOLDER_NAME} characters")
        with self.transaction() as conn:
            conn.execute(
                "INSERT INTO folders (user_id, name, created_at) VALUES (?, ?, ?)"
                " ON CONFLICT DO NOTHING",
                (user_id, name, time.time()),
            )
            row = conn.execute(
                "SELECT id, name FROM folders WHERE user_id = ? AND name = ?", (user_id, name)
            ).fetchone()
        return Folder(int(row[0]), str(row[1]))

    def delete_folder(self, user_id: int, folder_id: int) -> None:
        """Remove a folder; its papers stay in the library."""
        with self.transaction() as conn:
            conn.execute("DELETE FROM folders WHERE id = ? AND user_id = ?", (folder_id, user_id))

    def folders(self, user_id: int) -> list[Folder]:
        rows = self._reader().execute(
            "SELECT id, name FROM folders WHERE user_id = ? ORDER BY lower(name), id",
            (user_id,),
        )
        return [Folder(int(i), str(n)) for i, n in rows]

    def library(self, user_id: int, folder_id: int | None = None) -> list[SavedPaper]:
        """The saved papers, newest first, each with its folders' ids (one folder when given)."""
        sql = "SELECT l.paper_id, l.saved_at FROM library l WHERE l.user_id = ?"
        params: tuple[object, ...] = (user_id,)
        if folder_id is not None:
            sql += " AND l.paper_id IN (SELECT paper_id FROM folder_papers WHERE folder_id = ?)"
            params += (folder_id,)
        conn = self._reader()
        rows = conn.execute(sql + " ORDER BY l.saved_at DESC, l.paper_id", params).fetchall()
        filed: dict[str, list[int]] = {}
        for paper_id, folder in conn.execute(
            "SELECT fp.paper_id, fp.folder_id FROM folder_papers fp"
            " JOIN folders f ON f.id = fp.folder_id WHERE f.user_id = ? ORDER BY fp.folder_id",
            (user_id,),
        ):
            filed.setdefault(str(paper_id), []).append(int(folder))
        return [SavedPaper(str(p), float(at), filed.get(str(p), [])) for p, at in rows]

    # -- not interested --------------------------------------------------------

    def set_not_interested(self, user_id: int, paper_id: str, dismissed: bool = True) -> None:
        with self.transaction() as conn:
            if dismissed:
                conn.execute(
                    "INSERT INTO not_interested (user_id, paper_id, at) VALUES (?, ?, ?)"
                    " ON CONFLICT DO NOTHING",
                    (user_id, paper_id, time.time()),
                )
            else:
                conn.execute(
                    "DELETE FROM not_interested WHERE user_id = ? AND paper_id = ?",
                    (user_id, paper_id),
                )

    # -- follows ---------------------------------------------------------------

    def follow(self, user_id: int, kind: str, value: str) -> Follow:
        """Follow an author, an organisation, a keyword or a saved search; idempotent."""
        value = " ".join(value.split())
        if kind not in FOLLOW_KINDS:
            raise ValueError(f"cannot follow a {kind!r}: choose one of {', '.join(FOLLOW_KINDS)}")
        if not value or len(value) > _MAX_FOLLOW_VALUE:
            raise ValueError(f"what to follow needs 1 to {_MAX_FOLLOW_VALUE} characters")
        with self.transaction() as conn:
            conn.execute(
                "INSERT INTO follows (user_id, kind, value, created_at)"
                " VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING",
                (user_id, kind, value, time.time()),
            )
            row = conn.execute(
                "SELECT id FROM follows WHERE user_id = ? AND kind = ? AND value = ?",
                (user_id, kind, value),
            ).fetchone()
        return Follow(int(row[0]), kind, value)

    def unfollow(self, user_id: int, follow_id: int) -> None:
        with self.transaction() as conn:
            conn.execute("DELETE FROM follows WHERE id = ? AND user_id = ?", (follow_id, user_id))

    def follows(self, user_id: int) -> list[Follow]:
        rows = self._reader().execute(
            "SELECT id, kind, value FROM follows WHERE user_id = ? ORDER BY kind, value",
            (user_id,),
        )
        return [Follow(int(i), str(k), str(v)) for i, k, v in rows]

    # -- seen ------------------------------------------------------------------

    def mark_seen(self, user_id: int, paper_ids: list[str]) -> None:
        now = time.time()
        with self.transaction() as conn:
            conn.executemany(
                "INSERT INTO seen_papers (user_id, paper_id, at) VALUES (?, ?, ?)"
                " ON CONFLICT DO NOTHING",
                [(user_id, paper_id, now) for paper_id in dict.fromkeys(paper_ids)],
            )

    def unmark_seen(self, user_id: int, paper_id: str) -> None:
        """Take back "seen": the paper may be recommended again."""
        with self.transaction() as conn:
            conn.execute(
                "DELETE FROM seen_papers WHERE user_id = ? AND paper_id = ?", (user_id, paper_id)
            )

    # -- what a page shows of the reader's own marks ---------------------------

    def paper_marks(self, user_id: int, paper_ids: list[str]) -> dict[str, PaperMarks]:
        """The reader's marks on each of ``paper_ids`` that has any: their upvote, saved
        (library), dismissed ("not interested") and seen. One query per
        ``_MARKS_CHUNK`` ids, so a page of cards costs one read whatever its length."""
        wanted = list(dict.fromkeys(paper_ids))
        tags: dict[str, set[str]] = {}
        conn = self._reader()
        for start in range(0, len(wanted), _MARKS_CHUNK):
            chunk = wanted[start : start + _MARKS_CHUNK]
            marks = ",".join("?" * len(chunk))
            sql = " UNION ALL ".join(
                f"SELECT paper_id, '{tag}' FROM {table} WHERE user_id = ? AND paper_id IN ({marks})"
                for table, tag in _MARK_TABLES
            )
            params = [value for _ in _MARK_TABLES for value in (user_id, *chunk)]
            for paper_id, tag in conn.execute(sql, params):
                tags.setdefault(str(paper_id), set()).add(str(tag))
        return {
            paper_id: PaperMarks(
                voted="v" in found, saved="s" in found, dismissed="d" in found, seen="n" in found
            )
            for paper_id, found in tags.items()
        }

    def followed_by_readers(self, kinds: tuple[str, ...], limit: int) -> list[Follow]:
        """What any reader follows of ``kinds``, each value once (its first follow's id),
        the most followed first, at most ``limit``."""
        if not kinds:
            return []
        marks = ", ".join("?" for _ in kinds)
        rows = self._reader().execute(
            f"SELECT MIN(id), kind, value FROM follows WHERE kind IN ({marks})"
            " GROUP BY kind, value ORDER BY COUNT(*) DESC, MIN(id) LIMIT ?",
            (*kinds, limit),
        )
        return [Follow(int(i), str(k), str(v)) for i, k, v in rows]

    # -- opened ----------------------------------------------------------------

    def record_opened(self, user_id: int, paper_id: str, at: float) -> bool:
        """Note that the reader opened the paper's page; True when this is the first time.

        A reader opens the same pages again and again: a pair already noted is
        read, not written, so a repeat view takes no write lock."""
        known = (
            self._reader()
            .execute(
                "SELECT 1 FROM opened_papers WHERE user_id = ? AND paper_id = ?",
                (user_id, paper_id),
            )
            .fetchone()
        )
        if known is not None:
            return False
        with self.transaction() as conn:
            added = conn.execute(
                "INSERT INTO opened_papers (user_id, paper_id, at) VALUES (?, ?, ?)"
                " ON CONFLICT DO NOTHING RETURNING paper_id",
                (user_id, paper_id, at),
            ).fetchone()
        return added is not None

    def opened_papers(self, user_id: int) -> list[str]:
        """The papers the reader opened, the latest first."""
        rows = self._reader().execute(
            "SELECT paper_id FROM opened_papers WHERE user_id = ? ORDER BY at DESC, paper_id",
            (user_id,),
        )
        return [str(row[0]) for row in rows]

    # -- everything the recommender reads --------------------------------------

    def user_signals(self, user_id: int) -> Signals:
        """One user's positives, negatives, follows and the papers to hide, in one read."""
        conn = self._reader()

        def ids(sql: str) -> list[str]:
            return [str(row[0]) for row in conn.execute(sql, (user_id,))]

        saved = ids("SELECT paper_id FROM library WHERE user_id = ? ORDER BY saved_at DESC")
        voted = ids("SELECT paper_id FROM votes WHERE user_id = ? ORDER BY created_at DESC")
        dismissed = ids("SELECT paper_id FROM not_interested WHERE user_id = ? ORDER BY at DESC")
        seen = ids("SELECT paper_id FROM seen_papers WHERE user_id = ?")
        emailed = ids(
            "SELECT e.paper_id FROM emailed_papers e JOIN subscribers s"
            " ON s.id = e.subscriber_id WHERE s.user_id = ?"
        )
        return Signals(
            saved=saved,
            voted=voted,
            not_interested=dismissed,
            follows=self.follows(user_id),
            seen=set(seen),
            emailed=set(emailed),
        )


def _check_folder(conn: SqlConnection, user_id: int, folder_id: int) -> None:
    row = conn.execute(
        "SELECT 1 FROM folders WHERE id = ? AND user_id = ?", (folder_id, user_id)
    ).fetchone()
    if row is None:
        raise ValueError(f"folder {folder_id} is not one of this user's folders")
