"""``paperwire bench import`` reports its figures for any JSON Lines file."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from paperwire.cli.main import cli

FIXTURES = Path(__file__).parent / "fixtures"


def test_bench_import_reports_throughput_and_memory(tmp_path: Path) -> None:
    listing = tmp_path / "listing.jsonl"
    row = json.loads((FIXTURES / "listing_with_broken_line.jsonl").read_text().splitlines()[0])
    listing.write_text(
        "".join(json.dumps({**row, "id": f"2503.{n:05d}"}) + "\n" for n in range(1, 41)),
        encoding="utf-8",
    )
    out = tmp_path / "bench.json"
    result = CliRunner().invoke(
        cli, ["bench", "import", str(listing), "--repeats", "1", "--json", str(out)]
    )
    assert result.exit_code == 0, result.output
    figures = json.loads(out.read_text())
    assert figures["records"] == 40 and figures["records_tenth"] == 4
    assert figures["papers_per_second"] > 0 and figures["ratio_to_decode_baseline"] > 0
    # Each child reports its own peak, not the size of the process that started it.
    assert 0 < figures["peak_rss_mb_tenth"] < 1024 and 0 < figures["peak_rss_mb_full"] < 1024
