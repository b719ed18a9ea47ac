"""arXiv identifiers: parse any form people paste, return the canonical id and version.

Accepted forms: new-style ids (``0704.0001`` to ``2601.12345``, 4 digits before
2015 and 5 after), old-style ids (``hep-th/9901001``, ``math.GT/0309136v1``),
with an ``arXiv:`` prefix and a trailing primary category as arXiv prints them
(``arXiv:2503.12885 [cs.CV]``); arXiv's DOIs (``10.48550/arXiv.2503.12885``, as a
``doi:`` or https://doi.org/ link too: arXiv's help page "arXiv DOIs"); and
paper URLs on arxiv.org (abs, pdf, html), export.arxiv.org, ar5iv, alphaXiv
and Hugging Face (``/papers/ID``). Punctuation that a sentence or markup puts
around a pasted id or URL (a full stop, brackets, quotes) is dropped. The
canonical id drops the version and an old-style subject class, as arXiv does.
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
# The sites whose paper URLs end in an arXiv id, each with the paths that do.
_URL = re.compile(
    r"^(?:https?://)?(?:www\.)?"
    r"(?:(?:export\.|browse\.)?arxiv\.org/(?:abs|pdf|html|format)"
    r"|(?:ar5iv\.labs\.arxiv\.org|ar5iv\.org)/(?:abs|html)"
    r"|alphaxiv\.org/(?:abs|overview|pdf)"
    r"|(?:huggingface\.co|hf\.co)/papers"
    r"|(?:dx\.)?doi\.org/10\.48550)/(?P<rest>.+?)"
    r"(?:\.pdf)?/?(?:[?#].*)?$",
    re.IGNORECASE,
)
# arXiv's DOI prefix (``10.48550/arXiv.``), bare or as ``doi:``, and the ``arXiv:`` prefix.
_PREFIX = re.compile(r"^(?:(?:doi:\s*)?10\.48550/)?arxiv[:.]\s*", re.IGNORECASE)
_CATEGORY_SUFFIX = re.compile(r"\s*\[[a-z-]+(?:\.[A-Za-z-]+)?\]$")
_WRAPPING = "<>()[]{}\"'“”‘’`"
_TRAILING = ".,;:!?"


def parse_arxiv_id(text: str) -> ArxivId:
    """Return the canonical id and version of ``text``, or raise InvalidArxivId."""
    raw = text.strip() if isinstance(text, str) else ""
    candidate = _unwrapped(raw)
    url = _URL.match(candidate)
    if url:
        candidate = url.group("rest")
    candidate = _PREFIX.sub("", candidate)
    parsed = _parse_bare(candidate)
    if parsed is None:
        raise InvalidArxivId(f"not an arXiv id or URL: {raw[:80]!r}")
    return parsed


def _unwrapped(text: str) -> str:
    """``text`` without the punctuation around a pasted id: "(see arXiv:2401.00001)."
    gives "arXiv:2401.00001"; a trailing "[cs.CV]" goes too."""
    previous = None
    while previous != text:
        previous = text
        text = _CATEGORY_SUFFIX.sub("", text).strip()
        text = text.rstrip(_TRAILING)
        if text[:1] in _WRAPPING:
            text = text[1:]
        if text[-1:] in _WRAPPING:
            text = text[:-1]
        text = text.strip()
    return text


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
