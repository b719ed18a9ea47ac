"""The lexical index: BM25 over title and abstract, a title boost, and authors, on tantivy.

Title and abstract are indexed together as one "body" field (as BEIR's BM25
baselines do) and the title once more on its own, whose boost adds weight to
title matches; both drop English stop words and stem. Plain words are OR-ed,
quoted phrases must match in order. Filters (author, category, organization,
date, code, and the papers a keyphrase filter allows) are exact-match clauses that
never change the BM25 score; an
organisation matches under any name the alias table gives it
(``paperwire.organizations``). The title is kept a third time word for
word ("title_words": lowercased and folded, stop words kept, not stemmed,
for titles made of stop words ("To Be or Not to Be"), and in a small index of
its own ("titles/", stored) for recognising a typed title
(``paperwire.search.known_items``). Query words
that only ask (``paperwire.search.stopwords``) are left out of the BM25
query when any other word is there. Each
paper is one document keyed by its id, so an update deletes the old document
and adds the new one in the same commit.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from itertools import combinations
from pathlib import Path

import numpy as np
import tantivy

from paperwire.model import Paper
from paperwire.organizations import organization_spellings
from paperwire.search.keys import paper_key
from paperwire.search.query import Filters
from paperwire.search.results import Snippet
from paperwire.search.stopwords import is_stop_word

__all__ = ["TITLE_BOOST", "LexicalHits", "LexicalIndex", "title_tokens"]

# Weight of the title field on top of "body": the best BM25 nDCG@10 on the
# SciFact train split among 0, 0.25, 0.5, 1 and 2 (0.7048; 1.0 gave 0.6660),
# found by `paperwire eval search --dataset scifact --split train --tune`.
TITLE_BOOST = 0.25
_TEXT_FIELDS = ["body", "title", "authors"]
_TITLE_WORDS = "title_words"
_TITLES_DIR = "titles"  # the stored titles' own index, inside the lexical folder
_TITLES_WRITER_HEAP = 15_000_000  # tantivy's smallest
_TITLE_ANCHORS = 3  # a typo spoils one word of a typed title: two of three are left
_ANALYZER = "english_stop_stem"
_NAMES = "names_folded"  # author and organisation names: lowercased, accents folded
_WRITER_HEAP = 64_000_000
_SNIPPET_CHARS = 240
_TITLE_CHARS = 1000  # titles are shown whole
_NO_DATE = 0
_ALNUM = re.compile(r"[^\W_]+")
_SORT_FIELDS = {"date": "date", "upvotes": "upvotes"}


@dataclass(slots=True)
class LexicalHits:
    hits: list[tuple[str, float]]  # (paper id, BM25 score or the sort field's value)
    count: int  # every matching document, not only those returned


def _english() -> tantivy.TextAnalyzer:
    """Words lowercased and folded to ASCII (``erdos`` finds "Erdős graphs", ``renyi``
    "Rényi entropy", and the other way round), English stop words dropped, then
    stemmed (Porter/Snowball)."""
    return (
        tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.simple())
        .filter(tantivy.Filter.remove_long(40))
        .filter(tantivy.Filter.lowercase())
        .filter(tantivy.Filter.ascii_fold())
        .filter(tantivy.Filter.stopword("english"))
        .filter(tantivy.Filter.stemmer("english"))
        .build()
    )


def _names() -> tantivy.TextAnalyzer:
    """Words lowercased and folded to ASCII, so ``author:erdos`` finds Erdős and
    ``org:universite`` finds Université (tantivy's ASCII folding filter)."""
    return (
        tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.simple())
        .filter(tantivy.Filter.remove_long(40))
        .filter(tantivy.Filter.lowercase())
        .filter(tantivy.Filter.ascii_fold())
        .build()
    )


_NAMES_ANALYZER = _names()


