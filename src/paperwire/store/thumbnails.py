"""Thumbnails of papers' first pages, and the paper pages a sitemap lists.

A query mixin of both stores. ``thumbnails`` holds one row per paper whose
PDF was fetched: the WebP image (a small blob, so every web node serves it
from the store), its size and a digest that is its ETag; or, where the PDF
could not be made into one (a 404, a corrupt or oversized PDF), no image and
the problem, so the fetcher does not ask again. Every stored thumbnail bumps
``thumbnails_version``, which cached pages follow (their ``<img>`` tags).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Protocol

from paperwire.store.sql import SqlBackend, column_bytes, column_int, in_chunks
from paperwire.store.versions import THUMBNAILS, bump_version

__all__ = [
    "SitemapEntry",
    "StoredThumbnail",
    "ThumbnailAttempt",
    "ThumbnailStore",
    "ThumbnailsMixin",
]


@dataclass(frozen=True, slots=True)
class StoredThumbnail:
    """A paper's thumbnail: WebP bytes, their pixel size, and a digest (the ETag)."""

    paper_id: str
    image: bytes
    width: int
    height: int
    digest: str


@dataclass(frozen=True, slots=True)
class ThumbnailAttempt:
    """What one fetch of a paper's PDF gave: a thumbnail, or ``problem`` saying why not."""

    paper_id: str
    fetched_at: str  # ISO 8601, UTC
    thumbnail: StoredThumbnail | None = None
    problem: str | None = None


@dataclass(frozen=True, slots=True)
class SitemapEntry:
    paper_id: str
    last_modified: date | None


class ThumbnailStore(Protocol):
    def record_thumbnail_attempt(self, attempt: ThumbnailAttempt) -> None: ...

    def thumbnail(self, paper_id: str) -> StoredThumbnail | None: ...

    def thumbnail_sizes(self, paper_ids: Iterable[str]) -> dict[str, tuple[int, int, str]]: ...

    def thumbnail_attempted(self, paper_ids: Iterable[str]) -> set[str]: ...

    def thumbnail_bytes_total(self) -> int: ...

    def papers_readers_chose(self, limit: int) -> list[str]: ...

    def sitemap_count(self) -> int: ...

    def sitemap_entries(self, offset: int, limit: int) -> list[SitemapEntry]: ...


class ThumbnailsMixin(SqlBackend):
    def record_thumbnail_attempt(self, attempt: ThumbnailAttempt) -> None:
        """Store a fetch's outcome for its paper, replacing any earlier one, in one transaction."""
        thumb = attempt.thumbnail
        if thumb is None and not attempt.problem:
            raise ValueError(f"{attempt.paper_id}: an attempt has a thumbnail or a problem")
        with self.transaction() as conn:
            conn.execute(
                "INSERT INTO thumbnails (paper_id, fetched_at, problem, image, width, height,"
                " digest, size) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (paper_id) DO UPDATE"
                " SET fetched_at = excluded.fetched_at, problem = excluded.problem,"
                " image = excluded.image, width = excluded.width, height = excluded.height,"
                " digest = excluded.digest, size = excluded.size",
                (
                    attempt.paper_id,
                    attempt.fetched_at,
                    attempt.problem,
                    thumb.image if thumb else None,
                    thumb.width if thumb else None,
                    thumb.height if thumb else None,
                    thumb.digest if thumb else None,
                    len(thumb.image) if thumb else 0,
                ),
            )
            if thumb is not None:
                bump_version(conn, THUMBNAILS)

    def thumbnail(self, paper_id: str) -> StoredThumbnail | None:
        """The paper's thumbnail, or None (never fetched, or no thumbnail could be made)."""
        row = (
            self._reader()
            .execute(
                "SELECT image, width, height, digest FROM thumbnails"
                " WHERE paper_id = ? AND image IS NOT NULL",
                (paper_id,),
            )
            .fetchone()
        )
        if row is None:
            return None
        image, width, height, digest = row
        return StoredThumbnail(
            paper_id, column_bytes(image), column_int(width), column_int(height), str(digest)
        )

    def thumbnail_sizes(self, paper_ids: Iterable[str]) -> dict[str, tuple[int, int, str]]:
        """``{paper_id: (width, height, digest)}`` for those of ``paper_ids`` with a thumbnail."""
        found: dict[str, tuple[int, int, str]] = {}
        conn = self._reader()
        for chunk, marks in in_chunks(list(dict.fromkeys(paper_ids))):
            rows = conn.execute(
                "SELECT paper_id, width, height, digest FROM thumbnails"
                f" WHERE image IS NOT NULL AND paper_id IN ({marks})",
                chunk,
            )
            for paper_id, width, height, digest in rows:
                found[str(paper_id)] = (column_int(width), column_int(height), str(digest))
        return found

    def thumbnail_attempted(self, paper_ids: Iterable[str]) -> set[str]:
        """Those of ``paper_ids`` fetched before, whatever came of it."""
        found: set[str] = set()
        conn = self._reader()
        for chunk, marks in in_chunks(list(dict.fromkeys(paper_ids))):
            rows = conn.execute(
                f"SELECT paper_id FROM thumbnails WHERE paper_id IN ({marks})", chunk
            )
            found.update(str(row[0]) for row in rows)
        return found

    def thumbnail_bytes_total(self) -> int:
        """The bytes of every stored thumbnail image together."""
        row = self._reader().execute("SELECT COALESCE(SUM(size), 0) FROM thumbnails").fetchone()
        return column_int(row[0])

    def papers_readers_chose(self, limit: int) -> list[str]:
        """Up to ``limit`` ids of papers some reader upvoted, saved, marked seen or opened,
        and whose PDF was never fetched: the most recently chosen first, so a long past
        cannot keep new choices out of the limit."""
        rows = self._reader().execute(
            "SELECT paper_id FROM (SELECT paper_id, created_at AS at FROM votes"
            " UNION ALL SELECT paper_id, saved_at FROM library"
            " UNION ALL SELECT paper_id, at FROM seen_papers"
            " UNION ALL SELECT paper_id, at FROM opened_papers) AS chosen"
            " WHERE NOT EXISTS (SELECT 1 FROM thumbnails t WHERE t.paper_id = chosen.paper_id)"
            " GROUP BY paper_id ORDER BY MAX(at) DESC, paper_id LIMIT ?",
            (limit,),
        )
        return [str(row[0]) for row in rows]

    def sitemap_count(self) -> int:
        """How many papers a sitemap lists: every one arXiv has not deleted."""
        row = self._reader().execute("SELECT COUNT(*) FROM papers WHERE deleted_on IS NULL")
        return column_int(row.fetchone()[0])

    def sitemap_entries(self, offset: int, limit: int) -> list[SitemapEntry]:
        """Papers not deleted, by id, from ``offset``: each with its listing (or publication)
        day as the page's last change."""
        rows = self._reader().execute(
            "SELECT id, COALESCE(listed_on, published) FROM papers WHERE deleted_on IS NULL"
            " ORDER BY id LIMIT ? OFFSET ?",
            (limit, offset),
        )
        return [SitemapEntry(str(pid), _day(day)) for pid, day in rows]


def _day(value: object) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        return None
