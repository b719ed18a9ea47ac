"""The word document frequencies shipped in the package, and the acronym table.

The word table is built from the titles and abstracts of arXiv computer-science
papers (arXiv metadata is CC0) by the development package (its
``keyphrase_tables`` module, whose docstring gives the format). The acronyms
are ``paperwire.phrases``'s table. Both are read once per process.
"""

from __future__ import annotations

import gzip
import io
import math
from dataclasses import dataclass
from functools import cache
from importlib import resources

from paperwire.phrases import acronym_expansions

__all__ = ["Tables", "load_tables"]


@dataclass(frozen=True, slots=True)
class Tables:
    """``papers``: how many papers the counts come from; ``word_df``: word key to papers
    using it; ``acronyms``: acronym key to its usual expansion's key."""

    papers: int
    word_df: dict[str, int]
    acronyms: dict[str, str]

    def idf(self, word: str) -> float:
        """Smoothed inverse document frequency, ``ln((1 + n) / (1 + df))``; a word the
        table lacks counts as used by one paper."""
        return math.log((1 + self.papers) / (1 + self.word_df.get(word, 1)))


@cache
def load_tables() -> Tables:
    """The packaged tables. Raises ``FileNotFoundError`` if the package lacks them."""
    folder = resources.files("paperwire.understanding") / "data"
    raw = folder.joinpath("word_df.tsv.gz").read_bytes()
    with gzip.open(io.BytesIO(raw), "rt", encoding="utf-8") as f:
        papers = int(f.readline().split("\t")[1])
        word_df = {w: int(n) for w, n in (line.rstrip("\n").split("\t") for line in f)}
    return Tables(papers, word_df, acronym_expansions())