def _schema() -> tantivy.Schema:
    builder = tantivy.SchemaBuilder()
    builder.add_text_field("id", stored=True, tokenizer_name="raw")
    builder.add_unsigned_field("key", indexed=True, fast=True)
    builder.add_text_field("body", tokenizer_name=_ANALYZER)  # title and abstract together
    builder.add_text_field("title", tokenizer_name=_ANALYZER)  # again, for the title boost
    builder.add_text_field(_TITLE_WORDS, tokenizer_name=_NAMES)  # word for word
    builder.add_text_field("authors", tokenizer_name=_NAMES)
    builder.add_text_field("categories", tokenizer_name="raw")
    builder.add_text_field("organization", tokenizer_name=_NAMES)
    builder.add_unsigned_field("has_code", indexed=True, fast=True)
    builder.add_integer_field("date", indexed=True, fast=True)
    builder.add_integer_field("upvotes", fast=True)
    return builder.build()


def _titles_schema() -> tantivy.Schema:
    """The titles, word for word and stored, in a small index of their own: stored in
    the main index they made every hit's id slower to read (0.1 to 0.4 ms per 100)."""
    builder = tantivy.SchemaBuilder()
    builder.add_text_field("id", stored=True, tokenizer_name="raw")
    builder.add_text_field(_TITLE_WORDS, stored=True, tokenizer_name=_NAMES)
    return builder.build()


