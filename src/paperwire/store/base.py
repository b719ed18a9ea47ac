"""The storage interface every backend implements, and the figures it reports.

Callers (importers, indexers, the web and the CLI) depend on ``PaperStore``
only, so a PostgreSQL backend can stand beside SQLite without touching them.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Protocol

from paperwire.model import Paper
from paperwire.store.code_records import CodeActivityStore
from paperwire.store.discussion_records import DiscussionStore
from paperwire.store.keyphrase_records import KeyphraseStore
from paperwire.store.mail_records import NewMessage, OutboxRow, Subscriber
from paperwire.store.personal_records import Collection as FolderCollection
from paperwire.store.personal_records import (
    CollectionItem,
    Folder,
    Follow,
    PaperMarks,
    SavedPaper,
    Signals,
)
from paperwire.store.records import (
    AuthorPage,
    FeedPage,
    ListedPaper,
    OrganizationCount,
    TrendingRow,
    User,
)
from paperwire.store.summary_records import SummaryStore
from paperwire.store.thumbnails import ThumbnailStore
from paperwire.store.versions import ContentVersions

if TYPE_CHECKING:
    import numpy as np

__all__ = [
    "DeletionCounts",
    "HarvestCheckpoint",
    "PaperStore",
    "StoreStats",
    "StoredEmbedding",
    "UpsertCounts",
]


@dataclass(slots=True)
class UpsertCounts:
    new: int = 0
    updated: int = 0
    unchanged: int = 0

    def add(self, other: UpsertCounts) -> None:
        self.new += other.new
        self.updated += other.updated
        self.unchanged += other.unchanged


@dataclass(slots=True)
class DeletionCounts:
    deleted: int = 0  # stored papers marked deleted now
    unchanged: int = 0  # deleted already, or newer than the deletion (``store.merge``)
    unknown: int = 0  # not in the store: nothing to mark


@dataclass(slots=True)
class StoreStats:
    papers: int
    arxiv_papers: int
    with_upvotes: int
    with_code: int
    organizations: int  # one per organisation, whatever its spellings (organization_group)
    first_listed: str | None
    last_listed: str | None
    change_seq: int
    schema_version: int
    by_source: dict[str, int] = field(default_factory=dict)


@dataclass(slots=True)
class StoredEmbedding:
    """One paper's embedding: the model that made it, a hash of the text it
    was made from (to skip re-embedding unchanged text), the paper's change
    seq at the time, and the float32 vector."""

    paper_id: str
    model: str
    text_hash: str
    seq: int
    vector: np.ndarray


@dataclass(slots=True)
class HarvestCheckpoint:
    """How far one bulk harvest got: ``token`` resumes it (None once ``complete``)."""

    harvest: str
    token: str | None = None
    pages: int = 0
    records: int = 0
    complete: bool = False
    started_at: str = ""
    updated_at: str = ""


class PaperStore(
    CodeActivityStore, ThumbnailStore, SummaryStore, DiscussionStore, KeyphraseStore, Protocol
):
    def get_papers(self, ids: Iterable[str]) -> dict[str, Paper]: ...

    def get_paper(self, paper_id: str) -> Paper | None: ...

    def upsert_papers(
        self, papers: Iterable[Paper], *, listed_in: Collection[str] | None = None
    ) -> UpsertCounts:
        """Merge each paper into the store in one transaction; all or nothing.

        Each record's listing day is recorded held for its source (``held_days``), in
        its categories that are in ``listed_in`` (every one when None)."""
        ...

    def replace_papers(self, papers: Iterable[Paper]) -> int:
        """Write each stored paper of ``papers`` exactly as given, no merge (a repair
        re-deriving stored records), in one transaction, each with a new change seq;
        its record rules are kept. Papers the store lacks are skipped. Returns the
        number written."""
        ...

    def set_github_stars(self, paper_ids: Iterable[str], stars: int, day: date) -> list[str]:
        """Make ``stars`` (GitHub's own count on ``day``) the stars of each stored paper of
        ``paper_ids``, past the merge's keep-the-largest rule (GitHub's count may go
        down), in one transaction. Only a paper whose count changes is written, with a
        new change seq and its listing rows' sort keys; returns their ids."""
        ...

    def papers_from_older_rules(self) -> int:
        """How many papers' text an import by rules older than ``model.RECORD_RULES``
        wrote (a store noted rules only from schema 10; papers before count as 0)."""
        ...

    def mark_deleted(self, deletions: Iterable[tuple[str, date]]) -> DeletionCounts:
        """Mark each stored paper of the (paper id, deletion day) pairs deleted, in one
        transaction, by ``merge.apply_deletion``'s rule; a changed paper gets a new change
        seq. The record is kept; feeds and search leave it out."""
        ...

    def iter_papers(self, batch_size: int = 1000) -> Iterator[Paper]:
        """Every paper, ordered by id, read in batches (flat memory)."""
        ...

    def changes_since(self, seq: int, limit: int = 1000) -> list[tuple[int, Paper]]:
        """Papers whose change sequence is above ``seq``, lowest first."""
        ...

    def max_seq(self) -> int: ...

    def put_embeddings(self, embeddings: Iterable[StoredEmbedding]) -> int:
        """Insert or replace embeddings in one transaction; return how many."""
        ...

    def get_embeddings(self, ids: Iterable[str], model: str) -> dict[str, StoredEmbedding]:
        """The stored embeddings of ``ids`` made by ``model`` (missing ids left out)."""
        ...

    def iter_embeddings(self, model: str, batch_size: int = 1000) -> Iterator[StoredEmbedding]:
        """Every embedding made by ``model``, ordered by paper id, read in batches."""
        ...

    def embedding_progress(self, model: str) -> tuple[int, int]:
        """(papers with a stored embedding made by ``model``, papers in the store)."""
        ...

    def papers_without_embedding(
        self, model: str, after_seq: int = 0, limit: int = 256
    ) -> list[tuple[int, Paper]]:
        """Papers (with their change seq, above ``after_seq``, lowest first) that have no
        stored embedding made by ``model``: what an embedding backfill still has to do."""
        ...

    def stats(self) -> StoreStats: ...

    def get_sync_state(self, key: str) -> str | None:
        """The value a sync step last recorded under ``key``, or None."""
        ...

    def set_sync_state(self, key: str, value: str) -> None: ...

    def content_versions(self, sync_state_key: str) -> ContentVersions:
        """What cached pages depend on (``store.versions``), in one query."""
        ...

    def get_harvest_checkpoint(self, harvest: str) -> HarvestCheckpoint | None: ...

    # -- the listing days held, per source and category (``store.held_days``) -------

    def hold_listing_days(
        self, source: str, categories: Iterable[str], days: Iterable[date]
    ) -> int: ...

    def held_listing_days(
        self,
        source: str,
        category: str | None,
        first: date | None = None,
        last: date | None = None,
    ) -> list[date]: ...

    def held_day_range(
        self, source: str, category: str | None = None
    ) -> tuple[date | None, date | None]: ...

    def save_harvest_checkpoint(self, checkpoint: HarvestCheckpoint) -> None:
        """Insert or replace the checkpoint of ``checkpoint.harvest``."""
        ...

    # -- feeds, trending and organisations (the web) ---------------------------

    def latest_listed_day(self, on_or_before: date | None = None) -> date | None: ...

    def listing_neighbours(self, first: date, last: date) -> tuple[date | None, date | None]:
        """The nearest listing day before ``first`` and after ``last``."""
        ...

    def listed_papers(
        self, first: date, last: date, order: str = "upvotes", limit: int = 30, offset: int = 0
    ) -> FeedPage: ...

    def organization_papers(
        self, names: list[str], limit: int = 30, offset: int = 0
    ) -> FeedPage: ...

    def organization_counts(self) -> list[OrganizationCount]: ...

    def trending_rows(self, first: date, last: date) -> list[TrendingRow]: ...

    def listed_with_votes(self, ids: list[str]) -> list[ListedPaper]: ...

    def local_votes(self, ids: Iterable[str]) -> dict[str, int]: ...

    # -- accounts and votes (the web) ----------------------------------------

    def create_user(self, username: str, password_hash: str) -> User:
        """Raises ``UsernameTaken`` when the name (without case) is in use."""
        ...

    def user_by_name(self, username: str) -> tuple[User, str] | None: ...

    def set_password_hash(self, user_id: int, password_hash: str) -> None: ...

    def create_session(
        self, token_hash: str, user_id: int, csrf_token: str, now: float, expires_at: float
    ) -> None: ...

    def session_user(self, token_hash: str, now: float) -> tuple[User, str] | None: ...

    def delete_session(self, token_hash: str) -> None: ...

    def record_login_failure(self, keys: list[str], now: float, forget_before: float) -> None: ...

    def login_failures_since(self, key: str, since: float) -> tuple[int, float | None]: ...

    def clear_login_failures(self, key: str) -> None: ...

    def set_vote(self, user_id: int, paper_id: str, voted: bool, now: float) -> int:
        """Cast or take back one user's vote; return the paper's votes cast here."""
        ...

    def user_votes(self, user_id: int, paper_ids: list[str]) -> set[str]: ...

    def vote_rows(self, paper_ids: list[str]) -> dict[str, int]:
        """Users who voted for each paper, counted from the vote rows themselves."""
        ...

    # -- a reader's signals: library, follows, seen (recommendations) ------------

    def save_paper(self, user_id: int, paper_id: str, folder_id: int | None = None) -> None: ...

    def unsave_paper(self, user_id: int, paper_id: str) -> None: ...

    def create_folder(self, user_id: int, name: str) -> Folder: ...

    def delete_folder(self, user_id: int, folder_id: int) -> None: ...

    def folders(self, user_id: int) -> list[Folder]: ...

    def library(self, user_id: int, folder_id: int | None = None) -> list[SavedPaper]: ...

    def set_not_interested(self, user_id: int, paper_id: str, dismissed: bool = True) -> None: ...

    def follow(self, user_id: int, kind: str, value: str) -> Follow: ...

    def unfollow(self, user_id: int, follow_id: int) -> None: ...

    def follows(self, user_id: int) -> list[Follow]: ...

    def mark_seen(self, user_id: int, paper_ids: list[str]) -> None: ...

    def unmark_seen(self, user_id: int, paper_id: str) -> None: ...

    def paper_marks(self, user_id: int, paper_ids: list[str]) -> dict[str, PaperMarks]:
        """The reader's marks (vote, saved, dismissed, seen) on each of ``paper_ids`` that
        has one, read in one query per 100 ids."""
        ...

    def followed_by_readers(self, kinds: tuple[str, ...], limit: int) -> list[Follow]: ...

    def record_opened(self, user_id: int, paper_id: str, at: float) -> bool: ...

    def opened_papers(self, user_id: int) -> list[str]: ...

    def user_signals(self, user_id: int) -> Signals: ...

    # -- public collections (library folders made public) --------------------------

    def folder_collection(self, user_id: int, folder_id: int) -> FolderCollection | None: ...

    def publish_folder(
        self, user_id: int, folder_id: int, title: str, description: str
    ) -> FolderCollection: ...

    def unpublish_folder(self, user_id: int, folder_id: int) -> None: ...

    def set_folder_note(self, user_id: int, folder_id: int, paper_id: str, note: str) -> None: ...

    def public_collection(self, username: str, slug: str) -> FolderCollection | None: ...

    def public_collections(self, user_id: int) -> list[FolderCollection]: ...

    def collection_items(self, folder_id: int) -> list[CollectionItem]: ...

    # -- author pages ----------------------------------------------------------------

    def author_page(
        self, name: str, *, offset: int = 0, limit: int = 25, related: int = 10
    ) -> AuthorPage: ...

    def author_paper_ids(self, name: str, limit: int) -> list[str]:
        """The ids of up to ``limit`` papers listing author ``name`` exactly, newest first."""
        ...

    # -- email digests: subscribers and the outbox --------------------------------

    def add_subscriber(
        self, email: str, frequency: str, user_id: int | None = None
    ) -> tuple[Subscriber, bool]: ...

    def subscriber(self, subscriber_id: int) -> Subscriber | None: ...

    def subscriber_by_email(self, email: str) -> Subscriber | None: ...

    def subscriber_of_user(self, user_id: int) -> Subscriber | None: ...

    def active_subscribers(self) -> list[Subscriber]: ...

    def confirm_subscriber(self, subscriber_id: int) -> Subscriber | None: ...

    def unsubscribe(self, subscriber_id: int) -> Subscriber | None: ...

    def emailed_paper_ids(self, subscriber_id: int) -> set[str]: ...

    def enqueue_messages(self, messages: Iterable[NewMessage]) -> int: ...

    def has_message(self, idempotency_key: str) -> bool: ...

    def deliverable_messages(self, limit: int = 100, after_id: int = 0) -> list[OutboxRow]: ...

    def mark_sending(self, outbox_id: int) -> bool: ...

    def mark_sent(self, outbox_id: int) -> None: ...

    def mark_failed(self, outbox_id: int, error: str, final: bool) -> None: ...

    def outbox_counts(self) -> dict[str, int]: ...

    def integrity_check(self) -> str:
        """ "ok", or what is wrong: the engine's own check and paperwire's invariants."""
        ...

    def job_lock(self, job: str, wait_seconds: float = 0.0) -> AbstractContextManager[None]:
        """Hold ``job``'s lock (one at a time over every process and node), or raise
        ``JobBusy`` after ``wait_seconds``."""
        ...

    def close(self) -> None: ...
