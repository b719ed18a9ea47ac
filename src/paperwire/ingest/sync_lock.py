"""An exclusive, non-blocking lock on a file, so two syncs never overlap.

The operating system releases the lock when its holder exits, however it
exits, so a killed sync never leaves a stale lock behind (unlike a lock row).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

try:  # POSIX
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]
    import msvcrt

__all__ = ["LockBusy", "exclusive_lock"]


class LockBusy(RuntimeError):
    """Another process holds the lock."""


@contextmanager
def exclusive_lock(path: Path, what: str = "sync") -> Iterator[None]:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a+b") as handle:
        try:
            _lock(handle)
        except OSError:
            raise LockBusy(
                f"another {what} is running (it holds {path}): wait for it to finish"
            ) from None
        handle.seek(0)
        handle.truncate()
        handle.write(str(os.getpid()).encode("ascii"))  # for a person wondering who holds it
        handle.flush()
        yield


def _lock(handle: IO[bytes]) -> None:
    if fcntl is not None:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    else:  # pragma: no cover - Windows
        msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)
