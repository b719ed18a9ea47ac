"""Plain records of code activity and linked artifacts that the store keeps and returns."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Protocol

__all__ = [
    "ARTIFACT_KINDS",
    "Artifact",
    "CodeActivityStore",
    "CodeRepoState",
    "PaperArtifacts",
]

# The Hugging Face Hub's repository types, in the order a paper page shows them.
ARTIFACT_KINDS = ("model", "dataset", "space")


@dataclass(slots=True)
class CodeRepoState:
    """What GitHub last said of one linked repository.

    ``repo`` is "owner/name" as the paper links it, lowercased; ``current_name`` the
    name GitHub gives it now (another after a rename); ``gone_on`` the day GitHub
    answered 404, after which it is no longer asked; ``problem`` the last refusal
    (a malformed answer, a redirect to another host), None after a good answer.
    """

    repo: str
    current_name: str | None = None
    stars: int | None = None
    etag: str | None = None
    checked_on: date | None = None
    gone_on: date | None = None
    problem: str | None = None

    @property
    def renamed(self) -> bool:
        return bool(self.current_name) and self.current_name.lower() != self.repo.lower()  # type: ignore[union-attr]


@dataclass(frozen=True, slots=True)
class Artifact:
    """A model, dataset or Space on the Hugging Face Hub whose card cites a paper."""

    kind: str  # one of ARTIFACT_KINDS
    artifact_id: str  # the Hub's repository id, "owner/name"
    likes: int = 0
    downloads: int = 0


@dataclass(slots=True)
class PaperArtifacts:
    """A paper's artifacts: the most liked of each kind, and each kind's total."""

    paper_id: str
    shown: dict[str, list[Artifact]] = field(default_factory=dict)
    totals: dict[str, int] = field(default_factory=dict)
    checked_at: str | None = None  # when the Hub was last asked; None: never

    @property
    def any(self) -> bool:
        return any(self.totals.values())


class CodeActivityStore(Protocol):
    """The code-activity part of ``PaperStore`` (``store/code_activity.py``)."""

    def code_repo_states(self, repos: Iterable[str]) -> dict[str, CodeRepoState]: ...

    def record_code_check(self, state: CodeRepoState, paper_ids: Sequence[str]) -> None:
        """One repository's check and its papers' stars that day, in one transaction."""
        ...

    def star_history(self, paper_ids: Iterable[str]) -> dict[str, list[tuple[date, int]]]: ...

    def stars_between(self, first: date, last: date) -> dict[str, list[tuple[date, int]]]: ...

    def star_history_span(self) -> tuple[date | None, date | None]: ...

    def listed_ids(self, first: date, last: date, with_code: bool = False) -> list[str]: ...

    def replace_artifacts(
        self, paper_id: str, artifacts: Iterable[Artifact], checked_at: datetime | None = None
    ) -> int:
        """Make ``artifacts`` the paper's whole list, in one transaction."""
        ...

    def paper_artifacts(self, paper_id: str, top: int = 10) -> PaperArtifacts: ...

    def artifacts_checked_since(self, paper_ids: Iterable[str], since: datetime) -> set[str]: ...
