"""Discussion use cases: post, edit, delete and report comments; moderate; watch a paper.

Every adapter (web pages, the JSON API, the CLI) calls these, so the rules
live in one place: who may do what (only a comment's author edits or deletes
it; only a moderator or an admin hides, unhides, bans), what a comment may
hold (10,000 characters), the rate limits (10 comments an hour per account;
an account younger than a day may put at most 2 links in one comment, the
usual first move of a spam account), and who is notified of a new comment
(its parent's author, the users it @mentions, the paper's watchers; one
notification each, the strongest reason winning; never the author).
Mentions are ``@name`` with the user-name rule of registration.
"""

from __future__ import annotations

import math
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from paperwire.store.base import PaperStore
from paperwire.store.discussion_records import Comment, NotFound
from paperwire.store.records import User

__all__ = [
    "MAX_COMMENT_CHARS",
    "MAX_REPORT_CHARS",
    "MENTION",
    "CommentRejected",
    "DiscussionLimits",
    "Forbidden",
    "RateLimited",
    "ban_user",
    "delete_comment",
    "dismiss_reports",
    "edit_comment",
    "is_moderator",
    "link_count",
    "load_discussion_limits",
    "mentioned_names",
    "post_comment",
    "report_comment",
    "set_hidden",
    "unban_user",
]

MAX_COMMENT_CHARS = 10_000
_HOUR = 3600
MAX_REPORT_CHARS = 500
MODERATING_ROLES = frozenset({"admin", "moderator"})

# @name where a name starts (not inside an email address or a word); the user-name rule
# of registration (web.routes.accounts.USERNAME_RULE).
MENTION = re.compile(r"(?<![\w@.])@([A-Za-z0-9][A-Za-z0-9_.-]{2,31})")
# Anything a reader's browser or Markdown would make a link of: a scheme's URL or www.
_LINK = re.compile(r"(?i)(?:\b[a-z][a-z0-9+.-]*://|\bwww\.|\bmailto:)")


class CommentRejected(ValueError):
    """The comment cannot be posted or saved as it is; the message says why."""


class Forbidden(PermissionError):
    """This user may not do this; the message says why."""


class RateLimited(Exception):
    """Too many comments: try again in ``retry_after`` seconds."""

    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after


@dataclass(frozen=True, slots=True)
class DiscussionLimits:
    """The discussion's rate limits; 0 turns a limit off.

    PAPERWIRE_COMMENTS_PER_HOUR     comments per account per hour (default 10)
    PAPERWIRE_NEW_ACCOUNT_HOURS     how long an account counts as new (default 24)
    PAPERWIRE_NEW_ACCOUNT_LINKS     links a new account may put in one comment (default 2)
    """

    comments_per_hour: int = 10
    new_account_hours: int = 24
    new_account_links: int = 2


def load_discussion_limits(environ: Mapping[str, str] | None = None) -> DiscussionLimits:
    """The limits from the environment; raises ``ValueError`` naming a bad variable."""
    env = os.environ if environ is None else environ
    defaults = DiscussionLimits()
    values = {}
    for field, name in (
        ("comments_per_hour", "PAPERWIRE_COMMENTS_PER_HOUR"),
        ("new_account_hours", "PAPERWIRE_NEW_ACCOUNT_HOURS"),
        ("new_account_links", "PAPERWIRE_NEW_ACCOUNT_LINKS"),
    ):
        raw = env.get(name, "").strip()
        if not raw:
            values[field] = getattr(defaults, field)
            continue
        if not raw.isdigit():
            raise ValueError(f"{name} must be a whole number of 0 or more, not {raw!r}")
        values[field] = int(raw)
    return DiscussionLimits(**values)


def mentioned_names(body: str) -> list[str]:
    """The user names ``body`` @mentions, once each, in order (a trailing dot is punctuation)."""
    return list(dict.fromkeys(m.group(1).rstrip(".-") for m in MENTION.finditer(body)))


def link_count(body: str) -> int:
    """How many links ``body`` holds: URLs with a scheme, www. names and mailto: addresses."""
    return len(_LINK.findall(body))


