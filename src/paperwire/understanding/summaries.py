"""A one-line summary of a paper: the clause of its abstract that states the contribution.

The summary is extractive: it is one sentence of the abstract, or the main
clause of one (a leading "To ...," or "In this paper," taken off), lightly
cleaned ("In this paper, we propose X" becomes "We propose X"; "This paper
presents X" becomes "We present X"), so it never says anything the abstract does
not. The sentence is chosen by cue phrases that announce a contribution ("we
propose", "we introduce", "this paper presents"), by its position, and by how
many of the title's words it repeats. The rules and the figures that chose them
are in docs/SUMMARIES.md (``paperwire eval summaries``). Pure and cheap: no
model is loaded, so every paper of a store gets one as it arrives.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from paperwire.model import Paper
from paperwire.understanding.sentences import split_sentences

__all__ = [
    "DEFAULT_WEIGHTS",
    "SUMMARY_RULES",
    "Candidate",
    "Weights",
    "candidates",
    "clean_sentence",
    "summarize",
    "summarize_papers",
]

# The version of the rules below: a stored summary made by other rules is made again.
SUMMARY_RULES = 1

_CONTRIBUTION_VERBS = (
    "propose|proposes|introduce|introduces|present|presents|develop|develops|design|"
    "designs|build|builds|construct|constructs|release|releases|formulate|formulates|"
    "devise|devises|offer|offers|describe|describes|establish|establishes|curate|"
    "curates|create|creates|unveil|unveils|contribute|contributes|investigate|"
    "investigates|study|studies|explore|explores|address|addresses|tackle|tackles"
)
_STRONG_VERBS = re.compile(
    r"\b(?:we|this (?:paper|work|study|article|report)|our (?:work|paper))\s+"
    r"(?:\w+ly\s+)?(?:first\s+)?"
    r"(?:propose|proposes|introduce|introduces|present|presents|develop|develops|"
    r"design|designs|build|builds|construct|constructs|release|releases|devise|devises|"
    r"curate|curates|create|creates|unveil|unveils|formulate|formulates)\b",
    re.IGNORECASE,
)
_WEAK_VERBS = re.compile(
    r"\b(?:we|this (?:paper|work|study|article|report))\s+(?:\w+ly\s+)?(?:"
    + _CONTRIBUTION_VERBS
    + r")\b",
    re.IGNORECASE,
)
_NAMED_THING = re.compile(
    r"\b(?:called|named|dubbed|termed)\b|^[A-Z][\w-]*[A-Z0-9][\w-]*\s*(?:,|is|\()"
)
_OFF_TOPIC = re.compile(
    r"https?://|github\.com|\b(?:code|data|dataset|models?|weights)\s+(?:is|are|will be)\s+"
    r"(?:publicly\s+)?(?:available|released)|^(?:however|but|yet)\b",
    re.IGNORECASE,
)
_RESULTS = re.compile(
    r"^(?:experiments?|extensive|empirical|results?|evaluations?|our experiments?)\b|"
    r"\b(?:outperforms?|achieves?|surpass(?:es)?|state-of-the-art)\b",
    re.IGNORECASE,
)
# Openings taken off the chosen sentence (the clause that follows is the statement).
_LEADS = (
    re.compile(
        r"^(?:in|within|through)\s+(?:this|the present|our)\s+"
        r"(?:paper|work|study|article|report|letter|note)(?:\s*,\s*|\s+(?=we\b))",
        re.IGNORECASE,
    ),
    re.compile(r"^(?:here|herein|to this end|to that end|therefore|thus|hence)\s*,\s*", re.I),
    re.compile(r"^(?:to|for|towards?)\s+[^,]{3,120}?,\s*(?=we\b)", re.IGNORECASE),
    re.compile(r"^(?:motivated|inspired|building|based)\s+[^,]{3,120}?,\s*(?=we\b)", re.I),
)
_THIS_PAPER = re.compile(
    r"^(?:this|the present|our)\s+(?:paper|work|study|article|report)\s+(\w+)\b", re.I
)
_VERB_AS_WE = {"presents": "present", "proposes": "propose", "introduces": "introduce",
               "describes": "describe", "develops": "develop", "investigates": "investigate",
               "studies": "study", "explores": "explore", "addresses": "address",
               "examines": "examine", "reports": "report", "provides": "provide",
               "offers": "offer", "establishes": "establish"}  # fmt: skip
_WORD = re.compile(r"[A-Za-z][A-Za-z0-9]+")
_STOP = frozenset(
    [
        "a",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "by",
        "for",
        "from",
        "in",
        "into",
        "is",
        "it",
        "its",
        "of",
        "on",
        "or",
        "our",
        "that",
        "the",
        "their",
        "this",
        "to",
        "via",
        "we",
        "with",
        "towards",
        "toward",
        "using",
        "based",
    ]
)


@dataclass(frozen=True, slots=True)
class Weights:
    """What each sign of a contribution adds to a sentence's score (docs/SUMMARIES.md
    gives the figures that chose them on the tuning half)."""

    strong_cue: float = 2.0  # "we propose", "this paper presents"
    weak_cue: float = 1.5  # "we study", "we investigate"
    named: float = 0.5  # "called X", or a sentence that opens with a system's name
    title_name: float = 2.0  # the name the title announces before its colon
    title_words: float = 8.0  # times the share of the title's words it repeats
    off_topic: float = -3.0  # a link, "code is available", "However, ..."
    results: float = -0.5  # a results sentence without a contribution cue
    first: float = 0.0  # the opening sentence, most often background
    short: float = -1.0  # under ``short_words`` words: a name alone says little
    short_words: int = 8


DEFAULT_WEIGHTS = Weights()


@dataclass(frozen=True, slots=True)
class Candidate:
    """One sentence of an abstract as a summary: its cleaned text, its index, its score."""

    text: str
    index: int
    score: float


def summarize(title: str, abstract: str, weights: Weights = DEFAULT_WEIGHTS) -> str | None:
    """The one-line summary of a paper with this ``title`` and ``abstract``, or None when
    the abstract has no sentence to give (empty). Never raises."""
    found = candidates(title, abstract, weights)
    if not found:
        return None
    return max(found, key=lambda c: (c.score, -c.index)).text


def summarize_papers(papers: Iterable[Paper]) -> list[tuple[str, str]]:
    """``(paper_id, summary)`` for each of ``papers`` that has an abstract, in order."""
    found = []
    for paper in papers:
        summary = summarize(paper.title, paper.abstract)
        if summary:
            found.append((paper.id, summary))
    return found


def candidates(title: str, abstract: str, weights: Weights = DEFAULT_WEIGHTS) -> list[Candidate]:
    """Every sentence of ``abstract``, cleaned and scored as a summary (higher is better)."""
    sentences = split_sentences(abstract)
    title_words = _content_words(title)
    name = _title_name(title)
    found = []
    for index, sentence in enumerate(sentences):
        text = clean_sentence(sentence)
        if len(text) < 20:
            continue
        found.append(
            Candidate(text, index, _score(text, index, len(sentences), title_words, name, weights))
        )
    return found


def clean_sentence(sentence: str) -> str:
    """``sentence`` as a summary line: its leading clause of framing taken off ("In this
    paper, we propose X" becomes "We propose X"), "This paper presents X" as "We present
    X", its first letter capitalised."""
    text = " ".join(sentence.split())
    for lead in _LEADS:
        text = lead.sub("", text, count=1)
    match = _THIS_PAPER.match(text)
    if match and match.group(1).lower() in _VERB_AS_WE:
        text = "We " + _VERB_AS_WE[match.group(1).lower()] + text[match.end() :]
    return text[:1].upper() + text[1:]


def _score(
    text: str, index: int, count: int, title_words: set[str], name: str | None, w: Weights
) -> float:
    score = 0.0
    strong = _STRONG_VERBS.search(text) is not None
    if strong:
        score += w.strong_cue
    elif _WEAK_VERBS.search(text):
        score += w.weak_cue
    if _NAMED_THING.search(text):
        score += w.named
    if name and name.lower() in text.lower():
        score += w.title_name
    words = _content_words(text)
    if title_words:
        score += w.title_words * len(words & title_words) / len(title_words)
    if _OFF_TOPIC.search(text):
        score += w.off_topic
    if not strong and _RESULTS.search(text):
        score += w.results
    if index == 0 and count > 2:
        score += w.first
    if len(text.split()) < w.short_words:
        score += w.short
    return score


def _content_words(text: str) -> set[str]:
    return {w.lower().rstrip("s") for w in _WORD.findall(text) if w.lower() not in _STOP}


def _title_name(title: str) -> str | None:
    """The system's name a title announces before its colon ("MiroMind-M1: ...")."""
    head, colon, _ = title.partition(":")
    head = head.strip()
    if colon and 1 <= len(head.split()) <= 3:
        return head
    return None
