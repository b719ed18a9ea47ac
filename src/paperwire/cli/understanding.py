"""The understanding step that ``import`` and ``reindex`` run: keyphrases and one-line
summaries of the changed papers."""

from __future__ import annotations

from rich.console import Console

from paperwire.application.understanding import (
    UnderstandingReport,
    bring_up_to_date,
    follow_changes,
)
from paperwire.cli.engine_options import progress_bar
from paperwire.store import PaperStore
from paperwire.store.locks import JobBusy

__all__ = ["understand_changes"]

console = Console(stderr=True)


def understand_changes(store: PaperStore, everything: bool = False) -> UnderstandingReport | None:
    """Keyphrases and summaries for the papers changed since the last run (with
    ``everything``, every paper whose results are not by today's rules), with a
    progress bar; None, said on standard error, while another process computes them."""
    try:
        with progress_bar("keyphrases and summaries") as progress:
            done = (bring_up_to_date if everything else follow_changes)(store, progress=progress)
    except JobBusy as exc:
        console.print(f"understanding: skipped, {exc}; that process computes it")
        return None
    console.print(f"keyphrases and summaries: {done.papers} papers in {done.seconds:.1f} s")
    return done
