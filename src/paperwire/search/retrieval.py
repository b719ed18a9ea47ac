"""Candidate retrieval for one text query, and how each mode ranks the candidates.

BM25 gives the lexical pool; the vector index gives the dense pool, and the
exact cosine of every lexical candidate is added so fusion sees both scores
for them. A quoted phrase is a hard constraint: the dense side then only
re-scores lexical matches. A query that is most of a paper's title
(``known_items``) puts that paper first in every mode.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from paperwire.search.fusion import FusionParams, fuse, query_signals
from paperwire.search.known_items import TitleMatch, title_match
from paperwire.search.lexical import LexicalIndex, title_tokens
from paperwire.search.live import LiveIndex
from paperwire.search.query import ParsedQuery
from paperwire.search.stopwords import content_words

__all__ = ["Candidates", "find_known_items", "gather", "put_first", "rank"]

_KNOWN_POOL = 10  # titles checked against a query that may be a title
_FEW_HOLDING = 20  # at most this many papers hold the query's words: they come first
_DENSE_COUNTED = 100  # neighbours a hybrid search counts when fewer papers hold its words
# Under this many words, a query every word of which some title holds, but no title
# holds as a phrase, is a topic: a short title typed with a typo has a word no
# title holds. Looking further would cost short topical queries 0.12 ms (80,000
# papers), for titles whose typo spells another real word.
_TYPO_LOOKUP_WORDS = 4


@dataclass(slots=True)
class Candidates:
    lexical: dict[str, float]  # BM25 score per lexical candidate, best first
    lexical_count: int  # all lexical matches, not only the pool
    dense: dict[str, float] = field(default_factory=dict)  # cosine per dense candidate
    dense_of_lexical: dict[str, float] = field(default_factory=dict)  # cosine of the rest
    dense_total: int = 0  # documents the dense side could return (after filters)
    has_dense: bool = False
    known: list[str] = field(default_factory=list)  # papers whose title the query is, best first
    filtered: bool = False  # filters apply: a known item counts only where it was retrieved
    words: int = 0  # content words of the query (the fusion's length signal)


def gather(
    live: LiveIndex,
    parsed: ParsedQuery,
    pool: int,
    query_vector: np.ndarray | None,
    lexical: bool = True,
) -> Candidates:
    """The candidates of one query; ``lexical=False`` skips BM25 where only the
    dense ranking is wanted (a phrase still needs it)."""
    if lexical or parsed.phrases or query_vector is None:
        found = live.lexical.search(parsed.words, parsed.phrases, parsed.filters, pool)
        candidates = Candidates(dict(found.hits), found.count)
    else:
        candidates = Candidates({}, 0)
    candidates.known = find_known_items(live.lexical, parsed.text)
    candidates.filtered = bool(parsed.filters)
    vectors = live.vectors
    if vectors is None or query_vector is None:
        return candidates
    candidates.words = len(content_words(title_tokens(" ".join(parsed.words))))
    candidates.has_dense = True
    if parsed.phrases:
        candidates.dense = vectors.scores(query_vector, list(candidates.lexical))
        candidates.dense_total = candidates.lexical_count
        return candidates
    allowed, candidates.dense_total = None, len(vectors)
    if parsed.filters:
        allowed, candidates.dense_total = live.lexical.keys_matching(
            parsed.filters, max(1, len(vectors))
        )
    candidates.dense = dict(vectors.search(query_vector, pool, allowed))
    missing = [i for i in candidates.lexical if i not in candidates.dense]
    candidates.dense_of_lexical = vectors.scores(query_vector, missing)
    return candidates


def rank(
    candidates: Candidates, mode: str, fusion: FusionParams
) -> tuple[list[tuple[str, float]], int]:
    """The ranked (id, score) list of ``mode`` and how many results it has in all."""
    ranked, total = _ranked(candidates, mode, fusion)
    return _known_first(ranked, candidates, mode), max(total, len(candidates.known))


def _ranked(
    candidates: Candidates, mode: str, fusion: FusionParams
) -> tuple[list[tuple[str, float]], int]:
    if mode == "bm25" or not candidates.has_dense:
        return list(candidates.lexical.items()), candidates.lexical_count
    if mode == "dense":
        ranked = sorted(candidates.dense.items(), key=lambda h: (-h[1], h[0]))
        return ranked, candidates.dense_total
    dense = {**candidates.dense, **candidates.dense_of_lexical}
    signals = None
    if fusion.adaptive:
        signals = query_signals(candidates.lexical, candidates.dense, candidates.words)
    fused = fuse(candidates.lexical, dense, fusion, signals)
    # Every paper is somewhere in the dense ranking: the count is of the papers that
    # hold the words, or of one pool of neighbours (the same on every page).
    return fused, max(candidates.lexical_count, min(candidates.dense_total, _DENSE_COUNTED))


def _known_first(
    ranked: list[tuple[str, float]], candidates: Candidates, mode: str
) -> list[tuple[str, float]]:
    """The known items first, level with the best score, then, in hybrid mode, the few
    papers holding the query's words, then the rest in order."""
    known = candidates.known
    if mode == "hybrid" and candidates.has_dense and 0 < candidates.lexical_count <= _FEW_HOLDING:
        # A rare word ("Schmidhuber") held by a handful of papers: the dense side knows
        # nothing of it, and would rank its neighbours above every paper that says it.
        known = [*known, *(i for i in candidates.lexical if i not in known)]
    if candidates.filtered:
        # Filters were not asked of the title lookup: only what passed them may go first.
        retrieved = {*candidates.lexical, *candidates.dense}
        known = [i for i in known if i in retrieved]
    return put_first(known, ranked)


def put_first(ids: list[str], ranked: list[tuple[str, float]]) -> list[tuple[str, float]]:
    """``ids`` first, level with the best score, then the rest of ``ranked`` in order."""
    if not ids:
        return ranked
    top = ranked[0][1] if ranked else 1.0
    first = set(ids)
    return [(i, top) for i in ids] + [hit for hit in ranked if hit[0] not in first]


def find_known_items(lexical: LexicalIndex, text: str) -> list[str]:
    """The papers whose title ``text`` matches (``known_items.title_match``), closest
    first: titles holding it word for word, then, when none matches, titles holding
    all its words but one (a typo); a short query whose every word is in some title
    is not looked up again (``_TYPO_LOOKUP_WORDS``)."""
    tokens = title_tokens(text)
    if len(tokens) < 2:
        return []
    found = _matching(tokens, lexical.titles_with_phrase(tokens, _KNOWN_POOL))
    if found or (len(tokens) < _TYPO_LOOKUP_WORDS and lexical.titles_hold_every(tokens)):
        return found
    return _matching(tokens, lexical.titles_sharing_words(tokens, _KNOWN_POOL))


def _matching(tokens: list[str], titles: list[tuple[str, str]]) -> list[str]:
    """The ids of ``titles`` (id, title) that ``tokens`` match, closest first."""
    matches = [(title_match(tokens, title_tokens(title)), pid) for pid, title in titles]
    # sorted() is stable: equal matches keep the title lookup's order.
    best = sorted((m for m in matches if m[0] is not TitleMatch.NONE), key=lambda m: -m[0])
    return [pid for _, pid in best]
