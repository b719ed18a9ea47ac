"""Web addresses in authors' text (abstracts, comments) as safe links.

Only ``http`` and ``https`` addresses become links, each
``rel="nofollow noopener ugc"``: the text is the authors', not ours, and search
engines are told so (https://developers.google.com/search/docs/crawling-indexing/qualify-outbound-links).
Everything else is escaped.
"""

from __future__ import annotations

import re

from markupsafe import Markup, escape

__all__ = ["REL", "linked_html", "url_spans"]

REL = "nofollow noopener ugc"

# An address runs to white space or a character no address holds unescaped (and
# stops at 2,000 characters, beyond what browsers and servers take).
_URL = re.compile(r"\bhttps?://[^\s<>\"'`{}|\\^]{1,2000}", re.IGNORECASE)
# Sentence punctuation after an address is the sentence's, not the address's.
_TRAILING = ".,;:!?*"
_CLOSERS = {")": "(", "]": "["}


def url_spans(text: str) -> list[tuple[int, int]]:
    """Where ``text``'s addresses are: (start, end) pairs, in order."""
    spans = []
    for match in _URL.finditer(text):
        end = match.end()
        while end > match.start():
            last = text[end - 1]
            if last in _TRAILING:
                end -= 1
            elif last in _CLOSERS and text.count(last, match.start(), end) > text.count(
                _CLOSERS[last], match.start(), end
            ):
                end -= 1  # "(see https://x.io/a)" closes the parenthesis, not the address
            else:
                break
        if text.find("://", match.start(), end) + 3 < end:  # something after the scheme
            spans.append((match.start(), end))
    return spans


def linked_html(text: str | None) -> Markup:
    """``text`` escaped, each http(s) address in it a link to itself."""
    if not text:
        return Markup("")
    if "://" not in text:
        return escape(text)
    out: list[str] = []
    at = 0
    for start, end in url_spans(text):
        url = text[start:end]
        out.append(str(escape(text[at:start])))
        out.append(f'<a href="{escape(url)}" rel="{REL}">{escape(url)}</a>')
        at = end
    out.append(str(escape(text[at:])))
    return Markup("".join(out))
