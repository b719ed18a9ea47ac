"""Small timing and memory helpers shared by the benchmarks."""

from __future__ import annotations

import resource
import statistics
import sys
import time
from collections.abc import Callable

__all__ = ["median_seconds", "peak_rss_mb"]


def median_seconds(run: Callable[[], object], repeats: int) -> float:
    """The median wall time of ``repeats`` calls of ``run``."""
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        run()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def peak_rss_mb() -> float:
    """This process's peak resident memory, in MiB.

    On Linux this reads VmHWM: ``ru_maxrss`` survives ``exec``, so a child started
    by a large parent would report the parent's size instead of its own.
    """
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024
