"""arXiv identifiers: parse any form people paste, return the canonical id and version.

Accepted forms: new-style ids (``0704.0001`` to ``2601.12345``, 4 digits before
2015 and 5 after), old-style ids (``hep-th/9901001``, ``math.GT/0309136v1``),
an ``arXiv:`` prefix, and abs/pdf/html URLs on arxiv.org or export.arxiv.org.
The canonical id drops the version and an old-style subject class, as arXiv does.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["ArxivId", "InvalidArxivId", "is_arxiv_id", "parse_arxiv_id"]


class InvalidArxivId(ValueError):
    """Raised for text that is not an arXiv identifier or URL."""


@dataclass(frozen=True, slots=True)
class ArxivId:
    id: str
    version: int | None = None

    @property
    def versioned(self) -> str:
        return f"{self.id}v{self.version}" if self.version else self.id

    def __str__(self) -> str:
        return self.versioned


_NEW = re.compile(r"(?P<yy>\d{2})(?P<mm>\d{2})\.(?P<num>\d{4,5})(?:v(?P<v>[1-9]\d*))?")
_OLD = re.compile(
    r"(?P<archive>[a-z]+(?:-[a-z]+)?)(?:\.[A-Za-z]+(?:-[A-Za-z]+)?)?/"
    r"(?P<yymm>\d{4})(?P<num>\d{3})(?:v(?P<v>[1-9]\d*))?"
)
_URL = re.compile(
    r"^(?:https?://)?(?:www\.|export\.)?arxiv\.org/(?:abs|pdf|html)/(?P<rest>.+?)"
    r"(?:\.pdf)?/?(?:[?#].*)?$",
    re.IGNORECASE,
)
_PREFIX = re.compile(r"^arxiv:\s*", re.IGNORECASE)


def parse_arxiv_id(text: str) -> ArxivId:
    """Return the canonical id and version of ``text``, or raise InvalidArxivId."""
    raw = text.strip() if isinstance(text, str) else ""
    candidate = raw
    url = _URL.match(candidate)
    if url:
        candidate = url.group("rest")
    candidate = _PREFIX.sub("", candidate)
    parsed = _parse_bare(candidate)
    if parsed is None:
        raise InvalidArxivId(f"not an arXiv id or URL: {raw[:80]!r}")
    return parsed


def is_arxiv_id(text: str) -> bool:
    try:
        parse_arxiv_id(text)
    except InvalidArxivId:
        return False
    return True


def _parse_bare(candidate: str) -> ArxivId | None:
    new = _NEW.fullmatch(candidate)
    if new:
        return _checked_new(new)
    old = _OLD.fullmatch(candidate)
    if old:
        return _checked_old(old)
    return None


def _checked_new(m: re.Match[str]) -> ArxivId | None:
    yy, mm, num = int(m["yy"]), int(m["mm"]), m["num"]
    if not 1 <= mm <= 12 or (yy, mm) < (7, 4):
        return None
    five_digits = (yy, mm) >= (15, 1)
    if len(num) != (5 if five_digits else 4):
        return None
    return ArxivId(f"{m['yy']}{m['mm']}.{num}", _version(m["v"]))


def _checked_old(m: re.Match[str]) -> ArxivId | None:
    month = int(m["yymm"][2:])
    if not 1 <= month <= 12:
        return None
    return ArxivId(f"{m['archive']}/{m['yymm']}{m['num']}", _version(m["v"]))


def _version(text: str | None) -> int | None:
    return int(text) if text else None
