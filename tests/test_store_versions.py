"""The change counters cached pages key on: each write bumps its own, one query reads all."""

from __future__ import annotations

from datetime import date

from paperwire.store import PaperStore
from paperwire.store.code_records import CodeRepoState
from paperwire.store.thumbnails import StoredThumbnail, ThumbnailAttempt
from search_helpers import make_paper

CURSOR = "understanding seq"


def test_each_write_bumps_its_own_counter_and_no_other(store: PaperStore) -> None:
    store.upsert_papers([make_paper("2401.00001", "A paper", "x")])
    start = store.content_versions(CURSOR)
    assert (start.votes, start.code_activity, start.thumbnails, start.discussion) == (0, 0, 0, 0)
    assert start.papers > 0 and start.sync_state is None

    user = store.create_user("ada", "$argon2id$unused")
    store.set_vote(user.id, "2401.00001", True, 1.0)
    voted = store.content_versions(CURSOR)
    assert (voted.votes, voted.code_activity, voted.thumbnails) == (1, 0, 0)

    check = CodeRepoState("ada/code", stars=3, checked_on=date(2026, 11, 30))
    store.record_code_check(check, ["2401.00001"])
    image = StoredThumbnail("2401.00001", b"RIFF", 320, 400, "d1")
    store.record_thumbnail_attempt(ThumbnailAttempt("2401.00001", "2026-11-30T00:00:00Z", image))
    store.add_comment("2401.00001", user.id, "Nice.", None, 2.0)
    store.set_sync_state(CURSOR, "41")
    store.upsert_papers([make_paper("2401.00002", "Another paper", "y")])

    after = store.content_versions(CURSOR)
    assert (after.votes, after.code_activity, after.thumbnails, after.discussion) == (1, 1, 1, 1)
    assert after.papers > start.papers and after.sync_state == "41"
    assert store.content_versions("another key").sync_state is None
