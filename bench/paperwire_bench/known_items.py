"""``paperwire eval known-items``: does a typed title bring its paper first?

Queries are built from the store with a fixed seed: ``count`` papers whose
titles have five words or more (and a word of five letters or more, for the
typo), each asked three ways: its first five words, its whole title, and its
whole title with one typo (one letter of one word of five letters or more
dropped, doubled, changed or swapped with its neighbour). A search succeeds
at k when the paper, or another paper with the very same title, is among
the first k results. Every query runs in bm25, dense and hybrid mode, and
through the arxiv-sanity-lite rule (``SanityRanker``) as a baseline in the
same run.

arxiv-sanity-lite (https://github.com/karpathy/arxiv-sanity-lite) ranks by a
plain scan, as its search is described: the query is lowercased and split on
white space; a paper gets 20 points for each query word found anywhere in its
title (as a substring), 10 for each found in its author names, and for each
word its number of occurrences in the abstract, at most 3; papers with no
points are left out, and equal scores go to the larger arXiv id first.
"""

from __future__ import annotations

import random
import re
import string
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from paperwire.model import Paper
from paperwire.search.engine import SearchEngine
from paperwire.search.lexical import title_tokens
from paperwire.search.query import QueryError
from paperwire.store.base import PaperStore

__all__ = [
    "FORMS",
    "KnownItemQuery",
    "SanityRanker",
    "build_queries",
    "evaluate",
    "with_typo",
]

FORMS = ("first_five_words", "whole_title", "title_with_typo")
MODES = ("bm25", "dense", "hybrid", "arxiv_sanity_lite")
SEED = 20
_PREFIX_WORDS = 5
_TYPO_MIN_LETTERS = 5
_WORD = re.compile(r"[A-Za-z]+")


@dataclass(frozen=True, slots=True)
class KnownItemQuery:
    paper_id: str
    form: str
    text: str


@dataclass(slots=True)
class _Tally:
    top1: int = 0
    top3: int = 0
    errors: int = 0
    total: int = 0
    missed: list[str] = field(default_factory=list)


def build_queries(store: PaperStore, count: int, seed: int = SEED) -> list[KnownItemQuery]:
    """``count`` papers drawn with ``seed`` (ids in store order), three queries each."""
    eligible = [p for p in store.iter_papers() if _eligible(p)]
    rng = random.Random(seed)
    chosen = rng.sample(eligible, min(count, len(eligible)))
    queries = []
    for paper in chosen:
        title = " ".join(paper.title.split())
        queries.append(KnownItemQuery(paper.id, FORMS[0], " ".join(title.split()[:_PREFIX_WORDS])))
        queries.append(KnownItemQuery(paper.id, FORMS[1], title))
        queries.append(KnownItemQuery(paper.id, FORMS[2], with_typo(title, rng)))
    return queries


def _eligible(paper: Paper) -> bool:
    words = paper.title.split()
    return (
        not paper.deleted
        and len(words) >= _PREFIX_WORDS
        and any(len(w) >= _TYPO_MIN_LETTERS for w in _WORD.findall(paper.title))
    )


def with_typo(title: str, rng: random.Random) -> str:
    """``title`` with one edit inside one word of five letters or more (never its first
    letter): a letter dropped, doubled, changed, or swapped with the next one."""
    words = [m for m in _WORD.finditer(title) if len(m.group()) >= _TYPO_MIN_LETTERS]
    if not words:
        raise ValueError(f"no word of {_TYPO_MIN_LETTERS} letters or more in {title!r}")
    match = rng.choice(words)
    word = match.group()
    at = rng.randrange(1, len(word) - 1)
    kind = rng.choice(("drop", "double", "change", "swap"))
    if kind == "drop":
        typo = word[:at] + word[at + 1 :]
    elif kind == "double":
        typo = word[:at] + word[at] + word[at:]
    elif kind == "swap" and word[at] != word[at + 1]:
        typo = word[:at] + word[at + 1] + word[at] + word[at + 2 :]
    else:
        other = rng.choice([c for c in string.ascii_lowercase if c != word[at].lower()])
        typo = word[:at] + other + word[at + 1 :]
    return title[: match.start()] + typo + title[match.end() :]


