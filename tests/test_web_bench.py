"""``paperwire bench web`` runs end to end on a small store (the figures are not judged here:
performance lives in the benchmark's own output)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from paperwire.cli.main import cli
from paperwire.search.engine import SearchEngine
from paperwire.store import SQLiteStore
from web_helpers import fill_store


@pytest.mark.slow
def test_bench_web_reports_every_page(tmp_path: Path) -> None:
    db = tmp_path / "bench.db"
    store = fill_store(SQLiteStore(db))
    SearchEngine(store, db.with_name(db.name + ".indexes"), None).update()
    store.close()
    out = tmp_path / "bench-web.json"
    result = CliRunner().invoke(
        cli,
        ["bench", "web", "--db", str(db), "--samples", "3", "--seconds", "0.5",
         "--connections", "2", "--json", str(out)],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    figures = json.loads(out.read_text())
    pages = {
        "/",
        "/trending",
        "/trending?by=code",
        "/search?q=",
        "/papers/{id}",
        "static (baseline)",
    }
    assert set(figures["server_p50_ms_uncached"]) == pages
    assert all(v is not None and v > 0 for v in figures["server_p50_ms_cached"].values())
    sent = figures["transferred_bytes"]
    assert set(sent) == pages
    assert sent["/"]["br"] < sent["/"]["gzip"] < sent["/"]["identity"]
    assert sent["static (baseline)"]["br"] == sent["static (baseline)"]["identity"]
    assert figures["load_feed"]["requests"] > 0 and figures["load_feed"]["errors"] == 0
    assert figures["load_static_baseline"]["requests_per_second"] > 0


def test_bench_web_needs_a_filled_store(tmp_path: Path) -> None:
    db = tmp_path / "empty.db"
    SQLiteStore(db).close()
    result = CliRunner().invoke(cli, ["bench", "web", "--db", str(db)])
    assert result.exit_code != 0 and "no listed papers" in result.output
