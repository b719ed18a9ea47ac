"""``paperwire export`` then ``paperwire import`` into an empty store gives identical records."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from paperwire.cli.main import cli
from paperwire.ingest import import_paths
from paperwire.store import SQLiteStore, StoreLocation, open_store_at

FIXTURES = Path(__file__).parent / "fixtures"


def test_export_import_round_trip(tmp_path: Path, store_location: StoreLocation) -> None:
    source = open_store_at(store_location)
    import_paths(source, sorted(FIXTURES.glob("*")))
    import_paths(source, [FIXTURES / "hf_daily_papers.json"])
    before = {p.id: p for p in source.iter_papers()}
    source.close()
    assert len(before) >= 6

    runner = CliRunner()
    out = tmp_path / "export.jsonl"
    result = runner.invoke(cli, ["export", str(out), "--db", str(store_location)])
    assert result.exit_code == 0, result.output
    result = runner.invoke(
        cli, ["import", str(out), "--db", str(tmp_path / "copy.db"), "--json", "-"]
    )
    assert result.exit_code == 0, result.output

    copy = SQLiteStore(tmp_path / "copy.db")
    after = {p.id: p for p in copy.iter_papers()}
    assert after == before
    # Importing the export again over itself changes nothing.
    again = import_paths(copy, [out])
    assert (again.new, again.updated, again.rejected) == (0, 0, 0)
    copy.close()


def test_export_rejects_forged_ids(store: SQLiteStore, tmp_path: Path) -> None:
    forged = tmp_path / "forged.jsonl"
    forged.write_text(
        '{"format": "paperwire-export", "version": 1}\n'
        '{"id": "2401.00001v2", "title": "versioned id is not canonical"}\n'
        '{"id": "../../etc", "title": "path-like id"}\n'
        '{"id": "2401.00002", "title": "fine"}\n',
        encoding="utf-8",
    )
    report = import_paths(store, [forged])
    assert (report.new, report.rejected) == (1, 2)
    assert [r.where.rsplit(": ", 1)[1] for r in report.rejections] == ["line 2", "line 3"]
