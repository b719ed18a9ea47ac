"""Our one-line summaries read from the store onto the listed papers a page shows."""

from __future__ import annotations

from collections.abc import Sequence

from paperwire.store import PaperStore
from paperwire.store.records import ListedPaper

__all__ = ["attach_summaries"]


def attach_summaries(store: PaperStore, listed: Sequence[ListedPaper]) -> None:
    """Set each item's ``summary`` to the store's (one query for all); a paper
    Hugging Face summarised needs none, since theirs is shown."""
    wanted = [item.paper.id for item in listed if not item.paper.ai_summary]
    found = store.get_summaries(wanted) if wanted else {}
    for item in listed:
        item.summary = found.get(item.paper.id, item.summary)
