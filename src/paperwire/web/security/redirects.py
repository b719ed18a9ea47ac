"""Where a ``next=`` parameter may send the browser: only to a path on this site."""

from __future__ import annotations

from urllib.parse import urlsplit

__all__ = ["safe_next"]


def safe_next(value: str | None, default: str = "/") -> str:
    """``value`` if it is a local path ("/papers/1"), else ``default``.

    Refused: absolute URLs, scheme-relative "//host", backslash tricks
    ("/\\host", which browsers read as "//host"), and control characters.
    """
    if not value or not value.startswith("/") or value.startswith("//"):
        return default
    if "\\" in value or any(ord(c) < 0x20 or ord(c) == 0x7F for c in value):
        return default
    parts = urlsplit(value)
    if parts.scheme or parts.netloc:
        return default
    return value
