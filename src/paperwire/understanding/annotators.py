"""The per-paper computations of understanding, run on each batch of changed papers.

An annotator takes the store, the batch's live papers and the ids of the ones
deleted, computes what it derives from each paper and writes it in one call.
``ANNOTATORS`` lists them in the order they run; the follower in
``application/understanding.py`` calls each on every batch of the store's
change sequence, so a new per-paper computation is one more entry there.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from paperwire.model import Paper
from paperwire.phrases import topic_key
from paperwire.store import PaperStore
from paperwire.store.keyphrase_records import StoredKeyphrase
from paperwire.store.summary_records import StoredSummary
from paperwire.understanding.keyphrases import extract_keyphrases
from paperwire.understanding.summaries import SUMMARY_RULES, summarize_papers

__all__ = [
    "ANNOTATORS",
    "UNDERSTANDING_RULES",
    "Annotator",
    "annotate_keyphrases",
    "annotate_summaries",
    "paper_keyphrases",
]

Annotator = Callable[[PaperStore, Sequence[Paper], Sequence[str]], None]

_MAX_THEIRS = 20  # Hugging Face's keywords kept per paper
_MAX_PHRASE = 120  # characters


def paper_keyphrases(paper: Paper) -> list[StoredKeyphrase]:
    """Our keyphrases of ``paper`` (rank order) and Hugging Face's ``ai_keywords`` as they
    gave them (``paper.keywords``), each under its ``topic_key``, each key once per source."""
    ours: list[StoredKeyphrase] = []
    for k in extract_keyphrases(paper.title, paper.abstract):
        key = topic_key(k.key)
        if all(o.key != key for o in ours):
            ours.append(StoredKeyphrase(k.phrase[:_MAX_PHRASE], key, len(ours), "paperwire"))
    theirs: list[StoredKeyphrase] = []
    for keyword in paper.keywords:
        phrase = " ".join(str(keyword).split())[:_MAX_PHRASE]
        key = topic_key(phrase)
        if key and all(t.key != key for t in theirs) and len(theirs) < _MAX_THEIRS:
            theirs.append(StoredKeyphrase(phrase, key, len(theirs), "huggingface"))
    return ours + theirs


def annotate_keyphrases(store: PaperStore, papers: Sequence[Paper], gone: Sequence[str]) -> None:
    """Stores each live paper's keyphrases and removes the deleted papers' ones."""
    rows: dict[str, list[StoredKeyphrase]] = {p.id: paper_keyphrases(p) for p in papers}
    rows.update({paper_id: [] for paper_id in gone})
    store.replace_keyphrases(rows)


def annotate_summaries(store: PaperStore, papers: Sequence[Paper], gone: Sequence[str]) -> None:
    """Stores each live paper's one-line summary (an empty one where the abstract gives
    none, so it is not read again until it changes); a deleted paper keeps its row,
    which its page no longer shows."""
    made = dict(summarize_papers(papers))
    store.put_summaries(
        StoredSummary(paper.id, made.get(paper.id, ""), SUMMARY_RULES, store.max_seq())
        for paper in papers
    )


ANNOTATORS: tuple[Annotator, ...] = (annotate_keyphrases, annotate_summaries)

# Change it with the keyphrase scorer or the summary rules: ``reindex`` then
# computes every paper again.
UNDERSTANDING_RULES = f"keyphrases 1, summaries {SUMMARY_RULES}"
