"""Versioned schema migrations for the SQLite store, applied in order on open.

Each entry moves the schema from version N-1 to N; ``PRAGMA user_version``
records where a database stands. Append, never edit, a released migration.
"""

from __future__ import annotations

import sqlite3

__all__ = ["MIGRATIONS", "migrate"]

MIGRATIONS: list[str] = [
    # 1: papers as a JSON record plus the columns that feeds and filters query.
    """
    CREATE TABLE papers (
        id TEXT PRIMARY KEY,
        seq INTEGER NOT NULL,
        record TEXT NOT NULL,
        title TEXT NOT NULL,
        source TEXT NOT NULL,
        published TEXT,
        listed_on TEXT,
        upvotes INTEGER,
        github_stars INTEGER,
        organization TEXT,
        has_code INTEGER NOT NULL DEFAULT 0
    ) WITHOUT ROWID;
    CREATE UNIQUE INDEX papers_by_seq ON papers(seq);
    CREATE INDEX papers_by_listed_on ON papers(listed_on, upvotes);
    CREATE INDEX papers_by_organization ON papers(organization);
    CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    """,
    # 2: one embedding vector per paper (float32 bytes), the source of truth that
    # vector indexes are rebuilt from; text_hash tells when the text changed.
    """
    CREATE TABLE embeddings (
        paper_id TEXT PRIMARY KEY,
        model TEXT NOT NULL,
        text_hash TEXT NOT NULL,
        seq INTEGER NOT NULL,
        vector BLOB NOT NULL
    ) WITHOUT ROWID;
    """,
]


def migrate(conn: sqlite3.Connection) -> int:
    """Bring the schema up to date; return the schema version.

    Each step runs in its own IMMEDIATE transaction and re-reads the version
    inside it, so two processes opening a new database at once both succeed.
    """
    target = len(MIGRATIONS)
    while (current := _schema_version(conn)) < target:
        conn.execute("BEGIN IMMEDIATE")
        try:
            if _schema_version(conn) == current:
                for statement in MIGRATIONS[current].split(";"):
                    if statement.strip():
                        conn.execute(statement)
                conn.execute(f"PRAGMA user_version = {current + 1}")
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
    if current > target:
        raise RuntimeError(
            f"this database has schema version {current}, newer than this paperwire "
            f"({target}): upgrade paperwire before opening it"
        )
    return target


def _schema_version(conn: sqlite3.Connection) -> int:
    return int(conn.execute("PRAGMA user_version").fetchone()[0])
