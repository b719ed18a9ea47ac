"""CLI start-up: wall time and peak memory of ``paperwire --help`` and ``paperwire stats``,
against ``python -c "import click, rich"`` measured in the same run.

Each command runs in a fresh interpreter, ``repeats`` times, the three kinds
interleaved so that a noisy moment hits them alike; the medians are reported
with their ratio to the baseline. Peak memory is the child's own VmHWM, read
by the child as it exits (``ru_maxrss`` would carry over what the parent had
before ``exec``).
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

__all__ = ["bench_startup"]

# Runs ARGV as the `paperwire` console script does, then writes this process's
# VmHWM (KiB) to the file named first.
_LAUNCHER = """
import atexit, sys
report = sys.argv.pop(1)
def _peak():
    with open("/proc/self/status", encoding="ascii") as status:
        kib = next(line.split()[1] for line in status if line.startswith("VmHWM:"))
    with open(report, "w", encoding="ascii") as out:
        out.write(kib)
atexit.register(_peak)
if sys.argv[1:] == ["--baseline"]:
    import click, rich
else:
    from paperwire.cli.main import cli
    sys.argv[0] = "paperwire"
    try:
        cli()
    except SystemExit as stop:
        if stop.code not in (0, None):
            raise
"""


def bench_startup(db: Path, repeats: int = 5) -> dict[str, object]:
    """Medians of ``repeats`` runs (seconds, MiB) and ratios to the baseline.

    ``db`` is the store ``paperwire stats`` reads (a SQLite file or a URL).
    Raises RuntimeError when a command fails, with its standard error.
    """
    runs: dict[str, list[tuple[float, float]]] = {"baseline": [], "help": [], "stats": []}
    arguments = {
        "baseline": ["--baseline"],
        "help": ["--help"],
        "stats": ["stats", "--db", str(db), "--json", os.devnull],
    }
    for _ in range(repeats):
        for name, args in arguments.items():
            runs[name].append(_run_once(args))
    figures: dict[str, object] = {"repeats": repeats, "store": str(db)}
    base_seconds = statistics.median(s for s, _ in runs["baseline"])
    base_mb = statistics.median(m for _, m in runs["baseline"])
    for name, measured in runs.items():
        seconds = statistics.median(s for s, _ in measured)
        megabytes = statistics.median(m for _, m in measured)
        figures[f"{name}_seconds"] = round(seconds, 3)
        figures[f"{name}_peak_rss_mb"] = round(megabytes, 1)
        if name != "baseline":
            figures[f"{name}_seconds_ratio"] = round(seconds / base_seconds, 2)
            figures[f"{name}_peak_rss_ratio"] = round(megabytes / base_mb, 2)
    return figures


def _run_once(args: list[str]) -> tuple[float, float]:
    with tempfile.TemporaryDirectory() as folder:
        report = Path(folder) / "peak"
        command = [sys.executable, "-c", _LAUNCHER, str(report), *args]
        started = time.perf_counter()
        done = subprocess.run(command, capture_output=True, text=True, check=False)
        seconds = time.perf_counter() - started
        if done.returncode != 0 or not report.is_file():
            raise RuntimeError(f"`paperwire {' '.join(args)}` failed: {done.stderr[-2000:]}")
        return seconds, int(report.read_text(encoding="ascii")) / 1024
