"""Public collections: a reader's library folder published with a title, a description
and a note per paper, at ``/collections/{owner}/{slug}``.

A query mixin of both stores, over the ``folders`` and ``folder_papers`` tables
of a reader's library. Only the owner changes a folder (every write names the
user and touches nothing of another's); the public reads return a folder only
while it is public, so a folder made private again is found nowhere.
"""

from __future__ import annotations

import re
import time
import unicodedata

from paperwire.store.personal_records import Collection, CollectionItem
from paperwire.store.sql import SqlBackend, SqlConnection

__all__ = ["MAX_DESCRIPTION", "MAX_NOTE", "MAX_TITLE", "CollectionsMixin", "collection_slug"]

MAX_TITLE = 200
MAX_DESCRIPTION = 5000
MAX_NOTE = 2000
_MAX_SLUG = 60
_COLUMNS = (
    "f.id, f.user_id, u.username, f.name, f.slug, f.title, f.description, f.public, f.published_at"
)
_FROM = " FROM folders f JOIN users u ON u.id = f.user_id"


def collection_slug(title: str) -> str:
    """The URL name a title gives: "Reading group: RL!" -> "reading-group-rl".

    ASCII letters and digits only (accents folded), so every browser and feed
    reader keeps the URL as written; a title with none gives "collection".
    """
    folded = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", folded.lower()).strip("-")[:_MAX_SLUG].strip("-")
    return slug or "collection"


class CollectionsMixin(SqlBackend):
    def folder_collection(self, user_id: int, folder_id: int) -> Collection | None:
        """The owner's view of one of their folders, public or not; None if not theirs."""
        row = (
            self._reader()
            .execute(
                f"SELECT {_COLUMNS}{_FROM} WHERE f.id = ? AND f.user_id = ?", (folder_id, user_id)
            )
            .fetchone()
        )
        return _collection(row) if row else None

    def publish_folder(
        self, user_id: int, folder_id: int, title: str, description: str
    ) -> Collection:
        """Make a folder public with ``title`` (the folder's name when blank) and
        ``description``; its URL name is given the first time and kept after, so links
        stay valid. Raises ValueError for a folder not the user's or text too long."""
        title = " ".join(title.split())
        description = description.strip()
        if len(title) > MAX_TITLE:
            raise ValueError(f"a collection title has at most {MAX_TITLE} characters")
        if len(description) > MAX_DESCRIPTION:
            raise ValueError(f"a collection description has at most {MAX_DESCRIPTION} characters")
        with self.transaction() as conn:
            row = conn.execute(
                "SELECT name, slug FROM folders WHERE id = ? AND user_id = ?", (folder_id, user_id)
            ).fetchone()
            if row is None:
                raise ValueError(f"folder {folder_id} is not one of this user's folders")
            name, slug = str(row[0]), row[1]
            if slug is None:
                slug = _free_slug(conn, user_id, collection_slug(title or name))
            conn.execute(
                "UPDATE folders SET public = 1, title = ?, description = ?, slug = ?,"
                " published_at = ? WHERE id = ? AND user_id = ?",
                (title, description, slug, time.time(), folder_id, user_id),
            )
        found = self.folder_collection(user_id, folder_id)
        assert found is not None
        return found

    def unpublish_folder(self, user_id: int, folder_id: int) -> None:
        """Make a folder private again (its title, description and notes are kept)."""
        with self.transaction() as conn:
            conn.execute(
                "UPDATE folders SET public = 0 WHERE id = ? AND user_id = ?", (folder_id, user_id)
            )

    def set_folder_note(self, user_id: int, folder_id: int, paper_id: str, note: str) -> None:
        """The owner's note on a paper of their folder ("" removes it). Raises ValueError
        when the folder is not theirs, the paper is not in it, or the note is too long."""
        note = note.strip()
        if len(note) > MAX_NOTE:
            raise ValueError(f"a note has at most {MAX_NOTE} characters")
        with self.transaction() as conn:
            changed = conn.execute(
                "UPDATE folder_papers SET note = ? WHERE folder_id = ? AND paper_id = ?"
                " AND folder_id IN (SELECT id FROM folders WHERE user_id = ?)",
                (note, folder_id, paper_id, user_id),
            ).rowcount
            if changed != 1:
                raise ValueError(f"paper {paper_id[:64]!r} is not in this user's folder")

    def public_collection(self, username: str, slug: str) -> Collection | None:
        """The public collection at ``/collections/{username}/{slug}``; None when there
        is none or it is private (the username without case, as logins have it)."""
        row = (
            self._reader()
            .execute(
                f"SELECT {_COLUMNS}{_FROM} WHERE u.username = ? AND f.slug = ? AND f.public = 1",
                (username, slug),
            )
            .fetchone()
        )
        return _collection(row) if row else None

    def public_collections(self, user_id: int) -> list[Collection]:
        """A user's public collections, the most recently published first."""
        rows = self._reader().execute(
            f"SELECT {_COLUMNS}{_FROM} WHERE f.user_id = ? AND f.public = 1"
            " ORDER BY f.published_at DESC, f.id",
            (user_id,),
        )
        return [_collection(row) for row in rows]

    def collection_items(self, folder_id: int) -> list[CollectionItem]:
        """A folder's papers with their notes, the most recently saved first."""
        rows = self._reader().execute(
            "SELECT fp.paper_id, fp.note, l.saved_at FROM folder_papers fp"
            " JOIN folders f ON f.id = fp.folder_id"
            " JOIN library l ON l.user_id = f.user_id AND l.paper_id = fp.paper_id"
            " WHERE fp.folder_id = ? ORDER BY l.saved_at DESC, fp.paper_id",
            (folder_id,),
        )
        return [CollectionItem(str(p), str(n), float(at)) for p, n, at in rows]


def _free_slug(conn: SqlConnection, user_id: int, wanted: str) -> str:
    taken = {
        str(row[0])
        for row in conn.execute(
            "SELECT slug FROM folders WHERE user_id = ? AND slug IS NOT NULL", (user_id,)
        )
    }
    slug, n = wanted, 1
    while slug in taken:
        n += 1
        slug = f"{wanted[: _MAX_SLUG - 4]}-{n}"
    return slug


def _collection(row: tuple[object, ...]) -> Collection:
    fid, uid, owner, name, slug, title, description, public, published_at = row
    return Collection(
        id=int(fid),  # type: ignore[call-overload]
        user_id=int(uid),  # type: ignore[call-overload]
        owner=str(owner),
        name=str(name),
        slug=None if slug is None else str(slug),
        title=str(title or ""),
        description=str(description or ""),
        public=bool(public),
        published_at=None if published_at is None else float(published_at),  # type: ignore[arg-type]
    )
