"""Understanding computed as papers arrive: a follower of the store's change sequence.

Like the search indexer, it reads ``changes_since`` from its own cursor (the
sync state ``understanding seq``) and records how far it got after each
batch, so an interrupted run resumes where it stopped and a paper changed
again is computed again. Each batch goes through every annotator of
``understanding.annotators.ANNOTATORS``. ``paperwire import`` and the
background job after each sync call ``follow_changes``; ``paperwire reindex``
calls ``bring_up_to_date``, which starts the cursor over only when the rules
(``annotators.UNDERSTANDING_RULES``) changed since every paper was last computed.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from paperwire.store import PaperStore
from paperwire.understanding.annotators import ANNOTATORS, UNDERSTANDING_RULES, Annotator

__all__ = [
    "CURSOR_KEY",
    "JOB",
    "RULES_KEY",
    "UnderstandingReport",
    "bring_up_to_date",
    "follow_changes",
    "recompute_all",
]

CURSOR_KEY = "understanding seq"
RULES_KEY = "understanding rules"  # the rules every paper up to the cursor was computed by
JOB = "understanding"
BATCH = 500

Progress = Callable[[int, int], None]


@dataclass(slots=True)
class UnderstandingReport:
    """What a run did: papers computed, deleted papers cleared, the seq reached, seconds."""

    papers: int = 0
    removed: int = 0
    seq: int = 0
    seconds: float = 0.0


def follow_changes(
    store: PaperStore,
    annotators: Sequence[Annotator] = ANNOTATORS,
    batch_size: int = BATCH,
    progress: Progress | None = None,
) -> UnderstandingReport:
    """Runs every annotator over the papers changed since the cursor, batch by batch.

    ``progress(done, total)`` counts change-sequence values. Holds the store's
    ``understanding`` job lock, so one process at a time computes; raises
    ``JobBusy`` while another holds it (that one catches up on everything).
    Errors of an annotator propagate; the cursor then stays at the last
    finished batch.
    """
    with store.job_lock(JOB):
        from_scratch = not int(store.get_sync_state(CURSOR_KEY) or 0)
        report = _follow(store, annotators, batch_size, progress)
        if from_scratch and annotators == ANNOTATORS:
            store.set_sync_state(RULES_KEY, UNDERSTANDING_RULES)  # every paper is by them
        return report


def _follow(
    store: PaperStore,
    annotators: Sequence[Annotator],
    batch_size: int,
    progress: Progress | None,
) -> UnderstandingReport:
    started = time.perf_counter()
    seq = int(store.get_sync_state(CURSOR_KEY) or 0)
    report = UnderstandingReport(seq=seq)
    first, last = seq, store.max_seq()
    while batch := store.changes_since(seq, batch_size):
        live = [paper for _, paper in batch if not paper.deleted]
        gone = [paper.id for _, paper in batch if paper.deleted]
        for annotate in annotators:
            annotate(store, live, gone)
        seq = batch[-1][0]
        store.set_sync_state(CURSOR_KEY, str(seq))
        report.papers += len(live)
        report.removed += len(gone)
        if progress is not None:
            progress(seq - first, max(last, seq) - first)
    report.seq = seq
    report.seconds = time.perf_counter() - started
    return report


def recompute_all(
    store: PaperStore,
    annotators: Sequence[Annotator] = ANNOTATORS,
    progress: Progress | None = None,
) -> UnderstandingReport:
    """Computes every stored paper again (after new rules or a new scorer).

    Raises ``JobBusy`` while another process computes.
    """
    with store.job_lock(JOB):
        store.set_sync_state(CURSOR_KEY, "0")
        report = _follow(store, annotators, BATCH, progress)
        store.set_sync_state(RULES_KEY, UNDERSTANDING_RULES)
        return report


def bring_up_to_date(store: PaperStore, progress: Progress | None = None) -> UnderstandingReport:
    """Every paper computed by today's rules: all of them again when the rules changed
    since the last full run (or there was none), else only the papers changed since.

    Raises ``JobBusy`` while another process computes.
    """
    if store.get_sync_state(RULES_KEY) != UNDERSTANDING_RULES:
        return recompute_all(store, progress=progress)
    return follow_changes(store, progress=progress)
