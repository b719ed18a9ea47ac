"""Discussion on both stores: replies, revisions, tombstones, moderation, notifications."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from paperwire.application import discussion
from paperwire.application.discussion import (
    CommentRejected,
    DiscussionLimits,
    Forbidden,
    RateLimited,
)
from paperwire.model import Author, Paper
from paperwire.store.base import PaperStore
from paperwire.store.discussion_records import NotFound
from paperwire.store.records import User

NOW = datetime(2026, 3, 2, 12, tzinfo=UTC).timestamp()
LIMITS = DiscussionLimits()


def _user(store: PaperStore, name: str, age_days: float = 30) -> User:
    made = store.create_user(name, "hash")
    created = datetime.fromtimestamp(NOW, UTC) - timedelta(days=age_days)
    # An account's age decides its link limit: give it a known one.
    return User(made.id, made.username, created.isoformat(timespec="seconds"))


@pytest.fixture
def paper_id(store: PaperStore) -> str:
    store.upsert_papers([Paper(id="2401.00001", title="T", authors=[Author("A")])])
    return "2401.00001"


def test_replies_keep_their_thread_and_pages_follow_the_sort(
    store: PaperStore, paper_id: str
) -> None:
    a, b = _user(store, "alice"), _user(store, "bob")
    first = discussion.post_comment(store, LIMITS, a, paper_id, "first", NOW)
    second = discussion.post_comment(store, LIMITS, b, paper_id, "second", NOW + 1)
    reply = discussion.post_comment(store, LIMITS, b, paper_id, "re", NOW + 2, first.id)
    assert (reply.root_id, reply.parent_username) == (first.id, "alice")
    oldest = store.comments_page(paper_id, "oldest")
    assert [c.id for c in oldest.comments] == [first.id, reply.id, second.id]
    newest = store.comments_page(paper_id, "newest")
    assert [c.id for c in newest.comments] == [second.id, first.id, reply.id]
    assert store.comment_position(reply.id, "oldest") == 1
    assert store.comment_position(first.id, "newest") == 1
    page = store.comments_page(paper_id, "oldest", limit=1, offset=2)
    assert [c.id for c in page.comments] == [second.id] and page.total == 3


def test_edit_keeps_revisions_and_delete_leaves_a_tombstone(
    store: PaperStore, paper_id: str
) -> None:
    a, b = _user(store, "alice"), _user(store, "bob")
    made = discussion.post_comment(store, LIMITS, a, paper_id, "v1", NOW)
    with pytest.raises(Forbidden):
        discussion.edit_comment(store, b, made.id, "mine now", NOW + 1)
    with pytest.raises(Forbidden):
        discussion.delete_comment(store, b, made.id, NOW + 1)
    edited = discussion.edit_comment(store, a, made.id, "v2", NOW + 5)
    assert (edited.body, edited.revision, edited.edited_at) == ("v2", 2, NOW + 5)
    assert [r.body for r in store.comment_revisions(made.id)] == ["v1", "v2"]
    gone = discussion.delete_comment(store, a, made.id, NOW + 9)
    assert gone.deleted and gone.body == ""
    assert store.comments_page(paper_id).total == 1
    assert store.comment_counts([paper_id]) == {}
    with pytest.raises(NotFound):
        discussion.edit_comment(store, a, made.id, "back", NOW + 10)


def test_a_report_keeps_the_revision_reported(store: PaperStore, paper_id: str) -> None:
    a, b, mod = _user(store, "alice"), _user(store, "bob"), _user(store, "mod")
    made = discussion.post_comment(store, LIMITS, a, paper_id, "rude words", NOW)
    assert discussion.report_comment(store, b, made.id, "rude", NOW + 1)
    assert not discussion.report_comment(store, b, made.id, "again", NOW + 2)
    discussion.edit_comment(store, a, made.id, "nice words", NOW + 3)
    (report,) = store.open_reports()
    assert report.reported_body == "rude words" and report.comment.body == "nice words"
    assert report.edited_since
    with pytest.raises(Forbidden):
        discussion.set_hidden(store, b, made.id, True, NOW + 4)
    assert store.grant_role(mod.id, "moderator", NOW)
    hidden = discussion.set_hidden(store, mod, made.id, True, NOW + 4)
    assert hidden.hidden and store.open_reports() == []
    assert [(e.action, e.moderator) for e in store.audit_log()] == [("hide", "mod")]


def test_a_ban_ends_sessions_and_hides_every_comment(store: PaperStore, paper_id: str) -> None:
    a, b, mod = _user(store, "alice"), _user(store, "bob"), _user(store, "mod")
    store.grant_role(mod.id, "moderator", NOW)
    for n in range(3):
        discussion.post_comment(store, LIMITS, b, paper_id, f"spam {n}", NOW + n)
    discussion.post_comment(store, LIMITS, a, paper_id, "fine", NOW + 5)
    store.create_session("tok", b.id, "csrf", NOW, NOW + 1000)
    assert store.session_user("tok", NOW + 1) is not None
    with pytest.raises(Forbidden):
        discussion.ban_user(store, a, "bob", "spam", NOW + 6)
    assert discussion.ban_user(store, mod, "bob", "spam", NOW + 6) == 3
    assert store.session_user("tok", NOW + 7) is None
    assert store.comment_counts([paper_id]) == {paper_id: 1}
    with pytest.raises(Forbidden):
        discussion.post_comment(store, LIMITS, b, paper_id, "again", NOW + 8)
    assert [e.action for e in store.audit_log()] == ["ban"]
    assert discussion.unban_user(store, mod, "bob", NOW + 9)
    assert [e.action for e in store.audit_log()] == ["unban", "ban"]


def test_rate_limits_and_new_account_links(store: PaperStore, paper_id: str) -> None:
    old, young = _user(store, "oldie"), _user(store, "newbie", age_days=0.5)
    limits = DiscussionLimits(comments_per_hour=3)
    for n in range(3):
        discussion.post_comment(store, limits, old, paper_id, f"c{n}", NOW + n)
    with pytest.raises(RateLimited):
        discussion.post_comment(store, limits, old, paper_id, "one more", NOW + 10)
    discussion.post_comment(store, limits, old, paper_id, "an hour on", NOW + 3601)
    links = "see https://a.example and www.b.example and <http://c.example>"
    with pytest.raises(CommentRejected, match="at most 2 links"):
        discussion.post_comment(store, limits, young, paper_id, links, NOW)
    discussion.post_comment(store, limits, young, paper_id, "https://a.example only", NOW)
    discussion.post_comment(store, limits, old, paper_id, links, NOW + 3602)


def test_comment_text_rules(store: PaperStore, paper_id: str) -> None:
    a = _user(store, "alice")
    with pytest.raises(CommentRejected, match="empty"):
        discussion.post_comment(store, LIMITS, a, paper_id, "  \n ", NOW)
    with pytest.raises(CommentRejected, match="10,000"):
        discussion.post_comment(store, LIMITS, a, paper_id, "x" * 10_001, NOW)
    discussion.post_comment(store, LIMITS, a, paper_id, "x" * 10_000, NOW)
    with pytest.raises(CommentRejected, match="NUL"):
        discussion.post_comment(store, LIMITS, a, paper_id, "a\x00b", NOW)
    with pytest.raises(CommentRejected, match="surrogates"):
        discussion.post_comment(store, LIMITS, a, paper_id, "a\ud800b", NOW)
    with pytest.raises(NotFound):
        discussion.post_comment(store, LIMITS, a, "2401.99999", "hello", NOW)
    with pytest.raises(NotFound):
        discussion.post_comment(store, LIMITS, a, paper_id, "hello", NOW, parent_id=999)


def test_notifications_once_per_user_strongest_reason_first(
    store: PaperStore, paper_id: str
) -> None:
    a, b, w = _user(store, "alice"), _user(store, "bob"), _user(store, "watcher")
    store.set_watch(w.id, paper_id, True, NOW)
    store.set_watch(a.id, paper_id, True, NOW)
    first = discussion.post_comment(store, LIMITS, a, paper_id, "hi @watcher", NOW)
    assert [n.kind for n in store.notifications(w.id)] == ["mention"]
    assert store.notifications(a.id) == []  # never told of one's own comment
    discussion.post_comment(store, LIMITS, b, paper_id, "@Alice. thanks", NOW + 1, first.id)
    assert [n.kind for n in store.notifications(a.id)] == ["reply"]
    assert [n.kind for n in store.notifications(w.id)] == ["watch", "mention"]
    assert store.unread_notifications(w.id) == 2
    assert store.mark_notifications_read(w.id, NOW + 2) == 2
    assert store.unread_notifications(w.id) == 0


def test_mentions_and_links_are_read_by_the_registration_rule() -> None:
    assert discussion.mentioned_names("@bob, a@mail.example and (@carol_x.) @ab") == [
        "bob",
        "carol_x",
    ]
    assert discussion.link_count("[x](https://a.example) www.b.example mailto:c@d") == 3
    assert discussion.link_count("no links at all: a.b") == 0


def test_users_grant_gives_a_role_from_the_command_line(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from click.testing import CliRunner

    from paperwire.cli.main import cli
    from paperwire.store import SQLiteStore

    db = tmp_path / "s.db"
    store = SQLiteStore(db)
    user = store.create_user("alice", "hash")
    store.close()
    runner = CliRunner()
    done = runner.invoke(cli, ["users", "grant", "moderator", "ALICE", "--db", str(db)])
    assert done.exit_code == 0, done.output
    assert "alice is now moderator" in done.output
    missing = runner.invoke(cli, ["users", "grant", "admin", "nobody", "--db", str(db)])
    assert missing.exit_code != 0 and "no user 'nobody'" in missing.output
    store = SQLiteStore(db)
    assert store.user_roles(user.id) == {"moderator"}
    store.close()
    taken = runner.invoke(cli, ["users", "revoke", "moderator", "alice", "--db", str(db)])
    assert taken.exit_code == 0 and "alice is no longer moderator" in taken.output
    again = runner.invoke(cli, ["users", "revoke", "moderator", "alice", "--db", str(db)])
    assert again.exit_code == 0 and "alice was not moderator" in again.output
    store = SQLiteStore(db)
    assert store.user_roles(user.id) == set()
    store.close()


def test_limits_come_from_the_environment() -> None:
    limits = discussion.load_discussion_limits(
        {"PAPERWIRE_COMMENTS_PER_HOUR": "3", "PAPERWIRE_NEW_ACCOUNT_LINKS": "0"}
    )
    assert (limits.comments_per_hour, limits.new_account_links) == (3, 0)
    assert limits.new_account_hours == 24  # the default
    with pytest.raises(ValueError, match="PAPERWIRE_COMMENTS_PER_HOUR"):
        discussion.load_discussion_limits({"PAPERWIRE_COMMENTS_PER_HOUR": "ten"})
