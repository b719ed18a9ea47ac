"""Change counters: what a cached page depends on, bumped by writes, read in one query.

Votes, code activity (stars and artifacts), thumbnails and the discussion each
keep a counter in ``meta`` that every write of theirs bumps in its own
transaction; the papers' change seq and a sync-state value (how far a
follower has come) complete what a page cache keys on. ``content_versions``
reads them all in one statement: a cached page costs one round trip to the
store, not six (on PostgreSQL each is a network round trip).
"""

from __future__ import annotations

from dataclasses import dataclass

from paperwire.store.sql import SqlBackend, SqlConnection

__all__ = [
    "CODE_ACTIVITY",
    "DISCUSSION",
    "THUMBNAILS",
    "VOTES",
    "ContentVersions",
    "VersionsMixin",
    "bump_version",
]

VOTES = "votes_version"  # every vote cast or taken back
CODE_ACTIVITY = "code_activity_version"  # every write of stars or artifacts
THUMBNAILS = "thumbnails_version"  # every stored thumbnail
DISCUSSION = "discussion_version"  # every change to any comment


@dataclass(frozen=True, slots=True)
class ContentVersions:
    """The counters at one moment; two equal values mean nothing they count changed."""

    papers: int  # the highest change seq of the papers
    votes: int
    code_activity: int
    thumbnails: int
    discussion: int
    sync_state: str | None  # the value of the sync-state key asked for, or None


def bump_version(conn: SqlConnection, key: str) -> None:
    """Add one to the counter ``key`` (one of this module's keys), inside a transaction."""
    conn.execute(
        "INSERT INTO meta (key, value) VALUES (?, '1') ON CONFLICT (key)"
        " DO UPDATE SET value = CAST(CAST(meta.value AS INTEGER) + 1 AS TEXT)",
        (key,),
    )


_COUNTERS = (VOTES, CODE_ACTIVITY, THUMBNAILS, DISCUSSION)
_READ = "SELECT (SELECT COALESCE(MAX(seq), 0) FROM papers), {counters}, {sync_state}".format(
    counters=", ".join("(SELECT value FROM meta WHERE key = ?)" for _ in _COUNTERS),
    sync_state="(SELECT value FROM sync_state WHERE key = ?)",
)


class VersionsMixin(SqlBackend):
    def content_versions(self, sync_state_key: str) -> ContentVersions:
        """Every counter, and the sync state under ``sync_state_key``, in one query."""
        row = self._reader().execute(_READ, (*_COUNTERS, sync_state_key)).fetchone()
        papers, *counters, sync_state = row
        votes, code_activity, thumbnails, discussion = (int(v or 0) for v in counters)
        state = None if sync_state is None else str(sync_state)
        return ContentVersions(int(papers), votes, code_activity, thumbnails, discussion, state)
