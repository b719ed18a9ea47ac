"""``paperwire migrate-store``: SQLite to PostgreSQL and back, every table, proven by checksums."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from paperwire.cli.main import cli
from paperwire.ingest import import_paths
from paperwire.store import PaperStore, SQLiteStore, open_store_at
from paperwire.store.base import HarvestCheckpoint, StoredEmbedding
from paperwire.store.code_records import Artifact, CodeRepoState
from paperwire.store.mail_records import NewMessage
from paperwire.store.summary_records import StoredSummary
from paperwire.store.thumbnails import StoredThumbnail, ThumbnailAttempt
from paperwire.store.transfer import TABLES, checksums
from web_helpers import fill_store


def fill_everything(store: PaperStore) -> None:
    """At least one row in every table, with the awkward values a copy must keep."""
    fill_store(store)
    ids = [paper.id for paper in store.iter_papers()][:3]
    vectors = np.random.default_rng(7).standard_normal((3, 8)).astype(np.float32)
    store.put_embeddings(
        StoredEmbedding(pid, "test-model", f"h{i}", i + 1, vectors[i]) for i, pid in enumerate(ids)
    )
    store.set_sync_state("hf.last_day", "2026-11-24")
    store.save_harvest_checkpoint(HarvestCheckpoint("oai:cs", "token|1", 2, 2000, False))
    ada = store.create_user("Ada", "$argon2id$hash-a")
    bob = store.create_user("bob", "$argon2id$hash-b")
    store.create_session("tokenhash", ada.id, "csrf", 1.5, 1e10)
    store.record_login_failure(["ip:127.0.0.1", "user:bob"], 1.25, 0.0)
    store.set_vote(ada.id, ids[0], True, 2.5)
    store.set_vote(bob.id, ids[0], True, 3.5)
    folder = store.create_folder(ada.id, "Reading — ünïcode")
    store.save_paper(ada.id, ids[1], folder.id)
    store.publish_folder(ada.id, folder.id, "Lecture — ünï", "Read <b>these</b>")
    store.set_folder_note(ada.id, folder.id, ids[1], "Start here: § 3")
    store.set_not_interested(bob.id, ids[2])
    store.follow(ada.id, "author", "Grace Hopper")
    store.mark_seen(ada.id, ids)
    store.record_opened(bob.id, ids[1], 4.75)
    subscriber, _ = store.add_subscriber("Ada@Example.org", "daily", ada.id)
    store.confirm_subscriber(subscriber.id)
    store.add_subscriber("pending@example.org", "weekly")
    message = b"Subject: digest\r\n\r\n\x00\xff binary-safe body"
    store.enqueue_messages(
        [
            NewMessage(
                "digest:1:2026-11-24",
                subscriber.id,
                "digest",
                "Ada@Example.org",
                "<m@x>",
                message,
                ids[:2],
            )
        ]
    )
    store.record_code_check(
        CodeRepoState("owner/repo", "owner/renamed", 1234, '"etag"', date(2026, 11, 24)), ids[:2]
    )
    store.replace_artifacts(
        ids[0], [Artifact("model", "org/model-ünï", 12, 3_000_000_000), Artifact("space", "o/s", 1)]
    )
    image = b"RIFF\x00\x00WEBP binary \xff\x00"
    store.record_thumbnail_attempt(
        ThumbnailAttempt(
            ids[0], "2026-11-24T10:00:00", StoredThumbnail(ids[0], image, 320, 414, "d1")
        )
    )
    store.record_thumbnail_attempt(ThumbnailAttempt(ids[1], "2026-11-24T10:00:03", None, "404"))
    store.put_summaries([StoredSummary(ids[0], "We propose a model — ünïcode.", 1, 1)])
    store.set_watch(ada.id, ids[0], True, 4.0)
    first = store.add_comment(ids[0], ada.id, "A **comment** — ünïcode", None, 5.25)
    reply = store.add_comment(ids[0], bob.id, "@Ada a reply", first.id, 6.5, [(ada.id, "reply")])
    store.edit_comment(first.id, "An edited comment", 7.0)
    store.report_comment(reply.id, ada.id, "rude", 7.5)
    store.grant_role(ada.id, "moderator", 8.0)
    store.set_notification_mail(ada.id, "watch", False)
    store.ban_user(bob.id, ada.id, "spam", 9.0)


def migrate(*args: str) -> dict:
    result = CliRunner().invoke(cli, ["migrate-store", *args, "--json", "-"])
    assert result.exit_code == 0, result.output
    return json.loads(result.output[result.output.index("{") :])


def test_sqlite_to_postgresql_and_back_is_identical(tmp_path: Path, postgres_url: str) -> None:
    original = SQLiteStore(tmp_path / "a.db")
    fill_everything(original)
    before = checksums(original)
    original.close()
    assert all(before[table].rows > 0 for table in TABLES), before

    there = migrate(str(tmp_path / "a.db"), postgres_url)
    back = migrate(postgres_url, str(tmp_path / "b.db"))
    assert there["identical"] and back["identical"]
    for table in TABLES:
        assert there["tables"][table]["checksum"] == before[table].checksum
        assert back["tables"][table]["copy_checksum"] == before[table].checksum

    copy = open_store_at(postgres_url)
    try:
        # The copy is a working store: the same answers, and new ids follow the copied ones.
        assert copy.user_by_name("ADA") is not None
        assert copy.create_user("carol", "h").id == 3
        assert copy.subscriber_by_email("ada@example.org").status == "active"
        assert copy.outbox_counts() == {"pending": 1}
        embedded = copy.get_embeddings([p.id for p in copy.iter_papers()][:3], "test-model")
        assert len(embedded) == 3 and all(e.vector.dtype == np.float32 for e in embedded.values())
        assert list(copy.get_summaries(embedded).values()) == ["We propose a model — ünïcode."]
    finally:
        copy.close()


def test_a_destination_with_data_is_refused_and_left_alone(
    tmp_path: Path, postgres_url: str
) -> None:
    source = SQLiteStore(tmp_path / "a.db")
    fill_store(source)
    source.close()
    target = open_store_at(postgres_url)
    target.create_user("already-here", "h")
    result = CliRunner().invoke(cli, ["migrate-store", str(tmp_path / "a.db"), postgres_url])
    assert result.exit_code == 1
    assert "already has rows in users" in result.output and "new, empty store" in result.output
    assert target.stats().papers == 0
    target.close()


def test_a_bad_location_reads_as_advice(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["migrate-store", "mysql://x/y", str(tmp_path / "b.db")])
    assert result.exit_code == 2
    assert "neither a SQLite file nor a postgresql:// URL" in result.output


@pytest.mark.slow
def test_the_shared_corpus_survives_a_round_trip(
    tmp_path: Path, postgres_url: str, shared_data: Path
) -> None:
    files = [
        *sorted((shared_data / "arxiv-cs").glob("*.jsonl.gz")),
        *sorted((shared_data / "hf-daily-papers").glob("*normalized*.jsonl*")),
    ]
    assert files, "no arxiv-cs / hf-daily-papers files in the shared data"
    original = SQLiteStore(tmp_path / "a.db")
    import_paths(original, files)
    papers = original.stats().papers
    before = checksums(original)
    original.close()
    assert papers > 70_000
    there = migrate(str(tmp_path / "a.db"), postgres_url)
    back = migrate(postgres_url, str(tmp_path / "b.db"))
    assert there["identical"] and back["identical"]
    assert back["tables"]["papers"]["copy_checksum"] == before["papers"].checksum
    assert back["tables"]["papers"]["copy_rows"] == papers
