"""Clean the text fields of incoming records: whitespace, line wraps, paragraphs.

arXiv wraps abstracts at 80 columns and indents paragraphs; Hugging Face keeps
those wraps in some fields and not in others. Normalising here makes the same
paper from two sources compare equal, so a re-import changes nothing.
"""

from __future__ import annotations

import re

__all__ = ["clean_line", "clean_paragraphs"]

_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")


def clean_line(text: str | None) -> str:
    """One line: every run of whitespace becomes a single space."""
    return " ".join((text or "").split())


def clean_paragraphs(text: str | None) -> str:
    """Unwrap lines within paragraphs, keep blank-line paragraph breaks."""
    paragraphs = (clean_line(p) for p in _PARAGRAPH_BREAK.split(text or ""))
    return "\n\n".join(p for p in paragraphs if p)
