"""Clean the text fields of incoming records: whitespace, line wraps, paragraphs.

arXiv wraps abstracts at 80 columns and indents paragraphs; Hugging Face keeps
those wraps in some fields and not in others. Normalising here makes the same
paper from two sources compare equal, so a re-import changes nothing.
"""

from __future__ import annotations

import re
from collections.abc import Callable

__all__ = ["clean_line", "clean_paragraphs"]

# A blank line, or (arXiv's own mark: its abstracts never use blank lines) a line
# break followed by leading white space.
_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n\s*|\n[ \t]+(?=\S)")


def clean_line(text: str | None) -> str:
    """One line: every run of whitespace becomes a single space."""
    return " ".join((text or "").split())


def clean_paragraphs(text: str | None, convert: Callable[[str], str] = str) -> str:
    """Unwrap lines within paragraphs; paragraphs are kept, one blank line apart.

    A paragraph starts after a blank line or, as arXiv marks it (its submission
    form keeps the author's line breaks and indentation), after a line break
    followed by leading white space. ``convert`` is applied to each paragraph
    before its lines are unwrapped (TeX to Unicode, say); empty ones are dropped.
    """
    pieces = _PARAGRAPH_BREAK.split((text or "").strip())
    paragraphs = (clean_line(convert(p)) for p in pieces)
    return "\n\n".join(p for p in paragraphs if p)
