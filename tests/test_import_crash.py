"""An import killed with SIGKILL mid-way leaves the store consistent; rerunning completes it."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from paperwire.ingest import import_paths
from paperwire.store import SQLiteStore


def _write_listing(path: Path, count: int) -> None:
    with path.open("w", encoding="utf-8") as out:
        for n in range(count):
            row = {
                "id": f"2501.{n:05d}",
                "title": f"Paper {n}",
                "abstract": "word " * 200,
                "authors": ["A B", "C D"],
                "categories": ["cs.LG"],
                "comment": None,
                "abs_url": "",
                "pdf_url": "",
                "first_listed": "2025-01-02",
                "listed_dates": ["2025-01-02"],
            }
            out.write(json.dumps(row) + "\n")


def _committed(db: Path) -> int:
    conn = sqlite3.connect(db)
    try:
        return conn.execute("SELECT COUNT(*) FROM papers").fetchone()[0]
    except sqlite3.OperationalError:
        return 0
    finally:
        conn.close()


def test_kill_during_import_then_rerun(tmp_path: Path) -> None:
    listing = tmp_path / "big.jsonl"
    _write_listing(listing, 60_000)
    db = tmp_path / "paperwire.db"
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "paperwire.cli",
            "import",
            str(listing),
            "--db",
            str(db),
            "--batch-size",
            "200",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while _committed(db) < 2_000 and time.monotonic() < deadline and process.poll() is None:
        time.sleep(0.05)
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    partial = _committed(db)
    assert 0 < partial < 60_000, "the kill should land mid-way"

    store = SQLiteStore(db)
    assert store._reader().execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert partial % 200 == 0  # only whole batches were committed
    report = import_paths(store, [listing])
    assert (report.new, report.unchanged, report.rejected) == (60_000 - partial, partial, 0)
    assert store.stats().papers == 60_000
    assert store.max_seq() == 60_000  # every paper written exactly once
    store.close()
