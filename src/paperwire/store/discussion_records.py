"""Plain records of discussion, moderation and notifications, and the store interface for them."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from paperwire.store.mail_records import NewMessage

__all__ = [
    "NOTIFICATION_KINDS",
    "ROLES",
    "SORTS",
    "AuditEntry",
    "Comment",
    "CommentPage",
    "CommentRevision",
    "DiscussionStore",
    "NotFound",
    "Notification",
    "PendingMail",
    "Report",
    "ThreadSummary",
]

ROLES = ("admin", "moderator")
SORTS = ("oldest", "newest")
# Why a user is told of a comment, strongest first: a comment that is both a reply
# to them and mentions them is one notification, a reply.
NOTIFICATION_KINDS = ("reply", "mention", "watch")


class NotFound(LookupError):
    """No such comment (or report) here."""


@dataclass(frozen=True, slots=True)
class Comment:
    """One comment as a thread shows it; ``body`` is empty once deleted (a tombstone)."""

    id: int
    paper_id: str
    user_id: int
    username: str
    parent_id: int | None
    root_id: int
    body: str  # Markdown source as written
    revision: int
    created_at: float  # Unix time
    edited_at: float | None = None
    deleted_at: float | None = None
    hidden_at: float | None = None
    parent_username: str | None = None

    @property
    def deleted(self) -> bool:
        return self.deleted_at is not None

    @property
    def hidden(self) -> bool:
        return self.hidden_at is not None

    @property
    def visible(self) -> bool:
        """Counted and shown with its text to everyone."""
        return not self.deleted and not self.hidden


@dataclass(frozen=True, slots=True)
class CommentPage:
    comments: list[Comment]
    total: int  # comments in the whole discussion, tombstones included (the pager's count)


@dataclass(frozen=True, slots=True)
class CommentRevision:
    comment_id: int
    revision: int
    body: str
    created_at: float


@dataclass(frozen=True, slots=True)
class Report:
    """An open or resolved report, with the revision reported and the comment as it is now."""

    id: int
    comment: Comment
    reporter: str
    revision: int
    reported_body: str
    reason: str
    created_at: float
    resolved_at: float | None = None

    @property
    def edited_since(self) -> bool:
        return self.comment.revision != self.revision


@dataclass(frozen=True, slots=True)
class AuditEntry:
    id: int
    moderator: str | None
    action: str  # hide, unhide, ban, unban, dismiss
    comment_id: int | None
    target_user: str | None
    detail: str
    at: float


@dataclass(frozen=True, slots=True)
class Notification:
    id: int
    kind: str  # one of NOTIFICATION_KINDS
    comment: Comment
    created_at: float
    read_at: float | None = None


@dataclass(frozen=True, slots=True)
class PendingMail:
    """A user's notifications not mailed yet, of kinds they take by mail."""

    user_id: int
    username: str
    subscriber_id: int
    email: str
    notifications: list[Notification]
    last_mailed_at: float | None


@dataclass(frozen=True, slots=True)
class ThreadSummary:
    """A paper's discussion on ``/discussions``: its newest comment and its count."""

    paper_id: str
    comments: int
    latest: Comment


class DiscussionStore(Protocol):
    """What the store does for discussion (``store.discussion``) and notifications."""

    def add_comment(
        self,
        paper_id: str,
        user_id: int,
        body: str,
        parent_id: int | None,
        now: float,
        notify: Sequence[tuple[int, str]] = (),
    ) -> Comment: ...

    def comment(self, comment_id: int) -> Comment | None: ...

    def comments_page(
        self, paper_id: str, sort: str = "oldest", limit: int = 50, offset: int = 0
    ) -> CommentPage: ...

    def comment_position(self, comment_id: int, sort: str = "oldest") -> int | None: ...

    def recent_comments(self, paper_id: str | None = None, limit: int = 50) -> list[Comment]: ...

    def recent_threads(self, limit: int = 50) -> list[ThreadSummary]: ...

    def comment_counts(self, paper_ids: Sequence[str]) -> dict[str, int]: ...

    def comments_since(self, user_id: int, since: float) -> tuple[int, float | None]: ...

    def edit_comment(
        self, comment_id: int, body: str, now: float, notify: Sequence[tuple[int, str]] = ()
    ) -> Comment: ...

    def delete_comment(self, comment_id: int, now: float) -> Comment: ...

    def comment_revisions(self, comment_id: int) -> list[CommentRevision]: ...

    # -- roles, bans, reports and the audit log ---------------------------------

    def grant_role(self, user_id: int, role: str, now: float) -> bool: ...

    def revoke_role(self, user_id: int, role: str) -> bool: ...

    def user_roles(self, user_id: int) -> set[str]: ...

    def is_banned(self, user_id: int) -> bool: ...

    def report_comment(
        self, comment_id: int, reporter_id: int, reason: str, now: float
    ) -> bool: ...

    def open_reports(self, limit: int = 100) -> list[Report]: ...

    def set_hidden(
        self, comment_id: int, hidden: bool, moderator_id: int, now: float
    ) -> Comment: ...

    def dismiss_reports(self, comment_id: int, moderator_id: int, now: float) -> int: ...

    def ban_user(self, user_id: int, moderator_id: int, reason: str, now: float) -> int: ...

    def unban_user(self, user_id: int, moderator_id: int, now: float) -> bool: ...

    def audit_log(self, limit: int = 100, offset: int = 0) -> list[AuditEntry]: ...

    # -- watches and notifications ------------------------------------------------

    def set_watch(self, user_id: int, paper_id: str, watching: bool, now: float) -> None: ...

    def is_watching(self, user_id: int, paper_id: str) -> bool: ...

    def watchers(self, paper_id: str) -> list[int]: ...

    def user_ids_by_names(self, names: Sequence[str]) -> dict[str, int]: ...

    def notifications(self, user_id: int, limit: int = 50) -> list[Notification]: ...

    def unread_notifications(self, user_id: int) -> int: ...

    def mark_notifications_read(self, user_id: int, now: float) -> int: ...

    def notification_mail_kinds(self, user_id: int) -> dict[str, bool]: ...

    def set_notification_mail(self, user_id: int, kind: str, on: bool) -> None: ...

    def pending_notification_mail(self) -> list[PendingMail]: ...

    def enqueue_notification_mail(
        self, message: NewMessage, notification_ids: Sequence[int], now: float
    ) -> bool: ...
