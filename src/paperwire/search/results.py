"""What a search returns: plain dataclasses the CLI, the web layer and the API render.

Snippets are plain text with highlight spans as character offsets into that
text; escaping for HTML is the renderer's job.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from paperwire.model import Paper

__all__ = ["SearchHit", "SearchResults", "Snippet"]


@dataclass(slots=True)
class Snippet:
    text: str
    highlights: list[tuple[int, int]] = field(default_factory=list)  # [start, end) in text

    def segments(self) -> list[tuple[str, bool]]:
        """The text cut into (piece, highlighted) pairs, in order."""
        pieces: list[tuple[str, bool]] = []
        cursor = 0
        for start, end in self.highlights:
            if start > cursor:
                pieces.append((self.text[cursor:start], False))
            pieces.append((self.text[start:end], True))
            cursor = end
        if cursor < len(self.text):
            pieces.append((self.text[cursor:], False))
        return pieces


@dataclass(slots=True)
class SearchHit:
    paper_id: str
    score: float
    paper: Paper | None = None
    title: Snippet | None = None
    snippet: Snippet | None = None
    exact_id_match: bool = False  # the query named this paper's arXiv id


@dataclass(slots=True)
class SearchResults:
    query: str
    hits: list[SearchHit]
    total: int  # how many hits the pages reach (at most MAX_RESULTS)
    page: int
    per_page: int
    mode: str  # "hybrid", "bm25" or "dense"
    sort: str  # "relevance", "date" or "upvotes"
    # Each kw: key that no paper carries, with the keys that start like it (closest first).
    unknown_keyphrases: dict[str, list[str]] = field(default_factory=dict)
    # Whether any paper holds a word of the query: False when every hit is only close
    # in meaning (dense); None where it was not asked (dense mode, no words, filters,
    # a named arXiv id).
    words_found: bool | None = None
    # The author the query names (as a paper spells it), whose papers come first.
    author: str | None = None
    # Each cat: category no paper on this server is filed under (asked when none matched).
    unknown_categories: list[str] = field(default_factory=list)

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))
