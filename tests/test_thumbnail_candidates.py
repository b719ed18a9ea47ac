"""Which papers get a thumbnail beyond the feeds' tops: the pages logged-in readers
opened (noted once, never for visitors) and the recent papers of the authors and
organisations readers follow; on both stores."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import psycopg
import pytest
from fastapi.testclient import TestClient

from paperwire.application import thumbnails
from paperwire.application.thumbnails import wanted_papers
from paperwire.store import PaperStore, StoreLocation
from paperwire.store.thumbnails import ThumbnailAttempt
from web_helpers import NOW, fill_store, log_in, make_app, register

TODAY = NOW.date()


@pytest.fixture
def client(store: PaperStore) -> Iterator[TestClient]:
    fill_store(store)  # type: ignore[arg-type]
    with TestClient(make_app(store, None)) as test_client:  # type: ignore[arg-type]
        yield test_client


def _everyone_opened(store: PaperStore) -> set[str]:
    return set(store.papers_readers_chose(1000))


def test_a_logged_in_reader_opening_a_page_is_noted_once(
    client: TestClient, store: PaperStore
) -> None:
    first, second = sorted(p.id for p in store.iter_papers() if p.is_arxiv)[:2]
    # Visitors who are not logged in leave nothing behind, nor does a missing paper.
    assert client.get(f"/papers/{first}").status_code == 200
    assert _everyone_opened(store) == set()
    assert register(client, "ada").status_code == 303
    assert log_in(client, "ada").status_code == 303
    found = store.user_by_name("ada")
    assert found is not None
    user = found[0]
    assert client.get("/papers/2611.99999").status_code == 404
    for paper_id in (first, second, first):
        assert client.get(f"/papers/{paper_id}").status_code == 200
    assert sorted(store.opened_papers(user.id)) == sorted([first, second])
    assert _everyone_opened(store) == {first, second}
    # Noting the same pair again changes nothing.
    assert store.record_opened(user.id, first, NOW.timestamp()) is False


def _hold_writers(location: StoreLocation) -> tuple[object, object]:
    """Another connection that keeps every writer of ``opened_papers`` waiting; returns
    it with its release function."""
    if isinstance(location, Path):
        conn = sqlite3.connect(location, isolation_level=None)
        conn.execute("BEGIN IMMEDIATE")
        return conn, lambda: (conn.execute("ROLLBACK"), conn.close())
    pg = psycopg.connect(str(location))
    pg.execute("LOCK TABLE opened_papers IN EXCLUSIVE MODE")  # reads still pass
    return pg, lambda: (pg.rollback(), pg.close())


def _runs_while_writers_wait(store: PaperStore, location: StoreLocation, pair: tuple) -> bool:
    """Whether ``record_opened(*pair)`` finishes while another connection holds writers."""
    _, release = _hold_writers(location)
    done = threading.Event()
    thread = threading.Thread(target=lambda: (store.record_opened(*pair), done.set()))
    thread.start()
    finished = done.wait(1.5)
    release()  # type: ignore[operator]
    thread.join(30)
    assert not thread.is_alive()
    return finished


def test_a_repeat_opening_is_read_not_written(
    store: PaperStore, store_location: StoreLocation
) -> None:
    fill_store(store)  # type: ignore[arg-type]
    user = store.create_user("ada", "$argon2id$unused")
    paper_id = next(p.id for p in store.iter_papers())
    assert store.record_opened(user.id, paper_id, 10.0) is True
    assert store.record_opened(user.id, paper_id, 20.0) is False
    # A repeat never waits for the writer lock, where a first opening must.
    assert _runs_while_writers_wait(store, store_location, (user.id, paper_id, 30.0))
    other = next(p.id for p in store.iter_papers() if p.id != paper_id)
    assert not _runs_while_writers_wait(store, store_location, (user.id, other, 40.0))
    assert store.opened_papers(user.id) == [other, paper_id]  # the latest first


def test_papers_readers_chose_come_latest_first_until_fetched(store: PaperStore) -> None:
    fill_store(store)  # type: ignore[arg-type]
    ada = store.create_user("ada", "$argon2id$unused")
    a, b, c = sorted(p.id for p in store.iter_papers())[:3]
    store.set_vote(ada.id, a, True, 5.0)
    store.record_opened(ada.id, b, 9.0)
    store.save_paper(ada.id, c)  # saved now: the latest
    assert store.papers_readers_chose(10) == [c, b, a]
    assert store.papers_readers_chose(1) == [c]
    store.record_thumbnail_attempt(ThumbnailAttempt(c, "2026-11-25T00:00:00", problem="404"))
    # One already fetched leaves the list, so the limit reaches the next.
    assert store.papers_readers_chose(1) == [b]


def test_opened_papers_are_wanted_long_after_their_feed(store: PaperStore) -> None:
    fill_store(store)  # type: ignore[arg-type]
    later = TODAY + timedelta(days=21)
    assert wanted_papers(store, later) == []
    ada = store.create_user("ada", "$argon2id$unused")
    opened = sorted(p.id for p in store.iter_papers() if p.is_arxiv)[0]
    store.record_opened(ada.id, opened, NOW.timestamp())
    assert [p.id for p in wanted_papers(store, later)] == [opened]


def test_recent_papers_of_followed_authors_and_organisations_are_wanted(
    store: PaperStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    fill_store(store)  # type: ignore[arg-type]
    monkeypatch.setattr(thumbnails, "FEED_TOP", 0)  # only what readers follow
    assert wanted_papers(store, TODAY) == []
    first = TODAY - timedelta(days=thumbnails.DAYS - 1)
    recent = [p for p in store.iter_papers() if p.is_arxiv and p.listed_on and first <= p.listed_on]
    old = [p for p in store.iter_papers() if p.is_arxiv and p.listed_on and p.listed_on < first]
    assert recent and old
    ada = store.create_user("ada", "$argon2id$unused")
    bob = store.create_user("bob", "$argon2id$unused")
    author_paper = next(p for p in recent if not p.organization)
    org_paper = next(p for p in recent if p.organization and "<" not in p.organization)
    author = author_paper.authors[-1].name
    store.follow(ada.id, "author", author.upper())  # matched without case
    store.follow(bob.id, "author", author)
    store.follow(bob.id, "author", old[0].authors[0].name)  # too old to be wanted
    store.follow(ada.id, "keyword", org_paper.title.split()[0])  # not a reason
    by_author = {p.id for p in recent if any(a.name == author for a in p.authors)}
    assert {p.id for p in wanted_papers(store, TODAY)} == by_author
    organisation = org_paper.organization
    store.follow(bob.id, "organization", organisation or "")
    by_organisation = {p.id for p in recent if p.organization == organisation}
    wanted = {p.id for p in wanted_papers(store, TODAY)}
    assert wanted == by_author | by_organisation and org_paper.id in wanted - by_author
    followed = store.followed_by_readers(("author", "organization"), 10)
    assert followed[0].value.casefold() == author.casefold()  # two readers follow it
    assert len(followed) == 3 and all(f.kind != "keyword" for f in followed)
