"""A reader's signals in the store: library and folders, "not interested", follows, seen."""

from __future__ import annotations

import pytest

from paperwire.store import SQLiteStore


def test_library_folders_belong_to_their_user(store: SQLiteStore) -> None:
    alice, bob = store.create_user("alice", "h").id, store.create_user("bob", "h").id
    folder = store.create_folder(alice, "  Reading   list ")
    assert folder.name == "Reading list"
    assert store.create_folder(alice, "reading LIST").id == folder.id  # same name, any case
    store.save_paper(alice, "2401.00001", folder.id)
    store.save_paper(alice, "2401.00002")
    with pytest.raises(ValueError, match="not one of this user's folders"):
        store.save_paper(bob, "2401.00003", folder.id)
    assert store.library(bob) == []  # the refused save wrote nothing
    assert [s.paper_id for s in store.library(alice, folder.id)] == ["2401.00001"]
    store.delete_folder(bob, folder.id)  # not bob's: nothing happens
    assert store.folders(alice) == [folder]
    store.delete_folder(alice, folder.id)
    assert {s.paper_id for s in store.library(alice)} == {"2401.00001", "2401.00002"}
    store.unsave_paper(alice, "2401.00001")
    assert [s.paper_id for s in store.library(alice)] == ["2401.00002"]


def test_saving_takes_back_not_interested(store: SQLiteStore) -> None:
    user = store.create_user("u", "h").id
    store.set_not_interested(user, "2401.00001")
    assert store.user_signals(user).not_interested == ["2401.00001"]
    store.save_paper(user, "2401.00001")
    signals = store.user_signals(user)
    assert signals.not_interested == [] and signals.positives == ["2401.00001"]


def test_follows_are_checked_and_unique(store: SQLiteStore) -> None:
    user = store.create_user("u", "h").id
    first = store.follow(user, "author", "Ada  Lovelace")
    assert store.follow(user, "author", "ada lovelace").id == first.id
    with pytest.raises(ValueError, match="cannot follow a 'planet'"):
        store.follow(user, "planet", "Mars")
    with pytest.raises(ValueError, match="1 to 200 characters"):
        store.follow(user, "keyword", "   ")
    store.unfollow(user, first.id)
    assert store.follows(user) == []


def test_signals_gather_votes_seen_and_hidden(store: SQLiteStore) -> None:
    user = store.create_user("u", "h").id
    store.set_vote(user, "2401.00005", True, 1.0)
    store.save_paper(user, "2401.00006")
    store.mark_seen(user, ["2401.00007", "2401.00007"])
    signals = store.user_signals(user)
    assert signals.positives == ["2401.00006", "2401.00005"]
    assert signals.hidden == {"2401.00005", "2401.00006", "2401.00007"}