class LexicalIndex:
    """One tantivy index in a folder; writes go through ``upsert`` then ``commit``."""

    def __init__(self, path: Path) -> None:
        path.mkdir(parents=True, exist_ok=True)
        self.path = path
        self.schema = _schema()
        self._index = tantivy.Index(self.schema, str(path), reuse=True)
        self._index.register_tokenizer(_ANALYZER, _english())
        self._index.register_tokenizer(_NAMES, _NAMES_ANALYZER)
        self._writer: tantivy.IndexWriter | None = None
        (path / _TITLES_DIR).mkdir(exist_ok=True)
        self._titles_schema = _titles_schema()
        self._titles = tantivy.Index(self._titles_schema, str(path / _TITLES_DIR), reuse=True)
        self._titles.register_tokenizer(_NAMES, _NAMES_ANALYZER)
        self._titles_writer: tantivy.IndexWriter | None = None
        self.title_boost = TITLE_BOOST  # an evaluation may vary it to tune it

    # -- writing -------------------------------------------------------------

    def upsert(self, papers: Iterable[Paper]) -> None:
        writer, titles = self._open_writer()
        for paper in papers:
            writer.delete_documents_by_term("id", paper.id)
            writer.add_document(_document(paper))
            titles.delete_documents_by_term("id", paper.id)
            titles.add_document(tantivy.Document(id=paper.id, **{_TITLE_WORDS: paper.title}))

    def remove(self, ids: Iterable[str]) -> None:
        """Drop the documents of ``ids`` (at the next commit)."""
        writer, titles = self._open_writer()
        for paper_id in ids:
            writer.delete_documents_by_term("id", paper_id)
            titles.delete_documents_by_term("id", paper_id)

    def commit(self) -> None:
        # Titles first: a crash between the two leaves a title the main index lacks,
        # which the next catch-up (from the last checkpoint) writes again.
        if self._titles_writer is not None:
            self._titles_writer.commit()
            self._titles.reload()
        if self._writer is not None:
            self._writer.commit()
            self._index.reload()

    def close_writer(self) -> None:
        """Release tantivy's writer locks (uncommitted changes are dropped)."""
        if self._writer is not None:
            self._writer.rollback()
            self._writer = None
        if self._titles_writer is not None:
            self._titles_writer.rollback()
            self._titles_writer = None

    def _open_writer(self) -> tuple[tantivy.IndexWriter, tantivy.IndexWriter]:
        if self._writer is None:
            self._writer = self._index.writer(_WRITER_HEAP, 1)
        if self._titles_writer is None:
            self._titles_writer = self._titles.writer(_TITLES_WRITER_HEAP, 1)
        return self._writer, self._titles_writer

    # -- reading -------------------------------------------------------------

    def reload(self) -> None:
        self._index.reload()
        self._titles.reload()

    @property
    def num_docs(self) -> int:
        return int(self._index.searcher().num_docs)

    def search(
        self,
        words: list[str],
        phrases: list[str],
        filters: Filters,
        limit: int,
        sort: str = "relevance",
    ) -> LexicalHits:
        """Documents matching the text (any word) and every filter, best first.

        Without text, the filters alone select documents; they are then
        ordered by ``sort`` (relevance meaning newest first).
        """
        text = self.text_query(words, phrases)
        clauses = [(tantivy.Occur.Must, q) for q in self._filter_queries(filters)]
        if text is not None:
            clauses.append((tantivy.Occur.Must, text))
        if not clauses:
            return LexicalHits([], 0)
        query = tantivy.Query.boolean_query(clauses)
        searcher = self._index.searcher()
        field = _SORT_FIELDS.get(sort) or (None if text is not None else "date")
        if field is None:
            result = searcher.search(query, limit)
        else:
            result = searcher.search(query, limit, order_by_field=field)
        hits = [(searcher.doc(address)["id"][0], float(value)) for value, address in result.hits]
        return LexicalHits(hits, _match_count(result))

    def keys_matching(self, filters: Filters, limit: int) -> tuple[np.ndarray, int]:
        """The keys of up to ``limit`` documents passing the filters, and how many pass."""
        queries = self._filter_queries(filters)
        if not queries:
            return np.zeros(0, dtype=np.uint64), self.num_docs
        query = tantivy.Query.boolean_query([(tantivy.Occur.Must, q) for q in queries])
        searcher = self._index.searcher()
        result = searcher.search(query, limit)
        addresses = [address for _, address in result.hits]
        keys = searcher.fast_field_values("key", addresses) if addresses else []
        return np.asarray(keys, dtype=np.uint64), _match_count(result)

    def all_keys(self) -> np.ndarray:
        """The key of every live document (a consistency check compares them with the store)."""
        searcher = self._index.searcher()
        count = int(searcher.num_docs)
        if not count:
            return np.zeros(0, dtype=np.uint64)
        result = searcher.search(tantivy.Query.all_query(), count)
        addresses = [address for _, address in result.hits]
        return np.asarray(searcher.fast_field_values("key", addresses), dtype=np.uint64)

    def holding_every_word(self, words: list[str], filters: Filters, limit: int) -> list[str]:
        """The ids of up to ``limit`` documents passing ``filters`` that hold every word of
        ``words`` but the stop words (in title, abstract or authors), best first."""
        tokens = [w.lower() for w in words for w in _ALNUM.findall(w)]
        required = [token for token in tokens if not is_stop_word(token)]
        if not required:
            return []
        text = self._index.parse_query(" ".join(f"+{token}" for token in required), _TEXT_FIELDS)
        clauses = [(tantivy.Occur.Must, q) for q in [text, *self._filter_queries(filters)]]
        searcher = self._index.searcher()
        result = searcher.search(tantivy.Query.boolean_query(clauses), limit, count=False)
        return [searcher.doc(address)["id"][0] for _, address in result.hits]

    def text_query(self, words: list[str], phrases: list[str]) -> tantivy.Query | None:
        """OR of the words and phrases over the text fields, or None without text."""
        # Only word characters, spaces and quotes reach tantivy's parser, so no
        # user input can be read as its syntax; lowercase keeps AND/OR/NOT words.
        tokens = [w.lower() for w in words for w in _ALNUM.findall(w)]
        parts = [token for token in tokens if not is_stop_word(token)]
        for phrase in phrases:
            phrase_tokens = _ALNUM.findall(phrase.lower())
            if phrase_tokens:
                parts.append('"' + " ".join(phrase_tokens) + '"')
        if not parts and tokens:
            # Only stop words ("To Be or Not to Be"): a title that says them in order.
            return self._index.parse_query('"' + " ".join(tokens) + '"', [_TITLE_WORDS])
        if not parts:
            return None
        return self._index.parse_query(
            " ".join(parts), _TEXT_FIELDS, field_boosts={"title": self.title_boost}
        )

    def titles_with_phrase(self, tokens: list[str], limit: int) -> list[tuple[str, str]]:
        """(paper id, title) of up to ``limit`` papers whose titles hold ``tokens`` (as
        ``title_tokens`` gives them) word for word, in order, shortest titles first."""
        words: list[str | tuple[int, str]] = list(tokens)
        query = tantivy.Query.phrase_query(self._titles_schema, _TITLE_WORDS, words)
        return _stored_titles(self._titles.searcher(), query, limit)

    def titles_hold_every(self, tokens: list[str]) -> bool:
        """Whether every one of ``tokens`` is a word of some title."""
        searcher = self._titles.searcher()
        return all(searcher.doc_freq(_TITLE_WORDS, token) for token in dict.fromkeys(tokens))

    def titles_sharing_words(self, tokens: list[str], limit: int) -> list[tuple[str, str]]:
        """(paper id, title) of up to ``limit`` papers whose titles share the most words
        with ``tokens``, among those holding two of its three rarest words.

        A title that a query with one typo is most of (``known_items``) holds every
        word of the query but one, so two of those three: only the few titles holding
        them are scored, and no fuzzy lookup is needed. Stop words stay ("What am I
        missing here?")."""
        schema, searcher = self._titles_schema, self._titles.searcher()
        counted = [(searcher.doc_freq(_TITLE_WORDS, t), t) for t in dict.fromkeys(tokens)]
        present = [token for count, token in sorted(counted) if count]
        rarest, rest = present[:_TITLE_ANCHORS], present[_TITLE_ANCHORS:]

        def word(token: str) -> tantivy.Query:
            return tantivy.Query.term_query(schema, _TITLE_WORDS, token)

        def every(tokens: tuple[str, ...]) -> tantivy.Query:
            return tantivy.Query.boolean_query([(tantivy.Occur.Must, word(t)) for t in tokens])

        if not rarest:
            return []
        pairs = combinations(rarest, 2) if len(rarest) > 2 else ((t,) for t in rarest)
        anchor = tantivy.Query.boolean_query([(tantivy.Occur.Should, every(p)) for p in pairs])
        clauses = [(tantivy.Occur.Must, anchor)]
        clauses += [(tantivy.Occur.Should, word(t)) for t in rest]
        return _stored_titles(searcher, tantivy.Query.boolean_query(clauses), limit)

    def snippets(
        self, query: tantivy.Query | None, papers: list[Paper]
    ) -> list[tuple[Snippet, Snippet]]:
        """Title and abstract of each paper with the query's matches marked."""
        if query is None:
            return [(Snippet(p.title), Snippet(_lead(p.abstract, _SNIPPET_CHARS))) for p in papers]
        searcher = self._index.searcher()
        # "body" holds every word of title and abstract, so its terms mark either.
        titles = tantivy.SnippetGenerator.create(searcher, query, self.schema, "body")
        titles.set_max_num_chars(_TITLE_CHARS)
        abstracts = tantivy.SnippetGenerator.create(searcher, query, self.schema, "body")
        abstracts.set_max_num_chars(_SNIPPET_CHARS)
        return [
            (
                _snippet(titles, p.title, _TITLE_CHARS),
                _snippet(abstracts, p.abstract, _SNIPPET_CHARS),
            )
            for p in papers
        ]

    def _filter_queries(self, filters: Filters) -> list[tantivy.Query]:
        schema, queries = self.schema, []
        for author in filters.authors:
            queries.append(_words_query(schema, "authors", author))
        if filters.categories:
            queries.append(_any_term(schema, "categories", [c.lower() for c in filters.categories]))
        if filters.organizations:
            queries.append(
                tantivy.Query.boolean_query(
                    [
                        (tantivy.Occur.Should, _words_query(schema, "organization", spelling))
                        for org in filters.organizations
                        # An alias finds its organisation under any name (org:"UC Berkeley").
                        for spelling in organization_spellings(org)
                    ]
                )
            )
        if filters.date_from or filters.date_to:
            queries.append(
                tantivy.Query.range_query(
                    schema,
                    "date",
                    tantivy.FieldType.Integer,
                    filters.date_from.toordinal() if filters.date_from else _NO_DATE + 1,
                    filters.date_to.toordinal() if filters.date_to else None,
                )
            )
        if filters.has_code:
            queries.append(tantivy.Query.term_query(schema, "has_code", 1))
        if filters.paper_ids is not None:
            # The papers a keyphrase filter allows (the store resolved them); none at all
            # must match nothing, which an empty term set would not say.
            queries.append(
                tantivy.Query.term_set_query(schema, "id", filters.paper_ids)
                if filters.paper_ids
                else tantivy.Query.term_query(schema, "id", "")
            )
        # Filters select; they must not add to the BM25 score.
        return [tantivy.Query.const_score_query(q, 0.0) for q in queries]


