"""Request spacing shared by every client of one service within the process.

arXiv asks for at most one request every three seconds and a single
connection. ``ARXIV_LIMITER`` is the one limiter every arXiv client (API,
OAI-PMH, RSS) holds: a request runs only inside ``slot()``, which admits one
request at a time and starts it no sooner than ``interval`` seconds after the
previous one *finished*. Measuring from the end, not the start, keeps the
gap at the server at least the interval even when a response is slow.

A ``background`` request (a thumbnail's PDF) waits while any other request
waits for the limiter: the sync's polling goes first.
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
        self._turn = threading.Condition()
        self._busy = False
        self._waiting = 0  # requests other than background ones waiting for a slot
        self._last_end: float | None = None

    @contextmanager
    def slot(self, interval: float, *, background: bool = False) -> Iterator[None]:
        """Run the request inside; ``background`` ones yield to any other that waits."""
        with self._turn:
            if not background:
                self._waiting += 1
            try:
                while self._busy or (background and self._waiting):
                    self._turn.wait()
            finally:
                if not background:
                    self._waiting -= 1
            self._busy = True
        try:
            if self._last_end is not None:
                wait = self._last_end + interval - time.monotonic()
                if wait > 0:
                    time.sleep(wait)
            yield
        finally:
            with self._turn:
                self._last_end = time.monotonic()
                self._busy = False
                self._turn.notify_all()


ARXIV_LIMITER = RateLimiter()
