"""Keyphrases in the store: computed as papers arrive, topics, the kw: filter (both stores)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from paperwire.application.understanding import CURSOR_KEY, follow_changes, recompute_all
from paperwire.ingest import import_paths
from paperwire.ingest.formats.export import write_export
from paperwire.model import Paper
from paperwire.search.engine import SearchEngine
from paperwire.search.query import QueryError
from paperwire.store import PaperStore, SQLiteStore
from paperwire.store.keyphrase_records import StoredKeyphrase
from search_helpers import HashingEmbedder

SPECULATIVE = (
    "Speculative decoding speeds up large language models (LLMs). We study speculative "
    "decoding with draft models on long prompts."
)


def paper(n: int, title: str, abstract: str, day: date, **fields: object) -> Paper:
    return Paper(
        id=f"2501.{n:05d}",
        title=title,
        abstract=abstract,
        listed_on=day,
        **fields,  # type: ignore[arg-type]
    )


PAPERS = [
    paper(1, "Faster Speculative Decoding", SPECULATIVE, date(2025, 1, 6), keywords=["LLMs"]),
    paper(2, "Speculative Decoding for Code", SPECULATIVE, date(2025, 1, 13), upvotes=7),
    paper(
        3, "Protein Folding with Diffusion", "Diffusion models fold proteins.", date(2025, 1, 13)
    ),
]


def keys(store: PaperStore, paper_id: str, source: str = "paperwire") -> list[str]:
    return [k.key for k in store.keyphrases_of([paper_id])[paper_id] if k.source == source]


def test_follower_computes_each_changed_paper_once(store: PaperStore) -> None:
    store.upsert_papers(PAPERS)
    first = follow_changes(store)
    assert first.papers == 3
    assert store.get_sync_state(CURSOR_KEY) == str(store.max_seq())
    assert "speculative decoding" in keys(store, "2501.00001")
    assert "large language model" in keys(store, "2501.00001")  # LLMs merged
    theirs = store.keyphrases_of(["2501.00001"])["2501.00001"]
    assert [(k.phrase, k.key, k.source) for k in theirs if k.source == "huggingface"] == [
        ("LLMs", "large language model", "huggingface")
    ]
    ranks = [k.rank for k in theirs if k.source == "paperwire"]
    assert ranks == list(range(len(ranks)))
    assert follow_changes(store).papers == 0  # nothing changed since

    store.upsert_papers(
        [paper(3, "Protein Folding with Diffusion", "Graph kernels.", date(2025, 1, 13))]
    )
    again = follow_changes(store)
    assert again.papers == 1
    assert "graph kernel" in keys(store, "2501.00003")


def test_a_deleted_paper_loses_its_keyphrases(store: PaperStore) -> None:
    store.upsert_papers(PAPERS)
    follow_changes(store)
    store.mark_deleted([("2501.00002", date(2025, 2, 1))])
    done = follow_changes(store)
    assert done.removed == 1
    assert store.keyphrases_of(["2501.00002"]) == {}


def test_recompute_all_starts_over(store: PaperStore) -> None:
    store.upsert_papers(PAPERS)
    follow_changes(store)
    assert recompute_all(store).papers == 3


def test_topics_count_papers_per_key(store: PaperStore) -> None:
    store.upsert_papers(PAPERS)
    follow_changes(store)
    papers, total = store.papers_with_keyphrase("speculative decoding")
    assert total == 2
    assert [p.id for p in papers] == ["2501.00002", "2501.00001"]  # newest first
    assert store.keyphrase_days("speculative decoding") == [date(2025, 1, 6), date(2025, 1, 13)]
    assert store.keyphrase_label("speculative decoding") == "speculative decoding"
    assert store.keyphrase_label("no such topic") is None
    week = store.topic_counts(date(2025, 1, 13), date(2025, 1, 19), min_papers=1)
    by_key = {t.key: t for t in week}
    assert by_key["speculative decoding"].papers == 1
    assert by_key["speculative decoding"].upvotes == 7
    assert store.topic_counts(date(2025, 1, 13), date(2025, 1, 19), min_papers=5) == []
    only = store.topic_counts(date(2025, 1, 1), date(2025, 1, 31), keys=["speculative decoding"])
    assert [(t.key, t.papers) for t in only] == [("speculative decoding", 2)]


def test_topic_counts_count_each_paper_once_by_its_first_listing_day(
    store: PaperStore,
) -> None:
    week = [date(2025, 1, 13), date(2025, 1, 15)]
    store.upsert_papers(
        [
            # listed twice in the week: one paper
            paper(11, "Speculative Decoding Again", SPECULATIVE, week[0], listed_days=week),
            # first listed the week before, listed again this week: not this week's
            paper(
                12,
                "Speculative Decoding Revisited",
                SPECULATIVE,
                date(2025, 1, 6),
                listed_days=[date(2025, 1, 6), week[1]],
            ),
            paper(13, "Speculative Decoding Withdrawn", SPECULATIVE, week[1], upvotes=3),
        ]
    )
    follow_changes(store)
    store.mark_deleted([("2501.00013", date(2025, 1, 16))])
    (topic,) = store.topic_counts(week[0], date(2025, 1, 19), keys=["speculative decoding"])
    assert (topic.papers, topic.upvotes) == (1, 0)
    (before,) = store.topic_counts(
        date(2025, 1, 6), date(2025, 1, 12), keys=["speculative decoding"]
    )
    assert before.papers == 1


def test_topic_counts_read_the_range_by_listing_day(tmp_path: Path) -> None:
    """On SQLite the counts start from the listings key, not a scan of every keyphrase."""
    store = SQLiteStore(tmp_path / "plan.db")
    store.upsert_papers(PAPERS)
    follow_changes(store)
    captured: list[str] = []
    store._reader().set_trace_callback(captured.append)
    store.topic_counts(date(2025, 1, 13), date(2025, 1, 19))
    store._reader().set_trace_callback(None)
    (sql,) = [q for q in captured if "paper_keyphrases" in q]
    plan = " | ".join(str(row[3]) for row in store._reader().execute(f"EXPLAIN QUERY PLAN {sql}"))
    assert "SEARCH l USING PRIMARY KEY (day>? AND day<?)" in plan
    assert "SCAN k" not in plan and "SCAN p" not in plan
    store.close()


def test_bad_keyphrases_write_nothing(store: PaperStore) -> None:
    store.upsert_papers(PAPERS)
    good = StoredKeyphrase("graphs", "graph", 0, "paperwire")
    with pytest.raises(ValueError, match=r"2501\.00002: unknown keyphrase source 'them'"):
        store.replace_keyphrases(
            {"2501.00001": [good], "2501.00002": [StoredKeyphrase("x", "x", 0, "them")]}
        )
    assert store.keyphrases_of(["2501.00001", "2501.00002"]) == {}


def test_a_topic_can_be_followed(store: PaperStore) -> None:
    user = store.create_user("ada@example.org", "a long enough password")  # type: ignore[attr-defined]
    follow = store.follow(user.id, "topic", "speculative decoding")
    assert follow.kind == "topic"
    assert [(f.kind, f.value) for f in store.follows(user.id)] == [
        ("topic", "speculative decoding")
    ]


def test_kw_filter_finds_papers_by_any_spelling(store: PaperStore, tmp_path: Path) -> None:
    store.upsert_papers(PAPERS)
    follow_changes(store)
    engine = SearchEngine(store, tmp_path / "idx", HashingEmbedder())
    engine.update()
    found = engine.search('kw:"Speculative-Decoding"', mode="bm25")
    assert sorted(h.paper_id for h in found.hits) == ["2501.00001", "2501.00002"]
    by_acronym = engine.search("kw:LLM", mode="bm25").hits
    assert sorted(h.paper_id for h in by_acronym) == ["2501.00001", "2501.00002"]
    # The dense side honours the filter too: only the protein paper, though "code" is elsewhere.
    hybrid = engine.search('kw:"protein folding" code', mode="hybrid").hits
    assert [h.paper_id for h in hybrid] == ["2501.00003"]
    assert engine.search('kw:"no such topic"', mode="bm25").total == 0
    assert engine.search('kw:"no such topic"', mode="bm25").unknown_keyphrases == {
        "no such topic": []
    }
    # A key no paper carries offers the keys that start like it.
    partial = engine.search('kw:"protein fold"', mode="bm25")
    assert partial.total == 0
    assert partial.unknown_keyphrases == {"protein fold": ["protein folding"]}
    assert found.unknown_keyphrases == {}
    with pytest.raises(QueryError, match="kw:"):
        engine.search('kw:"--"')


def test_keys_starting_with_a_prefix_most_carried_first(store: PaperStore) -> None:
    store.replace_keyphrases(
        {
            f"2501.{n:05d}": [StoredKeyphrase(k, k, 1, "paperwire") for k in keys]
            for n, keys in enumerate(
                [["sparse attention"], ["sparse attention"], ["sparse autoencoder"], ["spar"]]
            )
        }
    )
    assert store.keyphrase_keys_starting("sparse") == ["sparse attention", "sparse autoencoder"]
    assert store.keyphrase_keys_starting("spar", limit=1) == ["sparse attention"]
    assert store.keyphrase_keys_starting("sparse x") == []
    assert store.keyphrase_keys_starting("") == []


def test_the_export_round_trip_keeps_every_keyphrase(store: PaperStore, tmp_path: Path) -> None:
    # Ours are derived from the text and computed again on import; Hugging Face's
    # travel in the record (its keywords). Both come back the same.
    store.upsert_papers(PAPERS)
    follow_changes(store)
    exported = tmp_path / "export.jsonl"
    with exported.open("w", encoding="utf-8") as out:
        write_export(store.iter_papers(), out)
    copy = SQLiteStore(tmp_path / "copy.db")
    try:
        import_paths(copy, [exported])
        follow_changes(copy)
        ids = [p.id for p in PAPERS]
        assert copy.keyphrases_of(ids) == store.keyphrases_of(ids)
    finally:
        copy.close()