def _stored_titles(
    searcher: tantivy.Searcher, query: tantivy.Query, limit: int
) -> list[tuple[str, str]]:
    """(paper id, title) of the best ``limit`` matches of ``query`` in the title index."""
    found = []
    for _, address in searcher.search(query, limit, count=False).hits:
        doc = searcher.doc(address)
        found.append((doc["id"][0], doc[_TITLE_WORDS][0]))
    return found


def title_tokens(text: str) -> list[str]:
    """The words of a title or query as "title_words" indexes them: lowercased, folded
    to ASCII, stop words kept, not stemmed."""
    return [str(token) for token in _NAMES_ANALYZER.analyze(text)]


def _document(paper: Paper) -> tantivy.Document:
    doc = tantivy.Document()
    doc.add_text("id", paper.id)
    doc.add_unsigned("key", paper_key(paper.id))
    doc.add_text("body", f"{paper.title}\n{paper.abstract}")
    doc.add_text("title", paper.title)
    doc.add_text(_TITLE_WORDS, paper.title)
    for author in paper.authors:
        doc.add_text("authors", author.name)
    for category in _category_terms(paper.categories):
        doc.add_text("categories", category)
    if paper.organization:
        doc.add_text("organization", paper.organization)
    doc.add_unsigned("has_code", int(paper.has_code))
    doc.add_integer("date", _day(paper.published or paper.listed_on))
    doc.add_integer("upvotes", paper.upvotes or 0)
    return doc


