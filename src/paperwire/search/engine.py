"""The search facade: one object the CLI, the web layer and the evaluation use.

``SearchEngine.search`` parses the query, runs BM25 and/or dense retrieval,
fuses them, applies sorting and paging, and returns papers with highlighted
snippets. ``update`` catches the indexes up with the store; ``refresh``
picks up indexes rebuilt by another process.
"""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from pathlib import Path

import numpy as np

from paperwire.model import Paper
from paperwire.search.embedding import EmbeddingBackend
from paperwire.search.fusion import DEFAULT_FUSION, FusionParams
from paperwire.search.indexer import Indexer, IndexReport, ProgressCallback
from paperwire.search.lexical import LexicalIndex, title_tokens
from paperwire.search.live import LiveIndex
from paperwire.search.query import Filters, ParsedQuery, QueryError, parse_query
from paperwire.search.results import SearchHit, SearchResults
from paperwire.search.retrieval import Candidates, gather, put_first, rank
from paperwire.search.similar import similar_to
from paperwire.search.stopwords import is_stop_word
from paperwire.store.base import PaperStore

__all__ = ["MAX_PER_PAGE", "MAX_RESULTS", "MODES", "POOL", "SORTS", "SearchEngine"]

MODES = ("hybrid", "bm25", "dense")
SORTS = ("relevance", "date", "upvotes")
POOL = 100  # candidates taken from each retriever before fusion
MAX_RESULTS = 1000  # deepest result a pager can reach
MAX_PER_PAGE = 100
_SORT_POOL = 200  # a text query sorted by date/upvotes reorders this many best hits
_NAME_WORDS = (2, 4)  # a query this many words long may be an author's name
_AUTHOR_PAPERS = 200  # a named author's papers put first, newest first
_NAME_CHECKS = 3  # papers whose author lists are read to see that the name is whole
_QUERY_CACHE = 256
_CLOSE_KEYS = 8  # keys offered for a kw: key no paper carries
_MAX_KEYPHRASE_PAPERS = 100_000  # papers a kw: filter passes to the index (every one, in practice)


