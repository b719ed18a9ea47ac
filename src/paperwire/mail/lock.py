"""One deliverer at a time: an exclusive lock on a file beside the store.

Only the holder sends from the outbox, so a message claimed by one process is
never claimed by another (the web's confirmation sends and a digest run may
overlap). The operating system drops the lock when its holder dies, however
it dies, so a killed run never blocks the next one, and the next one may
resend what the dead one had claimed.
"""

from __future__ import annotations

import fcntl
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

__all__ = ["DeliveryBusy", "delivery_lock", "lock_path_for"]

_POLL_SECONDS = 0.1


class DeliveryBusy(RuntimeError):
    """Another process kept the outbox for longer than we would wait."""


def lock_path_for(store: object) -> Path | None:
    """The lock file of a store kept in a file (SQLite); None for a database server."""
    path = getattr(store, "path", None)
    return Path(f"{path}.outbox-lock") if path is not None else None


@contextmanager
def delivery_lock(path: Path | None, wait_seconds: float = 60.0) -> Iterator[None]:
    if path is None:
        yield
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    deadline = time.monotonic() + wait_seconds
    with open(path, "a+b") as handle:
        while True:
            try:
                fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except OSError:
                if time.monotonic() >= deadline:
                    raise DeliveryBusy(
                        f"another process is sending mail (it holds {path}): try again later"
                    ) from None
                time.sleep(_POLL_SECONDS)
        handle.seek(0)
        handle.truncate()
        handle.write(str(os.getpid()).encode("ascii"))  # for a person wondering who holds it
        handle.flush()
        yield
