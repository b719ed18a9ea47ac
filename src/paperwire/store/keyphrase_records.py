"""Plain records of paper keyphrases the store keeps and returns, and their interface."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Protocol

from paperwire.model import Paper

__all__ = ["KEYPHRASE_SOURCES", "KeyphraseStore", "StoredKeyphrase", "TopicCount"]

# Who chose a keyphrase: paperwire itself, or Hugging Face (their ai_keywords).
KEYPHRASE_SOURCES = ("paperwire", "huggingface")


@dataclass(frozen=True, slots=True)
class StoredKeyphrase:
    """One keyphrase of a paper: as shown, its normalised key, its rank (0 first), its source."""

    phrase: str
    key: str
    rank: int
    source: str  # one of KEYPHRASE_SOURCES


@dataclass(frozen=True, slots=True)
class TopicCount:
    """A keyphrase's key with the papers listed in a span that carry it and their upvotes."""

    key: str
    papers: int
    upvotes: int


class KeyphraseStore(Protocol):
    def replace_keyphrases(self, keyphrases: Mapping[str, Sequence[StoredKeyphrase]]) -> None:
        """Each named paper's keyphrases become exactly those given (none: all removed)."""

    def keyphrases_of(self, paper_ids: Iterable[str]) -> dict[str, list[StoredKeyphrase]]: ...

    def papers_with_keyphrase(
        self, key: str, limit: int = 50, offset: int = 0
    ) -> tuple[list[Paper], int]: ...

    def keyphrase_paper_ids(self, keys: Collection[str], limit: int) -> list[str]: ...

    def keyphrase_keys_starting(self, prefix: str, limit: int = 8) -> list[str]: ...

    def keyphrase_days(self, key: str) -> list[date]: ...

    def keyphrase_label(self, key: str) -> str | None: ...

    def topic_counts(
        self, first: date, last: date, min_papers: int = 1, keys: Collection[str] | None = None
    ) -> list[TopicCount]: ...
