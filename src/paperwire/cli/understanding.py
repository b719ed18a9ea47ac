"""What ``import`` and ``reindex`` add after they write: the papers' one-line summaries."""

from __future__ import annotations

import time

import click

from paperwire.application.summaries import SummaryFill, fill_summaries
from paperwire.cli.options import counted_progress
from paperwire.store import PaperStore

__all__ = ["fill_summaries_with_progress"]


def fill_summaries_with_progress(store: PaperStore, *, quiet: bool = False) -> SummaryFill:
    """Summarise every paper of ``store`` that needs it, with a progress bar, and say
    how many on standard error (nothing when none needed it, or ``quiet``)."""
    started = time.perf_counter()
    with counted_progress() as bar:
        task = bar.add_task("summarising", total=None)
        filled = fill_summaries(store, progress=lambda done: bar.update(task, completed=done))
    seconds = time.perf_counter() - started
    if filled.papers and not quiet:
        click.echo(
            f"summaries: {filled.summarized} of {filled.papers} papers in {seconds:.1f} s",
            err=True,
        )
    return filled
