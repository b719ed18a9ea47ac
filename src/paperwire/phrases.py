"""The one normaliser of keyphrases: two spellings of one phrase share a key.

Every keyphrase (ours, Hugging Face's, an evaluation baseline's) is compared,
stored, linked and followed by ``phrase_key``: case folded, accents folded,
hyphens, slashes and underscores read as spaces, each word's English plural
made singular, and white space tidied. ``LLMs`` and ``LLM``, ``Vision-Language
Models`` and ``vision language model`` are one key.

``topic_key`` goes one step further for what the site links, filters and
follows: an acronym becomes the expansion most arXiv cs papers give it
(``acronyms.tsv``, shipped beside this module and built from arXiv's CC0
metadata by the development package (its ``keyphrase_tables`` module)),
so ``LLMs`` and ``large language models`` are one topic. The evaluation
compares by ``phrase_key`` alone, the spelling rules it names.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache
from importlib import resources

__all__ = ["acronym_expansions", "acronyms_for", "phrase_key", "singular", "topic_key"]

_SEPARATORS = re.compile(r"[\s\-‐‑‒–—_/]+")
_EDGE_PUNCTUATION = " .,;:!?\"'()[]{}"
# Words that end in "s" without being plurals (or whose plural is themselves).
_NOT_PLURAL_TEXT = """
    analysis basis bias biases class corpus diagnosis gas hypothesis lens mathematics news
    physics plus process series species status thesis this us its does has was is dynamics
    economics genomics robotics statistics kinematics semantics ethics optics gaussian less
    loss across chess mass atlas canvas cross pass alias
"""
_NOT_PLURAL = frozenset(_NOT_PLURAL_TEXT.split())


def singular(word: str) -> str:
    """``word`` (lowercase) made singular by English's regular plural rules.

    Only the regular forms: ``-ies`` to ``-y``, ``-sses``/``-xes``/``-ches``/``-shes``
    lose ``-es``, a final ``-s`` goes unless the word ends in ``-ss``, ``-us``
    or ``-is`` or is one of a few words that only look plural. Words of three
    letters or fewer keep their ``s`` unless the rest is an acronym's
    (``llms`` from ``LLMs`` becomes ``llm``).
    """
    if word in _NOT_PLURAL or not word.endswith("s") or len(word) < 3:
        return word
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith(("sses", "xes", "ches", "shes", "zes")) and len(word) > 4:
        return word[:-2]
    if word.endswith(("ss", "us", "is", "'s")):
        return word
    return word[:-1]


def phrase_key(phrase: str) -> str:
    """The normalised key of ``phrase``: ``"Large Language Models"`` gives
    ``"large language model"``.

    Empty when nothing of a word is left (only punctuation or white space).
    """
    folded = unicodedata.normalize("NFKD", phrase)
    folded = "".join(c for c in folded if not unicodedata.combining(c)).casefold()
    words = [w.strip(_EDGE_PUNCTUATION) for w in _SEPARATORS.split(folded)]
    return " ".join(singular(w) for w in words if w)


def topic_key(phrase: str) -> str:
    """The key a topic goes by: ``phrase_key``, an acronym replaced by its usual expansion.

    ``topic_key("LLMs") == topic_key("large language models") == "large language model"``.
    """
    key = phrase_key(phrase)
    return acronym_expansions().get(key, key)


@cache
def acronym_expansions() -> dict[str, str]:
    """The shipped table: an acronym's key to its usual expansion's key."""
    text = (resources.files("paperwire") / "acronyms.tsv").read_text(encoding="utf-8")
    table: dict[str, str] = {}
    for line in text.splitlines():
        if line and not line.startswith("#"):
            acronym, expansion = line.split("\t")
            table[acronym] = expansion
    return table


def acronyms_for(key: str) -> tuple[str, ...]:
    """The acronym keys that expand to ``key`` (``"llm"`` for ``"large language model"``)."""
    return _by_expansion().get(key, ())


@cache
def _by_expansion() -> dict[str, tuple[str, ...]]:
    found: dict[str, list[str]] = {}
    for acronym, expansion in acronym_expansions().items():
        found.setdefault(expansion, []).append(acronym)
    return {k: tuple(sorted(v)) for k, v in found.items()}
