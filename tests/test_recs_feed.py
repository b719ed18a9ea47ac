"""The "for you" feed on a real store: learns from saves and votes, explains, hides, cold-starts."""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np

from paperwire.model import Author, Paper
from paperwire.rank.recommend import recommend_for_user
from paperwire.store import SQLiteStore, StoredEmbedding
from paperwire.store.mail_records import NewMessage

DAY = date(2026, 6, 30)
GRAPHS = ["graph neural networks", "message passing on graphs", "node classification"]
SPEECH = ["speech recognition", "acoustic models for audio", "spoken language"]


def _paper(n: int, topic: list[str], day: date, author: str = "Someone Else") -> Paper:
    words = " ".join(topic[(n + i) % len(topic)] for i in range(3))
    return Paper(
        id=f"2606.{n:05d}",
        title=f"{topic[n % len(topic)].title()} study {n}",
        abstract=f"We study {words}. Results on {topic[0]} improve with {topic[1]}.",
        authors=[Author(author)],
        listed_on=day,
    )


def _fill(store: SQLiteStore) -> tuple[list[Paper], list[Paper]]:
    old = DAY - timedelta(days=40)
    kept = [_paper(n, GRAPHS, old) for n in range(1, 6)]
    recent = [
        _paper(100 + n, GRAPHS if n % 2 else SPEECH, DAY - timedelta(days=n % 5)) for n in range(40)
    ]
    recent.append(_paper(900, SPEECH, DAY, author="Ada Lovelace"))
    store.upsert_papers([*kept, *recent])
    return kept, recent


def _user(store: SQLiteStore, name: str = "reader") -> int:
    return store.create_user(name, "hash").id


def test_saved_papers_pull_their_topic_up_and_say_why(store: SQLiteStore) -> None:
    kept, recent = _fill(store)
    user = _user(store)
    for paper in kept[:3]:
        store.save_paper(user, paper.id)
    store.set_vote(user, kept[3].id, True, 0.0)
    found = recommend_for_user(store, user, today=DAY, limit=10)
    assert not found.cold_start and found.first_day == DAY - timedelta(days=6)
    top = [r.paper for r in found.items]
    graph_ids = {p.id for p in recent if "graph" in p.abstract.split(".")[0]}
    assert sum(p.id in graph_ids for p in top) >= 9
    titles = {p.title for p in kept}
    for item in found.items:
        quoted = item.why.split("“")[1].rstrip("”")
        assert item.why.startswith(("because you saved", "because you upvoted"))
        assert quoted in titles


def test_hidden_papers_never_come_back(store: SQLiteStore) -> None:
    kept, _recent = _fill(store)
    user = _user(store)
    store.save_paper(user, kept[0].id)
    first = [r.paper.id for r in recommend_for_user(store, user, today=DAY, limit=5).items]
    store.mark_seen(user, first[:2])
    store.set_not_interested(user, first[2])
    again = {r.paper.id for r in recommend_for_user(store, user, today=DAY, limit=50).items}
    assert again.isdisjoint(first[:3]) and kept[0].id not in again
    subscriber, _ = store.add_subscriber("r@example.org", "daily", user)
    from_outbox = _emailed(store, subscriber.id, first[3])
    assert from_outbox == 1
    final = {r.paper.id for r in recommend_for_user(store, user, today=DAY, limit=50).items}
    assert first[3] not in final


def _emailed(store: SQLiteStore, subscriber_id: int, paper_id: str) -> int:
    return store.enqueue_messages(
        [NewMessage("k1", subscriber_id, "digest", "r@example.org", "<m@x>", b"x", [paper_id])]
    )


def test_cold_start_follows_decide(store: SQLiteStore) -> None:
    _, _recent = _fill(store)
    user = _user(store)
    assert recommend_for_user(store, user, today=DAY).items == []
    store.follow(user, "author", "ada  LOVELACE")
    store.follow(user, "keyword", "acoustic models")
    found = recommend_for_user(store, user, today=DAY, limit=50)
    assert found.cold_start
    assert found.items[0].paper.id == "2606.00900"  # matches both follows
    assert "Ada Lovelace" in found.items[0].why or "ada LOVELACE" in found.items[0].why
    assert all("graph" not in r.paper.abstract.split(".")[0] for r in found.items)


def test_stored_embeddings_are_used_when_there(store: SQLiteStore) -> None:
    kept, recent = _fill(store)
    user = _user(store)
    store.save_paper(user, kept[0].id)
    # Vectors that say the opposite of the words: speech papers sit next to the saved one.
    vectors = []
    for paper in [*kept, *recent]:
        speech = paper.id in {p.id for p in recent if "speech" in p.abstract.split(".")[0]}
        axis = np.array([1.0, 0.0] if speech or paper.id == kept[0].id else [0.0, 1.0])
        vectors.append(StoredEmbedding(paper.id, "minilm-int8", "h", 0, axis.astype(np.float32)))
    store.put_embeddings(vectors)
    found = recommend_for_user(store, user, today=DAY, limit=5)
    assert any("speech" in r.paper.abstract.split(".")[0] for r in found.items)
