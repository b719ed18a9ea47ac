"""Which words of a query are content: the words that may decide a BM25 ranking.

The lexical index drops only the short English stop list of its analyzer
(Lucene's: "a", "the", "is", ...), so the words of a question ("how", "do",
"I", "what", "can") still matched titles such as "How Do I Do That?" and
decided rankings. At query time the words below are left out of the BM25
query whenever the query has any other word; a query made only of them
("To Be or Not to Be") keeps them all and is matched against titles word
for word. Quoted phrases are never touched.

The list is the Snowball project's English stop list
(https://snowballstem.org/algorithms/english/stop.txt), less the words that
carry meaning in a paper's title ("not", "no", "nor", "few", "more",
"most", "own", "same", "up", "down", "over", "under", "again", "off",
"out", "above", "below", "against", "before", "after", "between", "during",
"through", "only", "very"), plus the question and request words people type
in a search box ("can", "will", "may", "might", "must", "shall", "get",
"use", "using", "way", "ways", "best", "good", "make", "find", "know",
"want", "need", "please", "paper", "papers").
"""

from __future__ import annotations

from collections.abc import Iterable

__all__ = ["QUERY_STOP_WORDS", "content_words", "is_stop_word"]

_SNOWBALL = """
i me my myself we us our ours ourselves you your yours yourself yourselves he him his
himself she her hers herself it its itself they them their theirs themselves what which
who whom whose this that these those am is are was were be been being have has had having
do does did doing would should could ought a an the and but if or because as until while
of at by for with about into to from in on then once here there when where why how all
any both each other some such so than too s t don doesn didn isn aren wasn weren hasn
haven hadn won wouldn shouldn couldn mustn let
"""
_REQUESTS = """
can will may might must shall get use using way ways best good make find know want need
please paper papers
"""

QUERY_STOP_WORDS: frozenset[str] = frozenset((_SNOWBALL + _REQUESTS).split())


def is_stop_word(word: str) -> bool:
    """True for a word (any case) that does not decide a ranking on its own."""
    return word.lower() in QUERY_STOP_WORDS


def content_words(words: Iterable[str]) -> list[str]:
    """The words of ``words`` that are not stop words, in order; all of them, unchanged,
    when every one is a stop word (a title like "To Be or Not to Be")."""
    given = list(words)
    kept = [word for word in given if not is_stop_word(word)]
    return kept or given
