"""Backups of the SQLite store taken while it is in use, and restoring one atomically.

A backup uses SQLite's online backup API in one step: it reads a single
snapshot (in WAL mode a reader never blocks the writer), so the copy is
consistent even while imports, votes or digests are being written. A file
is only ever accepted as a store after ``inspect_store_file`` has checked it
(SQLite's own integrity check, a known schema version, the core tables).
Restoring copies the checked file beside the target and renames it over it,
so the target is either the old store or the new one, never a mixture.

A PostgreSQL store is backed up with ``pg_dump`` and restored with
``pg_restore``: ``postgres_backup_command`` builds the command, and
``POSTGRES_GUIDANCE`` says how to run both by hand.
"""

from __future__ import annotations

import os
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

from paperwire.store.migrations import MIGRATIONS

__all__ = [
    "POSTGRES_GUIDANCE",
    "NotAStore",
    "StoreFileInfo",
    "backup_sqlite",
    "inspect_store_file",
    "postgres_backup_command",
    "restore_sqlite",
    "table_rows",
]

# Tables every paperwire store has since its first schema version.
_CORE_TABLES = ("papers", "meta")
# What makes a store "not empty": replacing any of these loses someone's data.
_USER_DATA_TABLES = ("papers", "users", "votes", "subscribers", "outbox")

POSTGRES_GUIDANCE = """\
A PostgreSQL store is backed up and restored with PostgreSQL's own tools:

  pg_dump --format=custom --file=paperwire.dump "$PAPERWIRE_DATABASE_URL"
  pg_restore --clean --if-exists --no-owner --dbname="$PAPERWIRE_DATABASE_URL" paperwire.dump

pg_dump takes a consistent snapshot while the service runs; stop the service
before pg_restore, then run `paperwire reindex` and `paperwire check`."""


class NotAStore(ValueError):
    """The file is not a paperwire store this version can use; the message says why."""


@dataclass(slots=True)
class StoreFileInfo:
    path: Path
    schema_version: int
    integrity: str  # "ok", or SQLite's first complaint
    rows: dict[str, int] = field(default_factory=dict)

    @property
    def holds_data(self) -> bool:
        return any(self.rows.get(table, 0) for table in _USER_DATA_TABLES)


def postgres_backup_command(url: str, dest: Path) -> list[str]:
    return ["pg_dump", "--format=custom", f"--file={dest}", url]


def backup_sqlite(source: Path, dest: Path) -> StoreFileInfo:
    """Copy the store at ``source`` to ``dest`` (replaced atomically); return the copy's check."""
    if not source.is_file():
        raise NotAStore(f"{source} does not exist")
    inspect_store_file(source, check_integrity=False)
    dest.parent.mkdir(parents=True, exist_ok=True)
    partial = dest.with_name(dest.name + ".partial")
    _remove_sqlite_files(partial)
    _copy_database(source, partial)
    try:
        info = inspect_store_file(partial)
    except NotAStore:
        _remove_sqlite_files(partial)
        raise
    _fsync(partial)
    os.replace(partial, dest)
    info.path = dest
    return info


def restore_sqlite(source: Path, target: Path, force: bool = False) -> StoreFileInfo:
    """Replace the store at ``target`` with the checked backup ``source``.

    Refuses (NotAStore or FileExistsError) when ``source`` is not a good store
    or ``target`` holds data and ``force`` is False. Stop the service first:
    a process holding the old file open would keep writing to it.
    """
    info = inspect_store_file(source)
    if target.exists() and not force:
        current = inspect_store_file(target, check_integrity=False)
        if current.holds_data:
            raise FileExistsError(
                f"{target} already holds data ({_summary(current.rows)}): "
                "pass --force to replace it (back it up first)"
            )
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".restoring")
    _remove_sqlite_files(partial)
    _copy_database(source, partial)
    _fsync(partial)
    if target.exists():
        _checkpoint(target)
    # The old store's write-ahead log must not be replayed onto the restored file.
    for suffix in ("-wal", "-shm"):
        Path(f"{target}{suffix}").unlink(missing_ok=True)
    os.replace(partial, target)
    info.path = target
    return info


def inspect_store_file(path: Path, check_integrity: bool = True) -> StoreFileInfo:
    """The schema version, integrity and row counts of a store file, or NotAStore."""
    if not path.is_file():
        raise NotAStore(f"{path} does not exist")
    try:
        conn = _read_only(path)
    except sqlite3.Error as exc:
        raise NotAStore(f"{path} cannot be opened as SQLite: {exc}") from None
    try:
        return _inspect(conn, path, check_integrity)
    except sqlite3.DatabaseError as exc:
        raise NotAStore(f"{path} is not a SQLite database: {exc}") from None
    finally:
        conn.close()


def table_rows(path: Path) -> dict[str, list[tuple[object, ...]]]:
    """Every row of every table, sorted: two stores holding the same data compare equal."""
    conn = _read_only(path)
    try:
        return {
            table: sorted(conn.execute(f'SELECT * FROM "{table}"').fetchall(), key=repr)
            for table in _tables(conn)
        }
    finally:
        conn.close()


def _inspect(conn: sqlite3.Connection, path: Path, check_integrity: bool) -> StoreFileInfo:
    version = int(conn.execute("PRAGMA user_version").fetchone()[0])
    tables = _tables(conn)
    missing = [t for t in _CORE_TABLES if t not in tables]
    if missing or version < 1:
        raise NotAStore(f"{path} is a SQLite file but not a paperwire store (no {missing[:1]})")
    if version > len(MIGRATIONS):
        raise NotAStore(
            f"{path} has schema version {version}, newer than this paperwire knows "
            f"({len(MIGRATIONS)}): upgrade paperwire first"
        )
    integrity = "not checked"
    if check_integrity:
        integrity = str(conn.execute("PRAGMA integrity_check").fetchone()[0])
        if integrity != "ok":
            raise NotAStore(f"{path} fails SQLite's integrity check: {integrity}")
    rows = {
        table: int(conn.execute(f'SELECT COUNT(*) FROM "{table}"').fetchone()[0])
        for table in _USER_DATA_TABLES
        if table in tables
    }
    return StoreFileInfo(path, version, integrity, rows)


def _tables(conn: sqlite3.Connection) -> list[str]:
    rows = conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        " ORDER BY name"
    )
    return [str(row[0]) for row in rows]


def _copy_database(source: Path, dest: Path) -> None:
    src = _read_only(source)
    out = sqlite3.connect(dest)
    try:
        # pages=-1 copies everything in one step: one snapshot, never restarted
        # by a concurrent writer, and in WAL mode the writer is not held up.
        src.backup(out, pages=-1)
        out.execute("PRAGMA journal_mode = DELETE")  # a single self-contained file
    finally:
        out.close()
        src.close()


def _read_only(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(path.resolve().as_uri() + "?mode=ro", uri=True)


def _checkpoint(path: Path) -> None:
    try:
        conn = sqlite3.connect(path)
        try:
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            conn.close()
    except sqlite3.DatabaseError:
        pass  # a damaged target is being replaced anyway


def _remove_sqlite_files(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def _fsync(path: Path) -> None:
    with path.open("rb") as handle:
        os.fsync(handle.fileno())


def _summary(rows: dict[str, int]) -> str:
    return ", ".join(f"{count} {table}" for table, count in rows.items() if count)