class SanityRanker:
    """arxiv-sanity-lite's search rule (see the module docstring) over the store's papers."""

    def __init__(self, papers: Iterable[Paper]) -> None:
        kept = [p for p in papers if not p.deleted]
        self.ids = [p.id for p in kept]
        self.titles = [p.title.lower() for p in kept]
        self.authors = [" ".join(a.name for a in p.authors).lower() for p in kept]
        self.abstracts = [p.abstract.lower() for p in kept]

    def top(self, query: str, k: int) -> list[str]:
        """The ``k`` best paper ids for ``query``."""
        words = query.lower().strip().split()
        if not words:
            return []
        base = [0.0] * len(self.ids)
        for word in words:
            for i, title in enumerate(self.titles):
                if word in title:
                    base[i] += 20.0
            for i, names in enumerate(self.authors):
                if word in names:
                    base[i] += 10.0
        # The abstract adds at most 3 per word: only papers that can still reach
        # the k-th best need it counted.
        ceiling = 3.0 * len(words)
        kth = sorted(base, reverse=True)[min(k, len(base)) - 1] if base else 0.0
        scored = []
        for i, value in enumerate(base):
            if value + ceiling < kth:
                continue
            abstract = self.abstracts[i]
            total = value + sum(min(3, abstract.count(word)) for word in words)
            if total > 0:
                scored.append((total, self.ids[i]))
        scored.sort(reverse=True)
        return [paper_id for _, paper_id in scored[:k]]


def evaluate(
    engine: SearchEngine,
    queries: list[KnownItemQuery],
    sanity: SanityRanker | None,
    on_query: Callable[[int], None] | None = None,
) -> dict[str, object]:
    """Top-1 and top-3 rates per form and mode (``MODES``; the baseline when given)."""
    asked = engine.store.get_papers(q.paper_id for q in queries)
    titles = {paper_id: _norm(paper.title) for paper_id, paper in asked.items()}
    tallies: dict[tuple[str, str], _Tally] = {}
    for n, query in enumerate(queries):
        for mode in MODES:
            if mode == "arxiv_sanity_lite" and sanity is None:
                continue
            tally = tallies.setdefault((query.form, mode), _Tally())
            tally.total += 1
            try:
                found = _top3(engine, sanity, query.text, mode)
            except QueryError:
                tally.errors += 1
                continue
            found_titles = {i: _norm(p.title) for i, p in engine.store.get_papers(found).items()}
            wanted = titles.get(query.paper_id)
            same = [i == query.paper_id or found_titles.get(i) == wanted for i in found]
            tally.top1 += bool(same[:1] and same[0])
            tally.top3 += any(same)
            if not (same[:1] and same[0]) and len(tally.missed) < 5:
                tally.missed.append(query.text)
        if on_query is not None:
            on_query(n + 1)
    return _figures(tallies, len(queries) // len(FORMS))


def _top3(engine: SearchEngine, sanity: SanityRanker | None, text: str, mode: str) -> list[str]:
    if mode == "arxiv_sanity_lite":
        assert sanity is not None
        return sanity.top(text, 3)
    return [hit.paper_id for hit in engine.search(text, mode=mode, per_page=3).hits]


def _norm(title: str) -> str:
    return " ".join(title_tokens(title))


def _figures(tallies: dict[tuple[str, str], _Tally], papers: int) -> dict[str, object]:
    figures: dict[str, object] = {"papers": papers, "seed": SEED}
    for (form, mode), tally in sorted(tallies.items()):
        figures[f"{form}.{mode}"] = {
            "top1": round(tally.top1 / tally.total, 4),
            "top3": round(tally.top3 / tally.total, 4),
            "query_errors": tally.errors,
            "missed_examples": tally.missed,
        }
    return figures
