"""A steady load on a real ``paperwire serve`` on the embedded store: no errors, and the
server's memory does not keep growing. ``make check-hardening`` runs it for 300 s
(PAPERWIRE_SOAK_SECONDS); the normal suite for 20 s. Figures: artifacts/hardening/soak.json.
"""

from __future__ import annotations

import os
from pathlib import Path

from hardening_helpers import paperwire, write_artifact, write_listing

from paperwire.ingest import import_paths
from paperwire.store import SQLiteStore
from paperwire_bench.soak import run_soak, soak_paths
from web_helpers import FIXTURE

SECONDS = float(os.environ.get("PAPERWIRE_SOAK_SECONDS", "20"))
RATE = 30.0
# Growth allowed over the run: caches filling up (pages, queries, templates) level
# off well below this; a leak per request at this rate would not.
GROWTH_LIMIT_MIB = 120.0


def test_a_steady_load_gives_no_errors_and_bounded_memory(tmp_path: Path) -> None:
    db, listing = tmp_path / "soak.db", tmp_path / "papers.jsonl"
    write_listing(listing, 2_000)
    store = SQLiteStore(db)
    assert import_paths(store, [FIXTURE, listing]).rejected == 0
    store.close()
    assert paperwire("reindex", "--model", "none", "--db", str(db)).returncode == 0
    assert any(p.startswith("/api/papers/") for p in soak_paths(db))

    figures = run_soak(db, seconds=SECONDS, rate=RATE, sample_seconds=1.0)
    write_artifact("soak", figures)

    assert figures["requests"] == int(SECONDS * RATE)
    assert figures["errors"] == 0, figures["error_examples"]
    growth = float(figures["rss_end_mib"]) - float(figures["rss_start_mib"])  # type: ignore[arg-type]
    assert growth < GROWTH_LIMIT_MIB, f"the server grew by {growth:.0f} MiB"
    assert len(figures["rss_samples"]) >= SECONDS / 2  # type: ignore[arg-type]
