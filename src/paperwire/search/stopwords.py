"""Which words of a query are content: the words that may decide a BM25 ranking.

The lexical index drops only the short English stop list of its analyzer
(Lucene's: "a", "the", "is", ...), so the words of a question ("how", "do",
"I", "what", "can") still matched titles such as "How Do I Do That?" and
decided rankings. At query time the words below are left out of the BM25
query whenever the query has any other word; a query made only of them
("To Be or Not to Be") keeps them all and is matched against titles word
for word. Quoted phrases are never touched.

The list: question words ("how", "what", "why", ...), pronouns ("I", "we",
"you", "it", ...), the auxiliaries "do" and "be" and the modal verbs ("can",
"should", "may", ...), the function words of Lucene's list again, and what
people add to a request ("find", "make", "use", "best", "paper", ...). It is
a subset of the Snowball project's English stop list
(https://snowballstem.org/algorithms/english/stop.txt) plus those request
words: words that carry meaning in a title or a claim ("not", "no", "more",
"than", "all", "only", "between", "after", "over", "up", ...) are not on it,
nor are "have"/"has"/"had" (on SciFact's train split, dropping them cost
0.002 nDCG@10 of BM25; the list as it is adds 0.001).
"""

from __future__ import annotations

from collections.abc import Iterable

__all__ = ["QUERY_STOP_WORDS", "content_words", "is_stop_word"]

_QUESTIONS = """
how what why when where which who whom whose do does did doing i me my myself we us our ours
you your yours he him his she her it its they them their this that these those am is are was
were be been being a an the and or but if of at by for with about into to from in on as so
there here let
"""
_REQUESTS = """
can could should would will may might must shall get make find use using know want need
please paper papers way ways best good
"""

QUERY_STOP_WORDS: frozenset[str] = frozenset((_QUESTIONS + _REQUESTS).split())


def is_stop_word(word: str) -> bool:
    """True for a word (any case) that does not decide a ranking on its own."""
    return word.lower() in QUERY_STOP_WORDS


def content_words(words: Iterable[str]) -> list[str]:
    """The words of ``words`` that are not stop words, in order; all of them, unchanged,
    when every one is a stop word (a title like "To Be or Not to Be")."""
    given = list(words)
    kept = [word for word in given if not is_stop_word(word)]
    return kept or given