class SearchEngine:
    def __init__(
        self,
        store: PaperStore,
        index_dir: Path,
        backend: EmbeddingBackend | None,
        fusion: FusionParams = DEFAULT_FUSION,
        query_cache_size: int = _QUERY_CACHE,
        pending_model: str | None = None,
    ) -> None:
        self.store = store
        self.backend = backend
        self.fusion = fusion
        self.indexer = Indexer(store, index_dir, backend, pending_model=pending_model)
        self._lock = threading.RLock()
        self._live: LiveIndex | None = self.indexer.open_live()
        self._cache: OrderedDict[str, np.ndarray] = OrderedDict()
        self._cache_size = query_cache_size

    def forget_queries(self) -> None:
        """Drop the cached query embeddings, so the next search embeds its query again."""
        with self._lock:
            self._cache.clear()

    # -- keeping up with the store -------------------------------------------

    def update(self, progress: ProgressCallback | None = None) -> IndexReport:
        """Index every change the store made since the last update (or build)."""
        with self._lock:
            self._live, report = self.indexer.catch_up(self._live, progress)
            return report

    def rebuild(
        self, progress: ProgressCallback | None = None, *, unless_live: bool = False
    ) -> IndexReport:
        """A new generation (see ``Indexer.rebuild``), live when this returns."""
        with self._lock:
            self._live, report = self.indexer.rebuild(progress, unless_live=unless_live)
            return report

    def refresh(self) -> None:
        """Re-open the indexes if another process rebuilt or advanced them."""
        with self._lock:
            on_disk = self.indexer.layout.live()
            current = self._live
            if on_disk is None:
                return
            if current is None or on_disk.name != current.generation.name:
                self._live = self.indexer.open_live()
            elif on_disk.read_state().seq != current.state.seq:
                self._live = LiveIndex.open(on_disk)

    def live_index_missing(self) -> bool:
        return self._live is None

    def live_lexical(self) -> LexicalIndex:
        """The lexical index now serving (an evaluation tunes its title boost)."""
        return self._require_live().lexical

    def vector_kind(self) -> str | None:
        """The kind of vector index serving ("exact", "hnsw"), None if lexical only."""
        live = self._require_live()
        return live.vectors.kind if live.vectors is not None else None

    def nearest(self, vector: np.ndarray, k: int) -> list[tuple[str, float]]:
        """The ``k`` papers nearest to ``vector`` in the vector index."""
        with self._lock:
            vectors = self._require_live().vectors
            return vectors.search(vector, k) if vectors is not None else []

    @property
    def indexed_seq(self) -> int:
        return self._live.state.seq if self._live is not None else 0

    # -- searching -----------------------------------------------------------

    def search(
        self,
        query: str,
        page: int = 1,
        per_page: int = 20,
        sort: str = "relevance",
        mode: str = "hybrid",
    ) -> SearchResults:
        _check_paging(page, per_page, sort, mode)
        parsed = parse_query(query)
        unknown: dict[str, list[str]] = {}
        if parsed.filters.keyphrases:
            parsed.filters.paper_ids = self.store.keyphrase_paper_ids(
                parsed.filters.keyphrases, _MAX_KEYPHRASE_PAPERS
            )
            unknown = self._unknown_keyphrases(parsed.filters.keyphrases)
        with self._lock:
            live = self._require_live()
            depth = min(MAX_RESULTS, page * per_page)
            ranked, total, words_found = self._rank(live, parsed, depth, sort, mode)
            author: str | None = None
            by_author: list[str] = []
            if sort == "relevance":
                author, by_author = self._named_author(live, parsed)
            ranked = put_first(by_author, ranked)
            pinned = [i for i in parsed.arxiv_ids if _searchable(self.store.get_paper(i))]
            ranked = put_first(pinned, ranked)  # exact_id_match marks them
            words_found = None if pinned else words_found
            total = min(MAX_RESULTS, max(total, len(by_author), len(pinned)))
            window = ranked[(page - 1) * per_page : min(depth, page * per_page)]
            hits = self._hits(live, parsed, window, set(pinned))
            answered = mode if self._has_vectors(live) else "bm25"
            empty_categories = self._empty_categories(live, parsed) if not hits else []
        return SearchResults(
            query,
            hits,
            total,
            page,
            per_page,
            answered,
            sort,
            unknown,
            words_found,
            author,
            empty_categories,
        )

    def _empty_categories(self, live: LiveIndex, parsed: ParsedQuery) -> list[str]:
        """The query's cat: categories that no indexed paper is filed under (a store of
        Hugging Face's daily papers alone has no arXiv categories at all)."""
        return [
            category
            for category in parsed.filters.categories
            if not live.lexical.keys_matching(Filters(categories=[category]), 1)[1]
        ]

    def _named_author(self, live: LiveIndex, parsed: ParsedQuery) -> tuple[str | None, list[str]]:
        """The author a query of two to four plain words is the name of (as a paper's
        author list spells it, accents and case aside), and the papers with an author
        of that name, newest first; (None, []) for any other query. A name is not a
        topic: BM25 and the dense side rank other papers above that author's."""
        words = parsed.text.split()
        if parsed.filters or parsed.phrases or not _NAME_WORDS[0] <= len(words) <= _NAME_WORDS[1]:
            return None, []
        by_name = Filters(authors=[parsed.text])
        found = live.lexical.search([], [], by_name, _NAME_CHECKS, sort="date")
        wanted = title_tokens(parsed.text)
        # The index matches the name's words in order inside a longer name too ("Xiao
        # Yang Liu" for "Yang Liu"): the name as a paper spells it, and its own papers.
        for paper in self.store.get_papers([i for i, _ in found.hits]).values():
            for name in (author.name for author in paper.authors):
                if title_tokens(name) == wanted:
                    return name, self.store.author_paper_ids(name, _AUTHOR_PAPERS)
        return None, []

    def _unknown_keyphrases(self, keys: list[str]) -> dict[str, list[str]]:
        """Each of ``keys`` no paper carries, with up to ``_CLOSE_KEYS`` keys that start
        with it, or else with its first words (kw:"sparse attn" offers "sparse ...")."""
        unknown = {}
        for key in keys:
            if self.store.keyphrase_label(key) is not None:
                continue
            words = key.split()
            close: list[str] = []
            while words and not close:
                close = self.store.keyphrase_keys_starting(" ".join(words), _CLOSE_KEYS)
                words.pop()
            unknown[key] = close
        return unknown

    def similar(self, paper_id: str, limit: int = 10) -> SearchResults:
        paper = self.store.get_paper(paper_id)
        if paper is None:
            raise QueryError(f"no paper {paper_id!r} in the store")
        with self._lock:
            live = self._require_live()
            ranked = similar_to(self.store, live, self.backend, paper, limit)
            hits = self._hits(live, ParsedQuery(), ranked, set())
        mode = "dense" if self._has_vectors(live) else "bm25"
        return SearchResults(f"similar:{paper_id}", hits, len(hits), 1, limit, mode, "relevance")

    def candidates(self, text: str, pool: int = POOL, mode: str = "hybrid") -> Candidates:
        """Both candidate pools of ``text`` read as plain words (no filters, no
        quotes): what an evaluation over a benchmark's queries needs."""
        parsed = ParsedQuery(words=re.findall(r"\w+", text), text_parts=[text])
        with self._lock:
            return self._gather(self._require_live(), parsed, pool, mode)

    # -- internals -----------------------------------------------------------

    def _require_live(self) -> LiveIndex:
        if self._live is None:
            raise QueryError(
                "the search index is not built yet: the next import or search builds it "
                "(or run `paperwire reindex`)"
            )
        return self._live

    def _rank(
        self, live: LiveIndex, parsed: ParsedQuery, depth: int, sort: str, mode: str
    ) -> tuple[list[tuple[str, float]], int, bool | None]:
        """The ranked (id, score) list, how many results in all, and whether any paper
        holds a word of the query: None where that was not asked (dense mode), where
        filters narrow what could hold them, or for a query of stop words only."""
        if not parsed.has_text:
            return (*self._without_text(live, parsed, depth, sort), None)
        pool = max(POOL, depth, _SORT_POOL if sort != "relevance" else 0)
        candidates = self._gather(live, parsed, pool, mode)
        ranked, total = rank(candidates, mode, self.fusion)
        if sort != "relevance":
            holding = ranked if mode == "dense" else self._holding_words(live, parsed, ranked)
            ranked = self._sorted_by(holding[:_SORT_POOL], sort)
            total = len(ranked)
        words_found = None
        if mode != "dense" and not parsed.filters and not all(map(is_stop_word, parsed.words)):
            words_found = bool(candidates.lexical or candidates.known)
        return ranked, total, words_found

    def _holding_words(
        self, live: LiveIndex, parsed: ParsedQuery, ranked: list[tuple[str, float]]
    ) -> list[tuple[str, float]]:
        """The best ``_SORT_POOL`` papers that hold every word of the query, where any do,
        else ``ranked``: sorted by date or upvotes, a paper holding one word of two, or only
        close in meaning, would otherwise go first for being new, whatever it is about."""
        holding = live.lexical.holding_every_word(parsed.words, parsed.filters, _SORT_POOL)
        if not holding:
            return ranked
        score = dict(ranked)
        return [(i, score.get(i, 0.0)) for i in holding]

    def _has_vectors(self, live: LiveIndex) -> bool:
        return live.vectors is not None and self.backend is not None

    def _gather(self, live: LiveIndex, parsed: ParsedQuery, pool: int, mode: str) -> Candidates:
        use_dense = mode != "bm25" and self._has_vectors(live)
        query_vector = self._embed_query(parsed.text) if use_dense else None
        return gather(live, parsed, pool, query_vector, lexical=mode != "dense")

    def _without_text(
        self, live: LiveIndex, parsed: ParsedQuery, depth: int, sort: str
    ) -> tuple[list[tuple[str, float]], int]:
        if parsed.filters:
            # The index knows imported upvotes only: local votes reorder its best.
            pool = max(depth, _SORT_POOL) if sort == "upvotes" else depth
            found = live.lexical.search([], [], parsed.filters, pool, sort)
            hits = self._sorted_by(found.hits, sort) if sort == "upvotes" else found.hits
            return hits, found.count
        # Only arXiv ids: the named paper first, then the papers most like it.
        for paper_id in parsed.arxiv_ids:
            paper = self.store.get_paper(paper_id)
            if paper is not None and not paper.deleted:
                return similar_to(self.store, live, self.backend, paper, depth), depth
        return [], 0

    def _sorted_by(self, ranked: list[tuple[str, float]], sort: str) -> list[tuple[str, float]]:
        ids = [i for i, _ in ranked]
        papers = self.store.get_papers(ids)
        # Upvotes as the pages show them: the imported count plus this site's votes.
        votes = self.store.local_votes(ids) if sort == "upvotes" else {}
        order = {i: position for position, i in enumerate(ids)}

        def key(item: tuple[str, float]) -> tuple[object, int]:
            paper = papers.get(item[0])
            if sort == "date":
                day = (paper.published or paper.listed_on) if paper else None
                return (-(day.toordinal() if day else 0), order[item[0]])
            upvotes = (paper.upvotes or 0) if paper else 0
            return (-(upvotes + votes.get(item[0], 0)), order[item[0]])

        return sorted(ranked, key=key)

    def _embed_query(self, text: str) -> np.ndarray:
        cached = self._cache.get(text)
        if cached is not None:
            self._cache.move_to_end(text)
            return cached
        if self.backend is None:
            raise RuntimeError("no embedding model: dense search is not available")
        vector = np.asarray(self.backend.embed([text]), dtype=np.float32)[0]
        if self._cache_size:
            self._cache[text] = vector
            while len(self._cache) > self._cache_size:
                self._cache.popitem(last=False)
        return vector

    def _hits(
        self,
        live: LiveIndex,
        parsed: ParsedQuery,
        window: list[tuple[str, float]],
        pinned: set[str],
    ) -> list[SearchHit]:
        papers = self.store.get_papers(i for i, _ in window)
        # A paper indexed but gone from the store, or deleted since, is skipped.
        found = [(papers[i], score) for i, score in window if _searchable(papers.get(i))]
        text_query = live.lexical.text_query(parsed.words, parsed.phrases)
        snippets = live.lexical.snippets(text_query, [paper for paper, _ in found])
        return [
            SearchHit(paper.id, score, paper, title, snippet, paper.id in pinned)
            for (paper, score), (title, snippet) in zip(found, snippets, strict=True)
        ]


def _searchable(paper: Paper | None) -> bool:
    return paper is not None and not paper.deleted


def _check_paging(page: int, per_page: int, sort: str, mode: str) -> None:
    if page < 1:
        raise QueryError(f"page must be 1 or more, not {page}")
    if not 1 <= per_page <= MAX_PER_PAGE:
        raise QueryError(f"per_page must be between 1 and {MAX_PER_PAGE}, not {per_page}")
    if sort not in SORTS:
        raise QueryError(f"unknown sort {sort!r}: use one of {', '.join(SORTS)}")
    if mode not in MODES:
        raise QueryError(f"unknown mode {mode!r}: use one of {', '.join(MODES)}")
