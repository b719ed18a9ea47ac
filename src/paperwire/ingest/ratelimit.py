"""Request spacing shared by every client of one service within the process.

arXiv asks for at most one request every three seconds and a single
connection. ``ARXIV_LIMITER`` is the one limiter every arXiv client (API,
OAI-PMH, RSS) holds: a request runs only inside ``slot()``, which admits one
request at a time and starts it no sooner than ``interval`` seconds after the
previous one *finished*. Measuring from the end, not the start, keeps the
gap at the server at least the interval even when a response is slow.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["ARXIV_LIMITER", "RateLimiter"]


class RateLimiter:
    """One request at a time, spaced by at least the caller's interval."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._last_end: float | None = None

    @contextmanager
    def slot(self, interval: float) -> Iterator[None]:
        with self._lock:
            if self._last_end is not None:
                wait = self._last_end + interval - time.monotonic()
                if wait > 0:
                    time.sleep(wait)
            try:
                yield
            finally:
                self._last_end = time.monotonic()


ARXIV_LIMITER = RateLimiter()
