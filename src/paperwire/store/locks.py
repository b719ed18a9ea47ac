"""Named job locks: one job of a kind (a sync, a mail delivery) at a time, on any number of nodes.

For SQLite a lock is an exclusive lock on a file beside the database; on
PostgreSQL it is a session-level advisory lock held on one connection. Either
way the holder's death releases it, however it dies (the operating system
closes the file; the server ends the session), so a killed job never leaves
a stale lock behind, unlike a lock row.
"""

from __future__ import annotations

import hashlib
import os
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

if sys.platform == "win32":  # pragma: no cover - Windows
    import msvcrt
else:  # POSIX
    import fcntl

if TYPE_CHECKING:
    import psycopg

__all__ = ["JobBusy", "advisory_lock", "file_lock"]

_POLL_SECONDS = 0.1


class JobBusy(RuntimeError):
    """Another process holds the lock of this job."""

    def __init__(self, job: str, holder: str) -> None:
        super().__init__(f"another {job} is running (it holds {holder}): wait for it to finish")
        self.job = job


@contextmanager
def file_lock(path: Path, job: str, wait_seconds: float = 0.0) -> Iterator[None]:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a+b") as handle:
        _wait_for(lambda: _try_flock(handle.fileno()), wait_seconds, job, str(path))
        handle.seek(0)
        handle.truncate()
        handle.write(str(os.getpid()).encode("ascii"))  # for a person wondering who holds it
        handle.flush()
        yield


@contextmanager
def advisory_lock(conn: psycopg.Connection, job: str, wait_seconds: float = 0.0) -> Iterator[None]:
    """Hold PostgreSQL's advisory lock of ``job`` on ``conn`` (an autocommit connection)."""
    key = _lock_key(job)

    def take() -> bool:
        row = conn.execute("SELECT pg_try_advisory_lock(%s)", (key,)).fetchone()
        return row is not None and bool(row[0])

    _wait_for(take, wait_seconds, job, f"PostgreSQL advisory lock {key}")
    try:
        yield
    finally:
        if not conn.closed:
            conn.execute("SELECT pg_advisory_unlock(%s)", (key,))


def _wait_for(take: Callable[[], bool], wait_seconds: float, job: str, holder: str) -> None:
    deadline = time.monotonic() + wait_seconds
    while not take():
        if time.monotonic() >= deadline:
            raise JobBusy(job, holder)
        time.sleep(_POLL_SECONDS)


def _try_flock(fileno: int) -> bool:
    try:
        if sys.platform == "win32":  # pragma: no cover - Windows
            msvcrt.locking(fileno, msvcrt.LK_NBLCK, 1)
        else:
            fcntl.flock(fileno, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False
    return True


def _lock_key(job: str) -> int:
    # A stable signed 64-bit key per job name (Python's hash() changes per process).
    return int.from_bytes(hashlib.sha256(f"paperwire:{job}".encode()).digest()[:8], signed=True)
