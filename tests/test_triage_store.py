"""The reader's marks on papers (upvoted, saved, dismissed, seen) as the cards read them:
right per user, undone by each undo, and read in one statement per page of ids."""

from __future__ import annotations

from pathlib import Path

from paperwire.store import SQLiteStore
from paperwire.store.base import PaperStore
from paperwire.store.personal_records import PaperMarks
from test_web_store_queries import plans
from web_helpers import fill_store

IDS = ["2611.00001", "2611.00003", "2611.00004", "2611.00005", "2611.00007"]


def test_marks_are_each_readers_own(store: PaperStore) -> None:
    fill_store(store)  # type: ignore[arg-type]
    ann, bob = store.create_user("ann", "h").id, store.create_user("bob", "h").id
    store.set_vote(ann, "2611.00001", True, 1.0)
    store.save_paper(ann, "2611.00001")
    store.save_paper(ann, "2611.00003")
    store.set_not_interested(ann, "2611.00004")
    store.mark_seen(ann, ["2611.00005", "2611.00004"])
    store.save_paper(bob, "2611.00007")

    assert store.paper_marks(ann, IDS) == {
        "2611.00001": PaperMarks(voted=True, saved=True),
        "2611.00003": PaperMarks(saved=True),
        "2611.00004": PaperMarks(dismissed=True, seen=True),
        "2611.00005": PaperMarks(seen=True),
    }
    assert store.paper_marks(bob, IDS) == {"2611.00007": PaperMarks(saved=True)}
    assert store.paper_marks(bob, []) == {}
    assert store.paper_marks(store.create_user("cyd", "h").id, IDS) == {}


def test_each_undo_takes_its_mark_back(store: PaperStore) -> None:
    fill_store(store)  # type: ignore[arg-type]
    ann = store.create_user("ann", "h").id
    store.save_paper(ann, "2611.00001")
    store.set_not_interested(ann, "2611.00003")
    store.mark_seen(ann, ["2611.00004"])
    store.unsave_paper(ann, "2611.00001")
    store.set_not_interested(ann, "2611.00003", dismissed=False)
    store.unmark_seen(ann, "2611.00004")
    assert store.paper_marks(ann, IDS) == {}
    assert store.user_signals(ann).hidden == set()
    # Saving a dismissed paper takes the dismissal back: one mark, never both.
    store.set_not_interested(ann, "2611.00005")
    store.save_paper(ann, "2611.00005")
    assert store.paper_marks(ann, ["2611.00005"]) == {"2611.00005": PaperMarks(saved=True)}


def test_many_ids_in_few_statements_each_by_its_key(tmp_path: Path) -> None:
    store = fill_store(SQLiteStore(tmp_path / "marks.db"))
    ann = store.create_user("ann", "h").id
    store.save_paper(ann, "2611.00004")
    wanted = [f"2611.{n:05d}" for n in range(1, 251)]  # 250 ids: three chunks
    conn = store._reader()
    statements: list[str] = []
    conn.set_trace_callback(statements.append)
    try:
        found = store.paper_marks(ann, wanted)
    finally:
        conn.set_trace_callback(None)
    assert found == {"2611.00004": PaperMarks(saved=True)}
    assert len(statements) == 3, statements
    # Each of the four tables searched by its (user_id, paper_id) key, none scanned.
    steps = plans(store, lambda: store.paper_marks(ann, wanted[:100]))
    searched = [step for step in steps if step.startswith(("SEARCH", "SCAN"))]
    assert len(searched) == 4, steps
    assert all(s.startswith("SEARCH") and "(user_id=? AND paper_id=?)" in s for s in searched)