def is_moderator(store: PaperStore, user: User | None) -> bool:
    return user is not None and bool(store.user_roles(user.id) & MODERATING_ROLES)


def post_comment(
    store: PaperStore,
    limits: DiscussionLimits,
    user: User,
    paper_id: str,
    body: str,
    now: float,
    parent_id: int | None = None,
) -> Comment:
    """Post a comment (or a reply to ``parent_id``) with its notifications.

    Raises ``Forbidden`` for a banned user, ``NotFound`` for no such paper or parent,
    ``CommentRejected`` for an empty or too long comment or too many links from a new
    account, ``RateLimited`` past the hourly limit.
    """
    if store.is_banned(user.id):
        raise Forbidden("This account is banned from the discussion.")
    if store.get_paper(paper_id) is None:
        raise NotFound(f"there is no paper {paper_id[:64]!r} here")
    text = _checked_body(body)
    _check_rate(store, limits, user, now)
    _check_links(limits, user, text, now)
    parent = None
    if parent_id is not None:
        parent = store.comment(parent_id)
        if parent is None or parent.paper_id != paper_id:
            raise NotFound(f"there is no comment {parent_id} on {paper_id} to reply to")
        if parent.deleted or parent.hidden:
            raise CommentRejected("That comment was deleted or hidden: it takes no replies.")
    notify = _recipients(store, user, paper_id, text, parent)
    return store.add_comment(paper_id, user.id, text, parent_id, now, notify)


def edit_comment(store: PaperStore, user: User, comment_id: int, body: str, now: float) -> Comment:
    """Give the user's own comment a new text (kept as a revision; marked edited).

    Raises ``NotFound``, ``Forbidden`` (another's comment, a hidden one, a banned user),
    ``CommentRejected`` (empty or too long).
    """
    found = _own(store, user, comment_id, "edit")
    if found.hidden:
        raise Forbidden("A moderator hid this comment: it can no longer be edited.")
    text = _checked_body(body)
    return store.edit_comment(comment_id, text, now, _new_mentions(store, user, found, text))


def delete_comment(store: PaperStore, user: User, comment_id: int, now: float) -> Comment:
    """Delete the user's own comment, leaving a tombstone. Raises ``NotFound``, ``Forbidden``."""
    _own(store, user, comment_id, "delete")
    return store.delete_comment(comment_id, now)


def report_comment(store: PaperStore, user: User, comment_id: int, reason: str, now: float) -> bool:
    """Report a comment's current revision to the moderators; False if already reported.

    Raises ``NotFound``, ``CommentRejected`` (a reason over 500 characters), ``Forbidden``
    (a banned user)."""
    if store.is_banned(user.id):
        raise Forbidden("This account is banned from the discussion.")
    reason = " ".join(reason.split())
    if "\x00" in reason or not _encodable(reason):
        raise CommentRejected("A reason cannot hold NUL characters or lone surrogates.")
    if len(reason) > MAX_REPORT_CHARS:
        raise CommentRejected(f"Say why in at most {MAX_REPORT_CHARS} characters.")
    return store.report_comment(comment_id, user.id, reason, now)


def set_hidden(
    store: PaperStore, moderator: User, comment_id: int, hidden: bool, now: float
) -> Comment:
    """Hide or unhide a comment (moderators only). Raises ``Forbidden``, ``NotFound``."""
    _require_moderator(store, moderator)
    return store.set_hidden(comment_id, hidden, moderator.id, now)


def dismiss_reports(store: PaperStore, moderator: User, comment_id: int, now: float) -> int:
    _require_moderator(store, moderator)
    return store.dismiss_reports(comment_id, moderator.id, now)


def ban_user(store: PaperStore, moderator: User, username: str, reason: str, now: float) -> int:
    """Ban a user by name: sessions ended, comments hidden. Returns the comments hidden.

    Raises ``Forbidden`` (not a moderator; or the target moderates too: an admin
    removes a moderator's role first), ``NotFound``."""
    _require_moderator(store, moderator)
    target = _user(store, username)
    if store.user_roles(target.id) & MODERATING_ROLES:
        raise Forbidden(f"{target.username} is a moderator: take the role away first.")
    return store.ban_user(target.id, moderator.id, " ".join(reason.split())[:500], now)


