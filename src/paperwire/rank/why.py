"""Why a paper is recommended, in words: the follow it matches, or the kept paper it is most like.

"because you saved “Attention Is All You Need”" names the positive whose
embedding (or, without embeddings, whose tf-idf words) is closest to the
recommended paper; a matched follow is named first, as it is the reader's
own explicit choice.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from paperwire.rank.features import FeatureSet
from paperwire.rank.follows import describe_follow
from paperwire.store.personal_records import Follow

__all__ = ["closest_positive", "explain"]

_MAX_TITLE = 90


def closest_positive(features: FeatureSet, row: int, positives: Sequence[int]) -> int:
    """The positive row most like ``row``."""
    if features.embeddings is not None and features.has_embedding[row]:
        usable = [p for p in positives if features.has_embedding[p]]
        if usable:
            sims = features.embeddings[usable] @ features.embeddings[row]
            return usable[int(np.argmax(sims))]
    sims = features.tfidf.take(list(positives)).dot(features.tfidf.dense_row(row))
    return list(positives)[int(np.argmax(sims))]


def explain(
    matched: Sequence[Follow], positive_title: str | None = None, positive_was_saved: bool = True
) -> str:
    if matched:
        return "; ".join(describe_follow(f) for f in matched[:2])
    if positive_title is None:
        return "new in the fields you follow"
    verb = "saved" if positive_was_saved else "upvoted"
    return f"because you {verb} “{_short(positive_title)}”"


def _short(title: str) -> str:
    title = " ".join(title.split())
    return title if len(title) <= _MAX_TITLE else title[: _MAX_TITLE - 1].rstrip() + "…"
