"""``paperwire backup`` and ``restore``: a copy taken while the store is written to
restores, in a fresh home, to exactly what the store held at one moment."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import threading
from datetime import date
from pathlib import Path

import pytest
from hardening_helpers import paperwire, run_cli

from paperwire.model import Author, Paper
from paperwire.store import SQLiteStore, open_store_at
from paperwire.store.backup import inspect_store_file, table_rows
from paperwire.store.mail_records import NewMessage
from postgres_server import server_bin_dir

USERS = [f"reader{n}" for n in range(5)]
EMAILS = [f"reader{n}@example.org" for n in range(5)]


def _paper(n: int) -> Paper:
    return Paper(
        id=f"2606.{n:05d}",
        title=f"Paper number {n}",
        abstract="An abstract about backups.",
        authors=[Author("Ada Lovelace")],
        listed_on=date(2026, 6, 1 + n % 28),
        upvotes=n % 7,
    )


def _fill(store: SQLiteStore) -> None:
    store.upsert_papers(_paper(n) for n in range(300))
    for n, name in enumerate(USERS):
        user = store.create_user(name, f"hash-{n}")
        for paper in range(n, 40, 3):
            store.set_vote(user.id, f"2606.{paper:05d}", True, 1_700_000_000.0 + paper)
    for n, email in enumerate(EMAILS):
        subscriber, _ = store.add_subscriber(email, "daily" if n % 2 else "weekly")
        if n % 2:
            store.confirm_subscriber(subscriber.id)
        store.enqueue_messages(
            [
                NewMessage(
                    f"digest:{subscriber.id}:2026-06-30",
                    subscriber.id,
                    "digest",
                    email,
                    f"<{n}@example.org>",
                    b"Subject: papers\r\n\r\nhello",
                    [f"2606.{n:05d}"],
                )
            ]
        )


class _Writer(threading.Thread):
    """Keeps importing new papers and casting votes until stopped."""

    def __init__(self, db: Path) -> None:
        super().__init__(daemon=True)
        self.db = db
        self.stop = threading.Event()
        self.batches = 0

    def run(self) -> None:
        store = SQLiteStore(self.db)
        user = store.user_by_name(USERS[0])
        assert user is not None
        n = 1000
        while not self.stop.is_set():
            store.upsert_papers(_paper(n + i) for i in range(50))
            store.set_vote(user[0].id, f"2606.{n:05d}", True, 1_800_000_000.0)
            n += 50
            self.batches += 1
        store.close()


def test_backup_while_writing_then_restore_in_a_fresh_home(tmp_path: Path) -> None:
    db = tmp_path / "live.db"
    store = SQLiteStore(db)
    _fill(store)
    writer = _Writer(db)
    writer.start()
    while writer.batches < 3:
        threading.Event().wait(0.01)
    backup = tmp_path / "backups" / "copy.db"
    done = paperwire("backup", str(backup), "--db", str(db))
    batches_at_backup_end = writer.batches
    writer.stop.set()
    writer.join(timeout=60)
    assert done.returncode == 0, done.stderr
    assert writer.batches > 3, "the writer should have kept writing during the backup"

    fresh_home = tmp_path / "fresh-home"
    restored = run_cli("restore", str(backup), env={"PAPERWIRE_HOME": str(fresh_home)})
    assert restored.exit_code == 0, restored.stderr
    target = fresh_home / "paperwire.db"
    assert table_rows(target) == table_rows(backup)

    copy = SQLiteStore(target)
    try:
        # One moment of the live store: the papers are exactly those up to its seq.
        seq = copy.max_seq()
        assert 300 < copy.stats().papers < 300 + 50 * (batches_at_backup_end + 1)
        assert copy.stats().papers == seq, "a torn batch would leave a gap in the sequence"
        live_papers = {p.id: p for p in store.iter_papers()}
        copied = {p.id: p for p in copy.iter_papers()}
        assert {i: live_papers[i] for i in copied} == copied
        expected = {seq_ for seq_, _ in store.changes_since(0, limit=100_000) if seq_ <= seq}
        assert len(expected) == len(copied)
        # Everything written before the backup began is there, unchanged.
        first_ids = [f"2606.{n:05d}" for n in range(40)]
        for name in USERS[1:]:
            original, copied_user = store.user_by_name(name), copy.user_by_name(name)
            assert original is not None and copied_user is not None
            assert copied_user == original
            assert copy.user_votes(copied_user[0].id, first_ids) == store.user_votes(
                original[0].id, first_ids
            )
        assert copy.local_votes(first_ids[1:]) == store.local_votes(first_ids[1:])
        for email in EMAILS:
            assert copy.subscriber_by_email(email) == store.subscriber_by_email(email)
        assert copy.outbox_counts() == store.outbox_counts() == {"pending": len(EMAILS)}
        assert copy.deliverable_messages() == store.deliverable_messages()
    finally:
        copy.close()
        store.close()


def test_a_quiet_store_round_trips_exactly(tmp_path: Path) -> None:
    db = tmp_path / "quiet.db"
    store = SQLiteStore(db)
    _fill(store)
    store.close()
    backup = tmp_path / "copy.db"
    assert run_cli("backup", str(backup), "--db", str(db)).exit_code == 0
    target = tmp_path / "restored.db"
    assert run_cli("restore", str(backup), "--db", str(target)).exit_code == 0
    assert table_rows(target) == table_rows(db)
    assert inspect_store_file(target).integrity == "ok"


def test_restore_refuses_to_overwrite_a_store_with_data_without_force(tmp_path: Path) -> None:
    db, other = tmp_path / "live.db", tmp_path / "other.db"
    for path, count in ((db, 5), (other, 2)):
        store = SQLiteStore(path)
        store.upsert_papers(_paper(n) for n in range(count))
        store.close()
    refused = run_cli("restore", str(other), "--db", str(db))
    assert refused.exit_code != 0
    assert "--force" in refused.stderr and "5 papers" in refused.stderr
    assert inspect_store_file(db).rows["papers"] == 5
    forced = run_cli("restore", str(other), "--db", str(db), "--force")
    assert forced.exit_code == 0, forced.stderr
    assert inspect_store_file(db).rows["papers"] == 2
    reopened = SQLiteStore(db)  # the old write-ahead log was not replayed onto it
    assert reopened.stats().papers == 2
    reopened.close()


def test_restore_into_an_empty_store_needs_no_force(tmp_path: Path) -> None:
    backup, target = tmp_path / "copy.db", tmp_path / "empty.db"
    store = SQLiteStore(backup)
    store.upsert_papers([_paper(1)])
    store.close()
    SQLiteStore(target).close()
    done = run_cli("restore", str(backup), "--db", str(target))
    assert done.exit_code == 0, done.stderr
    assert inspect_store_file(target).rows["papers"] == 1


@pytest.mark.parametrize(
    ("content", "complaint"),
    [
        (b"not a database at all, just text" * 100, "not a SQLite database"),
        (None, "not a paperwire store"),
        (b"", "not a paperwire store"),
    ],
)
def test_restore_rejects_what_is_not_a_paperwire_store(
    tmp_path: Path, content: bytes | None, complaint: str
) -> None:
    source = tmp_path / "suspect.db"
    if content is None:  # a SQLite file of another application
        conn = sqlite3.connect(source)
        conn.execute("CREATE TABLE notes (body TEXT)")
        conn.close()
    else:
        source.write_bytes(content)
    target = tmp_path / "target.db"
    done = run_cli("restore", str(source), "--db", str(target))
    assert done.exit_code != 0
    assert complaint in done.stderr
    assert not target.exists()


def test_restore_rejects_a_newer_schema_and_a_damaged_file(tmp_path: Path) -> None:
    newer = tmp_path / "newer.db"
    SQLiteStore(newer).close()
    conn = sqlite3.connect(newer)
    conn.execute("PRAGMA user_version = 999")
    conn.close()
    done = run_cli("restore", str(newer), "--db", str(tmp_path / "a.db"))
    assert done.exit_code != 0 and "newer than this paperwire" in done.stderr

    damaged = tmp_path / "damaged.db"
    store = SQLiteStore(damaged)
    store.upsert_papers(_paper(n) for n in range(2000))
    store.close()
    data = bytearray(damaged.read_bytes())
    data[len(data) // 2 : len(data) // 2 + 4096] = b"\x00\xff" * 2048
    damaged.write_bytes(bytes(data))
    done = run_cli("restore", str(damaged), "--db", str(tmp_path / "b.db"))
    assert done.exit_code != 0
    assert "integrity" in done.stderr or "malformed" in done.stderr
    assert not (tmp_path / "b.db").exists()


def test_backup_of_a_postgres_store_without_pg_dump_gives_guidance(tmp_path: Path) -> None:
    done = run_cli(
        "backup",
        str(tmp_path / "x.dump"),
        "--db",
        "postgresql://paperwire@127.0.0.1:1/paperwire",
        env={"PATH": str(tmp_path)},  # no pg_dump to be found
    )
    assert done.exit_code != 0
    assert "pg_dump --format=custom" in done.stderr and "pg_restore" in done.stderr
    restore = run_cli(
        "restore", str(tmp_path / "x.dump"), "--db", "postgresql://paperwire@127.0.0.1:1/pw"
    )
    assert restore.exit_code != 0 and "pg_restore" in restore.stderr


def test_a_postgresql_store_is_dumped_with_pg_dump(tmp_path: Path, postgres_url: str) -> None:
    store = open_store_at(postgres_url)
    store.upsert_papers([Paper(id="2611.00001", title="Dumped", abstract="A.")])
    store.create_user("ada", "hash")
    store.close()
    dump = tmp_path / "paperwire.dump"
    env = {"PATH": f"{server_bin_dir()}{os.pathsep}{os.environ['PATH']}"}
    done = paperwire("backup", str(dump), "--db", postgres_url, env=env)
    assert done.returncode == 0, done.stderr
    listed = subprocess.run(
        [str(Path(server_bin_dir()) / "pg_restore"), "--list", str(dump)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "TABLE DATA public papers" in listed and "TABLE DATA public users" in listed
    refused = paperwire("backup", str(tmp_path / "x.dump"), "--db", postgres_url, env={"PATH": ""})
    assert refused.returncode == 1 and "pg_dump" in refused.stderr
