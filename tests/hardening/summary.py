"""One table of the reliability and security figures, read from artifacts/hardening/*.json.

Run after the hardening tests (``make check-hardening`` does both):
    .venv/bin/python tests/hardening/summary.py
A missing artifact is shown as missing, with the test that writes it, and
the exit status is 1; so is a figure that shows a failure.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts" / "hardening"

Row = tuple[str, str, bool]  # figures, verdict text, passed


def _api_fuzz(data: dict[str, Any]) -> Row:
    requests, failures = data.get("requests", data.get("requests_fuzzed")), data.get("failures")
    return f"{requests} requests fuzzed, {failures} failures", "", failures == 0


def _importer_fuzz(data: dict[str, Any]) -> Row:
    crashes = data.get("crashes")
    return f"{data.get('records_fuzzed')} records fuzzed, {crashes} crashes", "", crashes == 0


def _crash(data: dict[str, Any]) -> Row:
    losses, duplicates = data.get("losses"), data.get("duplicates")
    text = (
        f"{data.get('scenarios')} scenarios, {data.get('kills')} kills, "
        f"{losses} losses, {duplicates} duplicates"
    )
    return text, "", losses == 0 and duplicates == 0


def _web_security(data: dict[str, Any]) -> Row:
    passed, total = data.get("passed"), data.get("total", data.get("tests"))
    return f"{passed}/{total} security tests passed", "", passed is not None and passed == total


def _soak(data: dict[str, Any]) -> Row:
    text = (
        f"{data.get('seconds')} s, {data.get('requests')} requests, {data.get('errors')} errors, "
        f"p99 {data.get('latency_p99_ms')} ms, RSS {data.get('rss_start_mib')} -> "
        f"{data.get('rss_end_mib')} MiB ({data.get('rss_slope_mib_per_minute')} MiB/min)"
    )
    return text, "", data.get("errors") == 0


SECTIONS: list[tuple[str, str, str, Callable[[dict[str, Any]], Row]]] = [
    ("API fuzzing", "api_fuzz", "tests/hardening/test_api_fuzz.py", _api_fuzz),
    ("importer fuzzing", "importer_fuzz", "tests/hardening/test_fuzz_importers.py", _importer_fuzz),
    ("crash (kill -9)", "crash", "tests/hardening/test_crash.py", _crash),
    ("web security", "web_security", "tests/hardening/test_web_security.py", _web_security),
    ("soak", "soak", "tests/hardening/test_soak.py", _soak),
]


def build_table(folder: Path = ARTIFACTS) -> tuple[Table, bool]:
    table = Table(title="paperwire: reliability and security")
    for column in ("check", "figures", "verdict"):
        table.add_column(column)
    all_passed = True
    for title, name, writer, summarise in SECTIONS:
        path = folder / f"{name}.json"
        if not path.is_file():
            table.add_row(title, f"[yellow]missing: {path.name} (run {writer})[/yellow]", "MISSING")
            all_passed = False
            continue
        try:
            figures, _, passed = summarise(json.loads(path.read_text(encoding="utf-8")))
        except (json.JSONDecodeError, AttributeError) as exc:
            figures, passed = f"unreadable {path.name}: {exc}", False
        table.add_row(title, figures, "[green]ok[/green]" if passed else "[red]FAIL[/red]")
        all_passed = all_passed and passed
    return table, all_passed


def main() -> int:
    table, all_passed = build_table()
    Console().print(table)
    return 0 if all_passed else 1


if __name__ == "__main__":
    sys.exit(main())
