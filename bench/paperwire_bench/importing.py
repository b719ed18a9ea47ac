"""``paperwire bench import``: import throughput and peak memory.

The baseline, measured in the same run, is the cost of only reading and
JSON-decoding the same file, so the ratio says what parsing, merging and
writing add. Peak memory is measured in fresh processes on a tenth of the
file and on all of it: equal peaks show that memory stays flat.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from itertools import islice
from pathlib import Path

from paperwire.ingest import import_paths
from paperwire.ingest.reader import open_source
from paperwire.store import SQLiteStore
from paperwire_bench.timing import median_seconds

__all__ = ["bench_import"]

_CHILD = """
import json, sys
from paperwire_bench.timing import peak_rss_mb
from paperwire.ingest import import_paths
from paperwire.store import SQLiteStore
store = SQLiteStore(sys.argv[2])
report = import_paths(store, [sys.argv[1]])
print(json.dumps({"records": report.records, "peak_rss_mb": peak_rss_mb()}))
"""


def bench_import(path: Path, repeats: int = 3) -> dict[str, object]:
    with tempfile.TemporaryDirectory(prefix="paperwire-bench-") as tmp:
        folder = Path(tmp)
        records = _count_records(path)
        baseline = median_seconds(lambda: _decode_only(path), repeats)
        runs = iter(range(repeats))
        seconds = median_seconds(
            lambda: _import_once(path, folder / f"run{next(runs)}.db"), repeats
        )
        tenth = _write_prefix(path, folder / "tenth.jsonl", max(1, records // 10))
        small = _child_peak(tenth, folder / "small.db")
        full = _child_peak(path, folder / "full.db")
    return {
        "file": str(path),
        "records": records,
        "repeats": repeats,
        "baseline_decode_seconds": round(baseline, 3),
        "import_seconds_median": round(seconds, 3),
        "papers_per_second": round(records / seconds, 1),
        "ratio_to_decode_baseline": round(seconds / baseline, 2),
        "peak_rss_mb_tenth": round(float(small["peak_rss_mb"]), 1),
        "peak_rss_mb_full": round(float(full["peak_rss_mb"]), 1),
        "records_tenth": small["records"],
    }


def _import_once(path: Path, db: Path) -> None:
    store = SQLiteStore(db)
    try:
        import_paths(store, [path])
    finally:
        store.close()


def _decode_only(path: Path) -> int:
    source = open_source(path)
    try:
        return sum(1 for line in source.stream if line.strip() and json.loads(line))
    finally:
        source.close()


def _count_records(path: Path) -> int:
    source = open_source(path)
    try:
        return sum(1 for line in source.stream if line.strip())
    finally:
        source.close()


def _write_prefix(path: Path, out: Path, lines: int) -> Path:
    source = open_source(path)
    try:
        with out.open("wb") as handle:
            handle.writelines(islice(source.stream, lines))
    finally:
        source.close()
    return out


def _child_peak(path: Path, db: Path) -> dict[str, object]:
    done = subprocess.run(
        [sys.executable, "-c", _CHILD, str(path), str(db)],
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])