def unban_user(store: PaperStore, moderator: User, username: str, now: float) -> bool:
    _require_moderator(store, moderator)
    return store.unban_user(_user(store, username).id, moderator.id, now)


def _user(store: PaperStore, username: str) -> User:
    found = store.user_by_name(username.strip())
    if found is None:
        raise NotFound(f"there is no user {username[:40]!r}")
    return found[0]


def _require_moderator(store: PaperStore, user: User) -> None:
    if not is_moderator(store, user):
        raise Forbidden("Only moderators can do this.")


def _own(store: PaperStore, user: User, comment_id: int, action: str) -> Comment:
    found = store.comment(comment_id)
    if found is None or found.deleted:
        raise NotFound(f"there is no comment {comment_id} to {action}")
    if found.user_id != user.id:
        raise Forbidden(f"Only its author can {action} a comment.")
    if store.is_banned(user.id):
        raise Forbidden("This account is banned from the discussion.")
    return found


def _checked_body(body: str) -> str:
    # Counted as sent (a browser sends a new line as CR LF and counts it once), before
    # white space is trimmed: the limit is on what the writer gave.
    sent = body.replace("\r\n", "\n")
    if len(sent) > MAX_COMMENT_CHARS:
        raise CommentRejected(
            f"A comment holds at most {MAX_COMMENT_CHARS:,} characters; this one has {len(sent):,}."
        )
    text = sent.strip()
    if "\x00" in text or not _encodable(text):
        raise CommentRejected("A comment cannot hold NUL characters or lone surrogates.")
    if not text:
        raise CommentRejected("Write something first: the comment is empty.")
    return text


def _encodable(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _check_rate(store: PaperStore, limits: DiscussionLimits, user: User, now: float) -> None:
    if limits.comments_per_hour <= 0:
        return
    count, oldest = store.comments_since(user.id, now - _HOUR)
    if count >= limits.comments_per_hour and oldest is not None:
        wait = max(1, math.ceil(oldest + _HOUR - now))
        minutes = max(1, math.ceil(wait / 60))
        raise RateLimited(
            f"You can post {limits.comments_per_hour} comments an hour. "
            f"Try again in {minutes} minute{'s' if minutes > 1 else ''}.",
            wait,
        )


def _check_links(limits: DiscussionLimits, user: User, text: str, now: float) -> None:
    if limits.new_account_hours <= 0:
        return
    age = now - datetime.fromisoformat(user.created_at).timestamp()
    if age < limits.new_account_hours * 3600 and link_count(text) > limits.new_account_links:
        raise CommentRejected(
            f"Accounts younger than {limits.new_account_hours} hours can put at most "
            f"{limits.new_account_links} links in a comment."
        )


def _new_mentions(
    store: PaperStore, author: User, before: Comment, text: str
) -> list[tuple[int, str]]:
    """(user id, "mention") for the users an edit @mentions that the old text did not."""
    old = {name.lower() for name in mentioned_names(before.body)}
    added = [name for name in mentioned_names(text) if name.lower() not in old]
    ids = store.user_ids_by_names(added).values() if added else []
    return [(uid, "mention") for uid in ids if uid != author.id]


def _recipients(
    store: PaperStore, author: User, paper_id: str, text: str, parent: Comment | None
) -> list[tuple[int, str]]:
    """(user id, kind) for everyone to tell, strongest reason first, the author left out."""
    found: dict[int, str] = {}
    if parent is not None:
        found[parent.user_id] = "reply"
    by_name = {k.lower(): v for k, v in store.user_ids_by_names(mentioned_names(text)).items()}
    for name in mentioned_names(text):
        if (uid := by_name.get(name.lower())) is not None:
            found.setdefault(uid, "mention")
    for uid in store.watchers(paper_id):
        found.setdefault(uid, "watch")
    found.pop(author.id, None)
    return list(found.items())
