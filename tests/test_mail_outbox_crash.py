"""A digest run killed mid-way and run again leaves every subscriber exactly one digest.

``paperwire digest send`` runs as a real process against a real SMTP server
that answers slowly; the process is SIGKILLed while the server stalls on a
message after two were accepted, then run again to completion.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from paperwire.model import Author, Paper
from paperwire.store import SQLiteStore, StoreLocation, open_store_at
from smtp_helpers import MailCatcher, smtp_server

TODAY = "2026-07-01"
SUBSCRIBERS = [f"reader{n}@example.org" for n in range(6)]


def _fill(db: StoreLocation) -> None:
    store = open_store_at(db)
    store.upsert_papers(
        Paper(
            id=f"2606.0{n:04d}",
            title=f"Paper number {n}",
            abstract="An abstract.",
            authors=[Author("Ada Lovelace")],
            listed_on=date(2026, 6, 30),
            upvotes=10 + n,
        )
        for n in range(8)
    )
    for address in SUBSCRIBERS:
        subscriber, _ = store.add_subscriber(address, "daily")
        store.confirm_subscriber(subscriber.id)
    store.close()


def _send(db: StoreLocation, port: int, home: Path) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "PAPERWIRE_HOME": str(home),
        "PAPERWIRE_SMTP_HOST": "127.0.0.1",
        "PAPERWIRE_SMTP_PORT": str(port),
        "PAPERWIRE_SMTP_STARTTLS": "0",
    }
    command = [sys.executable, "-m", "paperwire.cli", "digest", "send"]
    return subprocess.Popen(
        [*command, "--db", str(db), "--today", TODAY],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )


def test_killed_run_then_rerun_sends_each_digest_once(tmp_path: Path, isolated_home: Path) -> None:
    db = tmp_path / "mail.db"
    _fill(db)
    catcher = MailCatcher(rcpt_delay=1.0, slow_after=2)
    with smtp_server(catcher) as port:
        first = _send(db, port, isolated_home)
        if not catcher.stalled.wait(timeout=120):
            first.kill()
            pytest.fail(f"the run never reached a third message: {first.communicate()[0]!r}")
        first.send_signal(signal.SIGKILL)
        first.communicate(timeout=30)  # reaps it and closes its pipe
        assert first.returncode == -signal.SIGKILL
        delivered = len(catcher.messages)
        assert delivered == 2

        store = SQLiteStore(db)
        counts = store.outbox_counts()
        assert counts.get("sent") == 2 and sum(counts.values()) == len(SUBSCRIBERS)
        store.close()

        catcher.rcpt_delay = 0.0
        second = _send(db, port, isolated_home)
        output = second.communicate(timeout=120)[0]
        assert second.returncode == 0, output

    assert sorted(m["To"] for m in catcher.messages) == sorted(SUBSCRIBERS)
    store = SQLiteStore(db)
    assert store.outbox_counts() == {"sent": len(SUBSCRIBERS)}
    ids = {m["Message-ID"] for m in catcher.messages}
    assert len(ids) == len(SUBSCRIBERS)
    store.close()


def test_a_second_run_in_the_same_period_sends_nothing(tmp_path: Path, isolated_home: Path) -> None:
    db = tmp_path / "mail.db"
    _fill(db)
    catcher = MailCatcher()
    with smtp_server(catcher) as port:
        for _ in range(2):
            run = _send(db, port, isolated_home)
            output = run.communicate(timeout=120)[0]
            assert run.returncode == 0, output
    assert sorted(m["To"] for m in catcher.messages) == sorted(SUBSCRIBERS)
