"""Builds the keyphrase tables shipped in the product from the arXiv cs listing set.

Two tables: ``word_df.tsv.gz`` beside ``paperwire.understanding.tables``, which
reads it, and ``acronyms.tsv`` beside ``paperwire.phrases``, which reads it:

- ``word_df.tsv.gz``: how many papers use each word (its key, ``phrase_key``),
  for words in at least ``MIN_DF`` papers, with the number of papers on the
  first line; a rare word is more likely a keyphrase's than a common one;
- ``acronyms.tsv``: the expansion most papers give an acronym they define
  (``llm`` to ``large language model``), for acronyms defined in at least
  ``MIN_DEFINITIONS`` papers, one expansion holding at least half of them; it
  merges an acronym with its expansion in papers that do not spell it out.

arXiv metadata is CC0. Rebuild with ``python -m paperwire_bench.keyphrase_tables``
(the shared data's arxiv-cs file, or a listing file given as the argument).
"""

from __future__ import annotations

import gzip
import sys
from collections import Counter, defaultdict
from pathlib import Path

import paperwire
import paperwire.understanding as understanding
from paperwire.phrases import phrase_key
from paperwire.understanding.candidates import acronym_definitions, tokens
from paperwire_bench.beir import shared_data_dir
from paperwire_bench.recs_data import ARXIV_CS_FILE, read_listings

__all__ = ["build_tables"]

MIN_DF = 3
MIN_DEFINITIONS = 5


def build_tables(listing: Path, folder: Path, acronym_file: Path) -> tuple[int, int]:
    """Writes the word table into ``folder`` and the acronyms to ``acronym_file``;
    returns (words kept, acronyms kept)."""
    df: Counter[str] = Counter()
    definitions: dict[str, Counter[str]] = defaultdict(Counter)
    papers = 0
    for paper in read_listings(listing):
        papers += 1
        text = f"{paper.title}. {paper.abstract}"
        df.update({phrase_key(t.text) for t in tokens(text)})
        for acronym, expansion in acronym_definitions(text).items():
            definitions[acronym][phrase_key(expansion)] += 1
    folder.mkdir(parents=True, exist_ok=True)
    kept = sorted((w, n) for w, n in df.items() if n >= MIN_DF and w)
    with gzip.open(folder / "word_df.tsv.gz", "wt", encoding="utf-8", compresslevel=9) as out:
        out.write(f"\t{papers}\n")
        out.writelines(f"{w}\t{n}\n" for w, n in kept)
    acronyms = []
    for acronym, expansions in sorted(definitions.items()):
        total = sum(expansions.values())
        expansion, count = expansions.most_common(1)[0]
        if total >= MIN_DEFINITIONS and count * 2 >= total and expansion != acronym:
            acronyms.append((acronym, expansion))
    with open(acronym_file, "w", encoding="utf-8") as out:
        out.write("# acronym key\texpansion key (the expansion most arXiv cs papers give)\n")
        out.writelines(f"{a}\t{e}\n" for a, e in acronyms)
    return len(kept), len(acronyms)


def main() -> None:
    """``python -m paperwire_bench.keyphrase_tables [LISTING.jsonl.gz]``."""
    listing = Path(sys.argv[1]) if len(sys.argv) > 1 else shared_data_dir() / ARXIV_CS_FILE
    folder = Path(understanding.__file__).parent / "data"
    acronym_file = Path(paperwire.__file__).parent / "acronyms.tsv"
    words, acronyms = build_tables(listing, folder, acronym_file)
    print(f"{words} words to {folder}, {acronyms} acronyms to {acronym_file}")


if __name__ == "__main__":
    main()
