"""Fill the store's one-line summaries: every paper whose summary is missing or stale.

``paperwire import`` and ``paperwire reindex`` call ``fill_summaries`` after
they write; it pages through the papers by change seq (``papers_needing_summary``:
no summary, one made by other rules, or one older than the paper's last change),
summarises each batch (``understanding.summaries.summarize_papers``, pure and
cheap) and writes it in one transaction. A paper whose abstract gives no summary
gets an empty one, so it is not read again until it changes. Safe to run again
or beside an import: a summary made from a version that changed meanwhile is
stale by its seq and made again on the next run.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from paperwire.store import PaperStore
from paperwire.store.summary_records import StoredSummary
from paperwire.understanding.summaries import SUMMARY_RULES, summarize_papers

__all__ = ["SummaryFill", "fill_summaries"]

BATCH = 500


@dataclass(frozen=True, slots=True)
class SummaryFill:
    """What one fill did: papers read, summaries written (empty ones included)."""

    papers: int
    summarized: int


def fill_summaries(
    store: PaperStore,
    *,
    batch: int = BATCH,
    progress: Callable[[int], None] | None = None,
) -> SummaryFill:
    """Summarise every paper of ``store`` that needs it; ``progress(papers_done)`` is
    called after each batch. Raises what the store raises."""
    after = 0
    papers = summarized = 0
    while rows := store.papers_needing_summary(SUMMARY_RULES, after, batch):
        made = dict(summarize_papers(paper for _, paper in rows))
        store.put_summaries(
            StoredSummary(paper.id, made.get(paper.id, ""), SUMMARY_RULES, seq)
            for seq, paper in rows
        )
        papers += len(rows)
        summarized += len(made)
        after = rows[-1][0]
        if progress is not None:
            progress(papers)
    return SummaryFill(papers, summarized)
