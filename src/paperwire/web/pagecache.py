"""Rendered pages kept for reuse, keyed by URL and by what they were made from.

A page is reused only while the store's change sequence and votes version
are those it was rendered at, and for at most ``ttl`` seconds (for what the
key cannot see: the day changing). Only pages for
visitors who are not logged in are cached: a logged-in page carries the
user's name, votes and CSRF token.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Hashable
from dataclasses import dataclass

__all__ = ["CachedPage", "PageCache"]


@dataclass(frozen=True, slots=True)
class CachedPage:
    body: bytes
    status: int
    media_type: str
    version: Hashable
    expires: float


class PageCache:
    def __init__(self, ttl: float, max_entries: int) -> None:
        self.ttl = ttl
        self.max_entries = max_entries
        self._pages: OrderedDict[str, CachedPage] = OrderedDict()
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    @property
    def enabled(self) -> bool:
        return self.ttl > 0 and self.max_entries > 0

    def get(self, key: str, version: Hashable) -> CachedPage | None:
        with self._lock:
            page = self._pages.get(key)
            if page is None or page.version != version or page.expires < time.monotonic():
                self.misses += 1
                return None
            self._pages.move_to_end(key)
            self.hits += 1
            return page

    def put(self, key: str, version: Hashable, body: bytes, status: int, media_type: str) -> None:
        if not self.enabled:
            return
        page = CachedPage(body, status, media_type, version, time.monotonic() + self.ttl)
        with self._lock:
            self._pages[key] = page
            self._pages.move_to_end(key)
            while len(self._pages) > self.max_entries:
                self._pages.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._pages.clear()