def _match_count(result: tantivy.SearchResult) -> int:
    """How many documents matched: ``search`` counts them (``count=True``, its default).

    tantivy sets ``SearchResult.count``, but its type stub does not declare it.
    """
    count = getattr(result, "count", None)
    if not isinstance(count, int):
        raise RuntimeError(f"tantivy gave no match count ({count!r})")
    return count


def _category_terms(categories: list[str]) -> set[str]:
    """Each category, lowercased, and its archive ("cs" for "cs.LG"), so cat:cs works."""
    terms: set[str] = set()
    for category in categories:
        lowered = category.strip().lower()
        if lowered:
            terms.update((lowered, lowered.split(".")[0]))
    return terms


def _day(value: date | None) -> int:
    return value.toordinal() if value else _NO_DATE


def _words_query(schema: tantivy.Schema, field: str, text: str) -> tantivy.Query:
    """The words of ``text`` in that order, as the names analyzer indexed them."""
    tokens: list[str | tuple[int, str]] = list(_NAMES_ANALYZER.analyze(text))
    if not tokens:
        return tantivy.Query.empty_query()
    if len(tokens) == 1:
        return tantivy.Query.term_query(schema, field, tokens[0])
    return tantivy.Query.phrase_query(schema, field, tokens)


def _any_term(schema: tantivy.Schema, field: str, values: list[str]) -> tantivy.Query:
    return tantivy.Query.boolean_query(
        [(tantivy.Occur.Should, tantivy.Query.term_query(schema, field, v)) for v in values]
    )


def _snippet(generator: tantivy.SnippetGenerator, text: str, max_chars: int) -> Snippet:
    found = generator.snippet_from_doc(tantivy.Document(body=[text]))
    fragment = found.fragment()
    if not fragment:
        return Snippet(_lead(text, max_chars))
    encoded = fragment.encode("utf-8")
    spans = [
        (len(encoded[: r.start].decode("utf-8")), len(encoded[: r.end].decode("utf-8")))
        for r in found.highlighted()
    ]
    return Snippet(fragment, spans)


def _lead(text: str, max_chars: int) -> str:
    """The start of ``text``, cut at a word boundary."""
    flat = " ".join(text.split())
    if len(flat) <= max_chars:
        return flat
    return flat[:max_chars].rsplit(" ", 1)[0] + " …"
